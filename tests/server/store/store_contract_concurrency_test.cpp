// The store contract under concurrency: each command is atomic, whether the racing calls
// come through one instance or through two instances on one database (two servers).
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "store_contract.hpp"

namespace ssokit::store::testing {
namespace {

constexpr Millis kNow = 1'000'000;
constexpr Millis kTtl = 600'000;

// Runs body(i) on `n` threads released together.
template <class Body>
void race(int n, Body body) {
  StartGate gate;
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&gate, &body, i] {
      gate.wait();
      body(i);
    });
  }
  gate.open();
  for (auto& thread : threads) thread.join();
}

class StoreConcurrencyContract : public StoreContractTest {
 protected:
  void SetUp() override {
    StoreContractTest::SetUp();
    other_ = open_another();
  }
  void TearDown() override { other_.reset(); }

  // Thread i's instance: the even ones use the first, the odd ones the second.
  Store& instance(int i) { return i % 2 == 0 ? *store_ : *other_; }

  RedeemOutcome redeem(Store& store, const std::string& hash, const std::string& device_id,
                       const std::vector<NamedLimit>& limits = {}) {
    return store.redeem_link_code(hash, device("sp", device_id, "", kNow, DeviceType::kSso), limits, JoinLimits{},
                                  kNow);
  }

  std::unique_ptr<Store> other_;
};

TEST_P(StoreConcurrencyContract, OfTwoConcurrentRedemptionsOfOneCodeExactlyOneWins) {
  const DeviceLink phone = linked(device("sp", "phone", "p1", 10));
  constexpr int kRounds = 200;
  for (int round = 0; round < kRounds; ++round) {
    const std::string hash = "code-" + std::to_string(round);
    // Even rounds race within one instance, odd rounds across the two (with the code made
    // through the second, so the first must see it).
    Store& maker = round % 2 == 0 ? *store_ : *other_;
    ASSERT_EQ(maker.create_link_code(phone, NewLinkCode{{hash}, kNow + kTtl, 5}, kNow).inserted, 0u);
    std::array<RedeemOutcome, 2> outcomes;
    race(2, [&](int t) {
      Store& store = t == 0 || round % 2 == 0 ? *store_ : *other_;
      const std::string tv = "tv-" + std::to_string(round) + "-" + std::to_string(t);
      outcomes[t] = redeem(store, hash, tv, {NamedLimit{"redeem:device:" + tv, "device", {120'000, 5}}});
    });
    int redeemed = 0;
    int invalid = 0;
    for (const auto& outcome : outcomes) {
      if (outcome.result == RedeemResult::kRedeemed) ++redeemed;
      if (outcome.result == RedeemResult::kInvalid) ++invalid;
    }
    ASSERT_EQ(redeemed, 1) << "round " << round;
    ASSERT_EQ(invalid, 1) << "round " << round;
  }
  EXPECT_EQ(store_->list_devices_of(phone, kNow).devices.size(), static_cast<std::size_t>(kRounds) + 1);
}

// create_link_code retires the oldest codes of a full profile while another thread redeems
// them: a code is redeemed once or retired, and a redeemed code is never live afterwards.
TEST_P(StoreConcurrencyContract, CapRetirementRacingRedemptionsNeverLeavesARedeemedCodeLive) {
  constexpr int kRounds = 50;
  constexpr int kCap = 2;
  for (int round = 0; round < kRounds; ++round) {
    const std::string r = std::to_string(round);
    const std::string profile = "p" + r;
    const DeviceLink phone = linked(device("sp", "phone-" + r, profile, 10));
    const std::vector<std::string> codes = {"o0-" + r, "o1-" + r, "n0-" + r, "n1-" + r, "n2-" + r, "n3-" + r};
    for (int i = 0; i < kCap; ++i) {
      ASSERT_EQ(store_->create_link_code(phone, NewLinkCode{{codes[i]}, kNow + kTtl, kCap}, kNow).inserted, 0u);
    }
    Store& redeemer = round % 2 == 0 ? *store_ : *other_;
    std::vector<RedeemResult> raced(codes.size());
    race(2, [&](int t) {
      if (t == 0) {  // the creator, through the first instance
        for (std::size_t i = kCap; i < codes.size(); ++i) {
          store_->create_link_code(phone, NewLinkCode{{codes[i]}, kNow + kTtl, kCap}, kNow);
        }
      } else {  // the redeemer, through either instance
        for (std::size_t i = 0; i < codes.size(); ++i) {
          raced[i] = redeem(redeemer, codes[i], "tv-" + r + "-" + std::to_string(i)).result;
        }
      }
    });
    int redeemed = 0;
    int live = 0;
    bool newest_live = false;
    for (std::size_t i = 0; i < codes.size(); ++i) {
      ASSERT_TRUE(raced[i] == RedeemResult::kRedeemed || raced[i] == RedeemResult::kInvalid) << codes[i];
      // Redeeming it now tells whether it is still live (and uses it up).
      const bool still_live =
          redeem(redeemer, codes[i], "after-" + r + "-" + std::to_string(i)).result == RedeemResult::kRedeemed;
      if (raced[i] == RedeemResult::kRedeemed) {
        ++redeemed;
        EXPECT_FALSE(still_live) << codes[i] << " was redeemed and is still live";
      }
      if (still_live) ++live;
      newest_live = still_live;
    }
    EXPECT_LE(live, kCap) << "round " << round;
    // The newest code is never retired: it was redeemed or is still live.
    EXPECT_TRUE(raced.back() == RedeemResult::kRedeemed || newest_live) << "round " << round;
    // Every redemption joined exactly one device to the profile.
    EXPECT_EQ(store_->list_devices_of(phone, kNow).devices.size(), static_cast<std::size_t>(1 + redeemed + live))
        << "round " << round;
  }
}

TEST_P(StoreConcurrencyContract, FailuresRecordedThroughTwoInstancesAddUp) {
  const DeviceLink phone = linked(device("sp", "phone", "p1", 10));
  ASSERT_EQ(store_->create_link_code(phone, NewLinkCode{{"right"}, kNow + kTtl, 5}, kNow).inserted, 0u);
  const std::vector<NamedLimit> limit = {NamedLimit{"redeem:address:a", "address", {120'000, 5}}};  // 5 per 600 s
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(redeem(*store_, "wrong", "a" + std::to_string(i), limit).result, RedeemResult::kInvalid);
  for (int i = 0; i < 2; ++i)
    EXPECT_EQ(redeem(*other_, "wrong", "b" + std::to_string(i), limit).result, RedeemResult::kInvalid);
  const RedeemOutcome through_first = redeem(*store_, "right", "tv", limit);
  EXPECT_EQ(through_first.result, RedeemResult::kLimited);
  EXPECT_EQ(through_first.limited_by, "address");
  EXPECT_EQ(redeem(*other_, "right", "tv", limit).result, RedeemResult::kLimited);
}

TEST_P(StoreConcurrencyContract, ConcurrentFailuresThroughTwoInstancesNeverExceedTheLimit) {
  const std::vector<NamedLimit> limit = {NamedLimit{"redeem:address:a", "address", {120'000, 5}}};
  std::atomic<int> invalid{0};
  std::atomic<int> limited{0};
  race(4, [&](int t) {
    for (int i = 0; i < 5; ++i) {
      const auto result = redeem(instance(t), "wrong", "d" + std::to_string(t) + "-" + std::to_string(i), limit).result;
      if (result == RedeemResult::kInvalid) ++invalid;
      if (result == RedeemResult::kLimited) ++limited;
    }
  });
  EXPECT_EQ(invalid.load(), 5);
  EXPECT_EQ(limited.load(), 15);
}

TEST_P(StoreConcurrencyContract, ACodeCollisionAcrossTwoInstancesTakesTheNextCandidate) {
  const DeviceLink first = linked(device("sp", "phone-a", "pa", 10));
  const DeviceLink second = linked(device("sp", "phone-b", "pb", 10));
  // One after the other: the second instance sees the first one's live code.
  ASSERT_EQ(store_->create_link_code(first, NewLinkCode{{"h"}, kNow + kTtl, 100}, kNow).inserted, 0u);
  EXPECT_EQ(other_->create_link_code(second, NewLinkCode{{"h", "h2"}, kNow + kTtl, 100}, kNow).inserted, 1u);
  EXPECT_EQ(redeem(*other_, "h", "tv-h").profile_id, "pa");
  EXPECT_EQ(redeem(*store_, "h2", "tv-h2").profile_id, "pb");
  // At the same time, with the same candidates: one takes the first, the other the second.
  for (int round = 0; round < 50; ++round) {
    const std::string x = "x" + std::to_string(round);
    const std::string y = "y" + std::to_string(round);
    std::array<std::optional<std::size_t>, 2> taken;
    race(2, [&](int t) {
      taken[t] =
          instance(t).create_link_code(t == 0 ? first : second, NewLinkCode{{x, y}, kNow + kTtl, 100}, kNow).inserted;
    });
    ASSERT_TRUE(taken[0] && taken[1]) << "round " << round;
    ASSERT_EQ(*taken[0] + *taken[1], 1u) << "round " << round;
    const std::string first_took = *taken[0] == 0 ? x : y;
    const std::string second_took = *taken[1] == 0 ? x : y;
    EXPECT_EQ(redeem(*store_, first_took, "tv-a" + std::to_string(round)).profile_id, "pa") << "round " << round;
    EXPECT_EQ(redeem(*store_, second_took, "tv-b" + std::to_string(round)).profile_id, "pb") << "round " << round;
  }
}

TEST_P(StoreConcurrencyContract, ConcurrentRateConsumersNeverOvershootTheBurst) {
  const server::RateLimit limit{60'000, 50};  // 50 at once, then one a minute
  std::atomic<int> allowed{0};
  race(8, [&](int t) {
    for (int i = 0; i < 25; ++i) {
      if (instance(t).consume_rate("shared", limit, kNow).allowed) ++allowed;
    }
  });
  EXPECT_EQ(allowed.load(), 50);
}

TEST_P(StoreConcurrencyContract, ConcurrentJoinsNeverOverfillAProfile) {
  std::atomic<int> added{0};
  std::atomic<int> refused{0};
  race(8, [&](int t) {
    const auto outcome =
        instance(t).join_device(device("sp", "d" + std::to_string(t), "p", kNow), JoinLimits{3, std::nullopt}, kNow);
    if (outcome.result == JoinResult::kAdded) ++added;
    if (outcome.result == JoinResult::kDeviceLimit) ++refused;
  });
  EXPECT_EQ(added.load(), 3);
  EXPECT_EQ(refused.load(), 5);
}

TEST_P(StoreConcurrencyContract, ConcurrentKeyBootstrapsAgreeOnOneKey) {
  std::vector<std::string> winners(8);
  std::vector<std::string> salts(8);
  race(8, [&](int t) {
    winners[t] = instance(t).insert_key_if_purpose_absent(KeyRecord{"k" + std::to_string(t), "hs256", "{}", t}).kid;
    salts[t] = instance(t).put_meta_if_absent("salt", "s" + std::to_string(t));
  });
  for (int t = 0; t < 8; ++t) {
    EXPECT_EQ(winners[t], winners.front());
    EXPECT_EQ(salts[t], salts.front());
  }
  EXPECT_EQ(store_->keys().size(), 1u);
  EXPECT_EQ(other_->keys().size(), 1u);
  EXPECT_EQ(store_->keys()[0].kid, winners.front());
  EXPECT_EQ(store_->get_meta("salt"), salts.front());
  EXPECT_EQ(salts.front().size(), 2u);  // one of the values offered, "s0" to "s7"
  EXPECT_EQ(other_->get_meta("salt"), salts.front());
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreConcurrencyContract, ::testing::ValuesIn(store_backends()), backend_name);

}  // namespace
}  // namespace ssokit::store::testing
