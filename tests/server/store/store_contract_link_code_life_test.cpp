// The store contract for a link code's life (SPEC §6.1, §6.2): codes stay readable after they
// are spent, a code that needs approval is taken and then decided by the device that made it,
// pending approvals hold a place in the profile, and every change reaches the watcher.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store_contract.hpp"

namespace ssokit::store::testing {
namespace {

constexpr Millis kNow = 1'000'000;
constexpr Millis kTtl = 600'000;

// What a watcher saw, for tests to wait on.
class SeenChanges {
 public:
  LinkCodeWatcher watcher() {
    return [this](const std::string& sp, const std::string& hash) {
      std::lock_guard<std::mutex> lock(mutex_);
      seen_.emplace_back(sp, hash);
      changed_.notify_all();
    };
  }
  bool wait_for(const std::string& sp, const std::string& hash, std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] {
      for (const auto& [s, h] : seen_) {
        if (s == sp && h == hash) return true;
      }
      return false;
    });
  }
  std::size_t count() {
    std::lock_guard<std::mutex> lock(mutex_);
    return seen_.size();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::pair<std::string, std::string>> seen_;
};

class StoreLinkCodeLifeContract : public StoreContractTest {
 protected:
  void SetUp() override {
    StoreContractTest::SetUp();
    phone_ = linked(device("sp", "phone", "p1", 10));
  }
  // A code made by the phone at kNow, requiring approval or not.
  void make(const std::string& hash, bool approval) {
    NewLinkCode code{{hash}, kNow + kTtl, 5, approval};
    ASSERT_EQ(store_->create_link_code(phone_, code, kNow).inserted, 0u) << hash;
  }
  RedeemOutcome redeem(const std::string& hash, const std::string& device_id, Millis now,
                       const std::vector<NamedLimit>& limits = {}, const JoinLimits& join = {}) {
    DeviceRecord joining = device("sp", device_id, "", now, DeviceType::kSso, "{\"model\":\"" + device_id + "\"}");
    joining.link_id = "planned:" + device_id;
    return store_->redeem_link_code(hash, joining, limits, join, now);
  }
  DecisionOutcome decide(const std::string& hash, bool approve, Millis now, const DeviceLink& caller,
                         std::optional<int> max_devices = std::nullopt) {
    return store_->decide_link_code(caller, hash, approve, JoinLimits{max_devices, std::nullopt}, now);
  }
  DecisionOutcome decide(const std::string& hash, bool approve, Millis now) {
    return decide(hash, approve, now, phone_);
  }

  DeviceLink phone_;
};

TEST_P(StoreLinkCodeLifeContract, ANewCodeIsWaitingAndNamesTheDeviceThatMadeIt) {
  make("h", false);
  const auto code = store_->find_link_code("sp", "h");
  ASSERT_TRUE(code);
  EXPECT_EQ(code->state, LinkCodeState::kWaiting);
  EXPECT_EQ(code->creator_device_id, "phone");
  EXPECT_EQ(code->profile_id, "p1");
  EXPECT_FALSE(code->approval_required);
  EXPECT_EQ(code->created_at, kNow);
  EXPECT_EQ(code->expires_at, kNow + kTtl);
  EXPECT_EQ(code->joining_device_id, "");
  EXPECT_EQ(store_->find_link_code("sp2", "h"), std::nullopt);
  EXPECT_EQ(store_->find_link_code("sp", "other"), std::nullopt);
}

TEST_P(StoreLinkCodeLifeContract, ARedeemedCodeStaysReadableWithTheDeviceThatJoinedAndIsSpent) {
  make("h", false);
  const RedeemOutcome joined = redeem("h", "tv", kNow + 5);
  ASSERT_EQ(joined.result, RedeemResult::kRedeemed);
  const auto code = store_->find_link_code("sp", "h");
  ASSERT_TRUE(code);
  EXPECT_EQ(code->state, LinkCodeState::kRedeemed);
  EXPECT_EQ(code->joining_device_id, "tv");
  EXPECT_EQ(code->joining_info_json, "{\"model\":\"tv\"}");
  EXPECT_EQ(code->taken_at, kNow + 5);
  EXPECT_EQ(code->joining_link_id, joined.link_id);
  EXPECT_EQ(redeem("h", "tablet", kNow + 6).result, RedeemResult::kInvalid);
  EXPECT_EQ(redeem("h", "tv", kNow + 6).result, RedeemResult::kInvalid) << "single use, even for the device itself";
}

TEST_P(StoreLinkCodeLifeContract, ASpentHashMayBeDrawnAgainAndReplacesTheOldRow) {
  make("h", false);
  ASSERT_EQ(redeem("h", "tv", kNow + 5).result, RedeemResult::kRedeemed);
  ASSERT_EQ(store_->create_link_code(phone_, NewLinkCode{{"h"}, kNow + kTtl + 10, 5, false}, kNow + 10).inserted, 0u);
  EXPECT_EQ(store_->find_link_code("sp", "h")->state, LinkCodeState::kWaiting);
  EXPECT_EQ(redeem("h", "tablet", kNow + 11).result, RedeemResult::kRedeemed);
}

TEST_P(StoreLinkCodeLifeContract, ACodeNeedingApprovalIsTakenNotRedeemed) {
  make("h", true);
  const RedeemOutcome taken = redeem("h", "tv", kNow + 5, failure_limits("tv"));
  EXPECT_EQ(taken.result, RedeemResult::kAwaitingApproval);
  EXPECT_EQ(taken.expires_at, kNow + kTtl);
  EXPECT_EQ(store_->find_device("sp", "tv"), std::nullopt) << "nobody joins before the decision";
  const auto code = store_->find_link_code("sp", "h");
  ASSERT_TRUE(code);
  EXPECT_EQ(code->state, LinkCodeState::kAwaitingApproval);
  EXPECT_TRUE(code->approval_required);
  EXPECT_EQ(code->joining_device_id, "tv");
  EXPECT_EQ(code->joining_info_json, "{\"model\":\"tv\"}");
  // Taken: no other device can have it, and trying counts as a failure.
  EXPECT_EQ(redeem("h", "tablet", kNow + 6, failure_limits("tablet", "10.0.0.9", 1)).result, RedeemResult::kInvalid);
  EXPECT_EQ(redeem("h", "tablet", kNow + 7, failure_limits("tablet", "10.0.0.9", 1)).result, RedeemResult::kLimited);
}

TEST_P(StoreLinkCodeLifeContract, TheDeviceThatTookACodeAsksAgainWithoutTouchingAnyLimit) {
  make("h", true);
  const std::vector<NamedLimit> one_failure = failure_limits("tv", "10.0.0.1", 1);
  ASSERT_EQ(redeem("h", "tv", kNow + 5, one_failure).result, RedeemResult::kAwaitingApproval);
  ASSERT_EQ(redeem("wrong", "tv", kNow + 6, one_failure).result, RedeemResult::kInvalid);  // its one failure
  ASSERT_EQ(redeem("wrong", "tv", kNow + 7, one_failure).result, RedeemResult::kLimited);
  const RedeemOutcome again = redeem("h", "tv", kNow + 8, one_failure);
  EXPECT_EQ(again.result, RedeemResult::kAwaitingApproval) << "asking again is not a guess";
  EXPECT_EQ(again.expires_at, kNow + kTtl);
}

TEST_P(StoreLinkCodeLifeContract, ApprovalJoinsTheDeviceWithItsPlannedLinkAndItsNextAskGetsIt) {
  make("h", true);
  ASSERT_EQ(redeem("h", "tv", kNow + 5).result, RedeemResult::kAwaitingApproval);
  const DecisionOutcome decided = decide("h", true, kNow + 20);
  EXPECT_TRUE(decided.linked);
  EXPECT_EQ(decided.result, DecisionResult::kDecided);
  EXPECT_EQ(decided.joining_device_id, "tv");
  EXPECT_EQ(decided.join, JoinResult::kAdded);
  const auto tv = store_->find_device("sp", "tv");
  ASSERT_TRUE(tv);
  EXPECT_EQ(tv->profile_id, "p1");
  EXPECT_EQ(tv->type, DeviceType::kSso);
  EXPECT_EQ(tv->link_id, "planned:tv");
  EXPECT_EQ(tv->info_json, "{\"model\":\"tv\"}");
  EXPECT_EQ(tv->first_seen, kNow + 20);
  EXPECT_EQ(store_->find_link_code("sp", "h")->state, LinkCodeState::kRedeemed);
  EXPECT_EQ(store_->find_link_code("sp", "h")->joining_link_id, "planned:tv");

  const RedeemOutcome granted = redeem("h", "tv", kNow + 30);
  EXPECT_EQ(granted.result, RedeemResult::kRedeemed);
  EXPECT_EQ(granted.profile_id, "p1");
  EXPECT_EQ(granted.link_id, "planned:tv");
  EXPECT_EQ(redeem("h", "tablet", kNow + 31).result, RedeemResult::kInvalid);
  // Unlinked since: the approval no longer stands for it.
  ASSERT_EQ(store_->unlink_devices(phone_, {"tv"}, kNow + 40).unlinked, std::vector<std::string>{"tv"});
  EXPECT_EQ(redeem("h", "tv", kNow + 41).result, RedeemResult::kInvalid);
  // Past the code's lifetime the answer is invalid too.
  EXPECT_EQ(redeem("h", "tv", kNow + kTtl).result, RedeemResult::kInvalid);
}

TEST_P(StoreLinkCodeLifeContract, ADenialIsFinalAndTheDeviceIsToldSo) {
  make("h", true);
  ASSERT_EQ(redeem("h", "tv", kNow + 5).result, RedeemResult::kAwaitingApproval);
  EXPECT_EQ(decide("h", false, kNow + 20).result, DecisionResult::kDecided);
  EXPECT_EQ(store_->find_link_code("sp", "h")->state, LinkCodeState::kDenied);
  EXPECT_EQ(redeem("h", "tv", kNow + 21).result, RedeemResult::kDenied);
  EXPECT_EQ(store_->find_device("sp", "tv"), std::nullopt);
  EXPECT_EQ(decide("h", true, kNow + 22).result, DecisionResult::kInvalid) << "decided already";
  EXPECT_EQ(redeem("h", "tv", kNow + kTtl).result, RedeemResult::kInvalid) << "past its lifetime";
}

TEST_P(StoreLinkCodeLifeContract, OnlyTheDeviceThatMadeTheCodeDecidesAndOnlyWhileItAwaitsOne) {
  const DeviceLink tablet = linked(device("sp", "tablet", "p1", 11));
  make("h", true);
  EXPECT_EQ(decide("h", true, kNow + 1).result, DecisionResult::kInvalid) << "nobody took it yet";
  ASSERT_EQ(redeem("h", "tv", kNow + 5).result, RedeemResult::kAwaitingApproval);
  EXPECT_EQ(decide("h", true, kNow + 6, tablet).result, DecisionResult::kInvalid) << "same profile, not its maker";
  EXPECT_EQ(decide("other", true, kNow + 6).result, DecisionResult::kInvalid);
  EXPECT_EQ(decide("h", true, kNow + kTtl).result, DecisionResult::kInvalid) << "expired";
  DeviceLink stale = phone_;
  stale.link_id = "an-old-link";
  const DecisionOutcome unlinked = decide("h", true, kNow + 7, stale);
  EXPECT_FALSE(unlinked.linked);
  EXPECT_EQ(store_->find_link_code("sp", "h")->state, LinkCodeState::kAwaitingApproval);
}

TEST_P(StoreLinkCodeLifeContract, APendingApprovalHoldsAPlaceInTheProfile) {
  // The phone and a pending tv fill a profile of two: nobody else may join, by any way.
  make("h", true);
  make("h2", false);
  ASSERT_EQ(redeem("h", "tv", kNow + 5, {}, JoinLimits{2, std::nullopt}).result, RedeemResult::kAwaitingApproval);
  EXPECT_EQ(store_->join_device(device("sp", "laptop", "p1", kNow + 6), JoinLimits{2, std::nullopt}, kNow + 6).result,
            JoinResult::kDeviceLimit);
  EXPECT_EQ(redeem("h2", "tablet", kNow + 6, {}, JoinLimits{2, std::nullopt}).result, RedeemResult::kDeviceLimit);
  // Its own approval passes: the place was its.
  EXPECT_EQ(decide("h", true, kNow + 7, phone_, 2).result, DecisionResult::kDecided);
  EXPECT_EQ(store_->list_devices_of(phone_, kNow + 8).devices.size(), 2u);
}

TEST_P(StoreLinkCodeLifeContract, ApprovingIntoAFullProfileChangesNothing) {
  make("h", true);
  ASSERT_EQ(redeem("h", "tv", kNow + 5).result, RedeemResult::kAwaitingApproval);  // taken with no cap
  join(*store_, device("sp", "laptop", "p1", kNow + 6));
  const DecisionOutcome refused = decide("h", true, kNow + 7, phone_, 2);
  EXPECT_EQ(refused.result, DecisionResult::kDeviceLimit);
  EXPECT_EQ(store_->find_link_code("sp", "h")->state, LinkCodeState::kAwaitingApproval);
  EXPECT_EQ(store_->find_device("sp", "tv"), std::nullopt);
}

TEST_P(StoreLinkCodeLifeContract, CodesRetiredByTheCapExpireNowAndStayReadable) {
  make("old", false);
  ASSERT_EQ(store_->create_link_code(phone_, NewLinkCode{{"new"}, kNow + 10 + kTtl, 1, false}, kNow + 10).inserted, 0u);
  const auto retired = store_->find_link_code("sp", "old");
  ASSERT_TRUE(retired);
  EXPECT_EQ(retired->expires_at, kNow + 10);
  EXPECT_EQ(retired->state, LinkCodeState::kWaiting);
  EXPECT_EQ(redeem("old", "tv", kNow + 11).result, RedeemResult::kInvalid);
}

TEST_P(StoreLinkCodeLifeContract, ACodeIsPurgedOnlyOnceItsStatusRetentionIsOver) {
  make("h", false);
  ASSERT_EQ(redeem("h", "tv", kNow + 5).result, RedeemResult::kRedeemed);
  const Millis expired = kNow + kTtl;
  EXPECT_EQ(store_->purge_expired(PurgeCutoffs{expired + 1, 0, expired - 1, 8}), 0u);
  EXPECT_TRUE(store_->find_link_code("sp", "h"));
  EXPECT_EQ(store_->purge_expired(PurgeCutoffs{expired + 1, 0, expired, 8}), 1u);
  EXPECT_EQ(store_->find_link_code("sp", "h"), std::nullopt);
}

TEST_P(StoreLinkCodeLifeContract, EveryChangeOfACodeReachesTheWatcher) {
  SeenChanges seen;
  store_->watch_link_codes(seen.watcher());
  make("a", false);
  make("b", true);
  EXPECT_EQ(seen.count(), 0u) << "making a code is not a change of state";
  ASSERT_EQ(redeem("a", "tv", kNow + 5).result, RedeemResult::kRedeemed);
  EXPECT_TRUE(seen.wait_for("sp", "a", std::chrono::seconds(5)));
  ASSERT_EQ(redeem("b", "tablet", kNow + 5).result, RedeemResult::kAwaitingApproval);
  EXPECT_TRUE(seen.wait_for("sp", "b", std::chrono::seconds(5)));
  const std::size_t before = seen.count();
  ASSERT_EQ(redeem("b", "tablet", kNow + 6).result, RedeemResult::kAwaitingApproval);
  ASSERT_EQ(redeem("wrong", "tablet", kNow + 6).result, RedeemResult::kInvalid);
  ASSERT_EQ(decide("b", true, kNow + 7).result, DecisionResult::kDecided);
  EXPECT_TRUE(seen.wait_for("sp", "b", std::chrono::seconds(5)));
  EXPECT_GT(seen.count(), before);
  store_->watch_link_codes(nullptr);
}

TEST_P(StoreLinkCodeLifeContract, AChangeThroughAnotherInstanceReachesTheWatcherWhereTheBackendSharesChanges) {
  if (!GetParam().shares_changes_across_instances) {
    GTEST_SKIP() << GetParam().name << " is served by one instance: its own changes are all there are";
  }
  SeenChanges seen;
  store_->watch_link_codes(seen.watcher());
  // The listener connects in the background: a change made before it listens is reported
  // as "anything changed" only after a reconnect, so make changes until one arrives.
  std::unique_ptr<Store> other = open_another();
  DeviceRecord tv = device("sp", "tv", "", kNow + 5, DeviceType::kSso);
  bool arrived = false;
  for (int attempt = 0; attempt < 50 && !arrived; ++attempt) {
    const std::string hash = "h" + std::to_string(attempt);
    ASSERT_EQ(store_->create_link_code(phone_, NewLinkCode{{hash}, kNow + kTtl, 100, false}, kNow).inserted, 0u);
    ASSERT_EQ(other->redeem_link_code(hash, tv, {}, JoinLimits{}, kNow + 5).result, RedeemResult::kRedeemed);
    arrived = seen.wait_for("sp", hash, std::chrono::milliseconds(200));
  }
  EXPECT_TRUE(arrived) << "a redemption on the other instance never reached this one's watcher";
  store_->watch_link_codes(nullptr);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreLinkCodeLifeContract, ::testing::ValuesIn(store_backends()), backend_name);

}  // namespace
}  // namespace ssokit::store::testing
