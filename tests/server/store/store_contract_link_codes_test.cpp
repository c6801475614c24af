// The store contract for link codes: making one (collisions, the per-profile cap, unlinked
// callers) and the whole redemption with its failure, device and creation limits.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "store_contract.hpp"

namespace ssokit::store::testing {
namespace {

constexpr Millis kNow = 1'000'000;
constexpr Millis kTtl = 600'000;

class StoreLinkCodesContract : public StoreContractTest {
 protected:
  // A linked device of (sp, profile) that asks for codes: "phone-<profile>".
  DeviceLink member(const std::string& profile, const std::string& sp = "sp") {
    return linked(device(sp, "phone-" + profile, profile, 10));
  }
  // Makes a code from `hashes`, valid for kTtl from `now`, for a member of `profile`.
  NewCodeOutcome create(const std::vector<std::string>& hashes, const std::string& profile, Millis now, int cap = 5,
                        const std::string& sp = "sp") {
    return store_->create_link_code(member(profile, sp), NewLinkCode{hashes, now + kTtl, cap}, now);
  }
  // The index of the one candidate `hash` when it was inserted.
  std::optional<std::size_t> insert(const std::string& hash, const std::string& profile, Millis now, int cap = 5,
                                    const std::string& sp = "sp") {
    return create({hash}, profile, now, cap, sp).inserted;
  }
  RedeemOutcome redeem(const std::string& hash, const std::string& device_id, Millis now,
                       const std::vector<NamedLimit>& limits = {}, const std::string& sp = "sp") {
    return store_->redeem_link_code(hash, device(sp, device_id, "", now, DeviceType::kSso), limits, JoinLimits{}, now);
  }
};

// ---- create_link_code ------------------------------------------------------------------------

TEST_P(StoreLinkCodesContract, ALiveCodeOfTheSameServiceProviderCollides) {
  EXPECT_EQ(insert("h", "p1", kNow), 0u);
  EXPECT_EQ(insert("h", "p2", kNow + 1), std::nullopt);         // live, same sp
  EXPECT_EQ(insert("h", "p2", kNow + 1, 5, "sp2"), 0u);         // another service provider
  EXPECT_EQ(insert("h", "p1", kNow + kTtl - 1), std::nullopt);  // still live one ms before expiry
  const auto outcome = redeem("h", "tv", kNow + 2);
  EXPECT_EQ(outcome.result, RedeemResult::kRedeemed);
  EXPECT_EQ(outcome.profile_id, "p1");  // the collision did not overwrite it
}

TEST_P(StoreLinkCodesContract, ACollisionTakesTheNextCandidateAndReturnsItsIndex) {
  ASSERT_EQ(insert("a", "p1", kNow), 0u);
  const NewCodeOutcome outcome = create({"a", "b", "c"}, "p2", kNow + 1);
  EXPECT_TRUE(outcome.linked);
  EXPECT_EQ(outcome.profile_id, "p2");
  EXPECT_EQ(outcome.inserted, 1u);
  EXPECT_EQ(redeem("b", "tv1", kNow + 2).profile_id, "p2");
  EXPECT_EQ(redeem("a", "tv2", kNow + 2).profile_id, "p1");
  EXPECT_EQ(redeem("c", "tv3", kNow + 2).result, RedeemResult::kInvalid);  // only one candidate is taken
}

TEST_P(StoreLinkCodesContract, WhenEveryCandidateCollidesNothingIsInserted) {
  ASSERT_EQ(insert("a", "p1", kNow), 0u);
  ASSERT_EQ(insert("b", "p1", kNow), 0u);
  const NewCodeOutcome outcome = create({"a", "b"}, "p2", kNow + 1);
  EXPECT_TRUE(outcome.linked);
  EXPECT_EQ(outcome.profile_id, "p2");
  EXPECT_EQ(outcome.inserted, std::nullopt);
  EXPECT_EQ(redeem("a", "tv1", kNow + 2).profile_id, "p1");
  EXPECT_EQ(redeem("b", "tv2", kNow + 2).profile_id, "p1");
  // Spent codes stay readable until purged (SPEC §6.1): p1's two, and no row of p2's.
  EXPECT_EQ(purge_all(*store_), 2u);
}

TEST_P(StoreLinkCodesContract, ADeadCodeWithTheSameHashIsReplaced) {
  ASSERT_EQ(insert("h", "p1", kNow), 0u);
  EXPECT_EQ(insert("h", "p2", kNow + kTtl), 0u);  // expires_at == now: dead
  const auto outcome = redeem("h", "tv", kNow + kTtl + 1);
  EXPECT_EQ(outcome.result, RedeemResult::kRedeemed);
  EXPECT_EQ(outcome.profile_id, "p2");
  EXPECT_EQ(purge_all(*store_), 1u);  // replaced, not kept beside it
}

TEST_P(StoreLinkCodesContract, AnotherServiceProvidersCodeDoesNotCollide) {
  ASSERT_EQ(insert("h", "p1", kNow), 0u);
  EXPECT_EQ(insert("h", "q1", kNow, 5, "sp2"), 0u);
  EXPECT_EQ(redeem("h", "tv", kNow + 1, {}, "sp2").profile_id, "q1");
  EXPECT_EQ(redeem("h", "tv", kNow + 1, {}, "sp").profile_id, "p1");
}

TEST_P(StoreLinkCodesContract, TheCapRetiresTheOldestLiveCodesOfTheProfile) {
  for (int i = 0; i < 5; ++i) EXPECT_EQ(insert("c" + std::to_string(i), "p1", kNow + i, 3), 0u);
  EXPECT_EQ(insert("other", "p2", kNow + 10, 3), 0u);
  EXPECT_EQ(redeem("c0", "tv0", kNow + 20).result, RedeemResult::kInvalid);
  EXPECT_EQ(redeem("c1", "tv1", kNow + 20).result, RedeemResult::kInvalid);
  EXPECT_EQ(redeem("c2", "tv2", kNow + 20).result, RedeemResult::kRedeemed);
  EXPECT_EQ(redeem("c3", "tv3", kNow + 20).result, RedeemResult::kRedeemed);
  EXPECT_EQ(redeem("c4", "tv4", kNow + 20).result, RedeemResult::kRedeemed);
  EXPECT_EQ(redeem("other", "tv5", kNow + 20).result, RedeemResult::kRedeemed);  // other profiles untouched
  // The retired codes expired (their makers' status calls say so) and wait for housekeeping.
  EXPECT_EQ(purge_all(*store_), 6u);
}

TEST_P(StoreLinkCodesContract, TheCapBreaksTiesByInsertionOrder) {
  // All in the same millisecond: the one inserted first is the oldest.
  for (const char* hash : {"x", "y", "z"}) EXPECT_EQ(insert(hash, "p1", kNow, 2), 0u);
  EXPECT_EQ(redeem("x", "tv0", kNow).result, RedeemResult::kInvalid);
  EXPECT_EQ(redeem("y", "tv1", kNow).result, RedeemResult::kRedeemed);
  EXPECT_EQ(redeem("z", "tv2", kNow).result, RedeemResult::kRedeemed);
}

TEST_P(StoreLinkCodesContract, DeadCodesDoNotCountAgainstTheCap) {
  EXPECT_EQ(insert("old1", "p1", kNow - kTtl, 2), 0u);  // dead by kNow
  EXPECT_EQ(insert("old2", "p1", kNow - kTtl, 2), 0u);
  EXPECT_EQ(insert("a", "p1", kNow, 2), 0u);
  EXPECT_EQ(insert("b", "p1", kNow + 1, 2), 0u);
  EXPECT_EQ(redeem("a", "tv0", kNow + 2).result, RedeemResult::kRedeemed);
  EXPECT_EQ(redeem("b", "tv1", kNow + 2).result, RedeemResult::kRedeemed);
}

TEST_P(StoreLinkCodesContract, AnUnlinkedCallerGetsNoCode) {
  member("p1");
  for (const DeviceLink& caller : {DeviceLink{"sp", "phone-p1", "stale-link", ""},
                                   DeviceLink{"sp", "phone-p1", "link:p1", "p2"}, DeviceLink{"sp", "nobody", "", ""}}) {
    const NewCodeOutcome outcome = store_->create_link_code(caller, NewLinkCode{{"h"}, kNow + kTtl, 5}, kNow);
    EXPECT_FALSE(outcome.linked) << caller.device_id << " " << caller.link_id;
    EXPECT_EQ(outcome.profile_id, "");
    EXPECT_EQ(outcome.inserted, std::nullopt);
  }
  EXPECT_EQ(redeem("h", "tv", kNow + 1).result, RedeemResult::kInvalid);
  EXPECT_EQ(purge_all(*store_), 0u);
}

// ---- redeem_link_code: joining -------------------------------------------------------------

TEST_P(StoreLinkCodesContract, RedeemingJoinsTheDeviceToTheCodesProfileOnce) {
  const DeviceLink phone = member("p1");
  ASSERT_EQ(insert("h", "p1", kNow), 0u);
  DeviceRecord tv = device("sp", "tv", "ignored", kNow + 5, DeviceType::kSso, "{\"model\":\"X\"}");
  auto outcome = store_->redeem_link_code("h", tv, failure_limits("tv"), JoinLimits{}, kNow + 5);
  EXPECT_EQ(outcome.result, RedeemResult::kRedeemed);
  EXPECT_EQ(outcome.profile_id, "p1");
  EXPECT_EQ(outcome.join, JoinResult::kAdded);
  EXPECT_EQ(outcome.link_id, tv.link_id);  // a new device takes the link it offered
  const auto joined = store_->find_device("sp", "tv");
  ASSERT_TRUE(joined);
  EXPECT_EQ(joined->profile_id, "p1");
  EXPECT_EQ(joined->link_id, tv.link_id);
  EXPECT_EQ(joined->type, DeviceType::kSso);
  EXPECT_EQ(joined->info_json, "{\"model\":\"X\"}");
  EXPECT_EQ(store_->list_devices_of(phone, kNow + 5).devices.size(), 2u);
  // Single use.
  outcome =
      store_->redeem_link_code("h", device("sp", "tv2", "", kNow + 6), failure_limits("tv2"), JoinLimits{}, kNow + 6);
  EXPECT_EQ(outcome.result, RedeemResult::kInvalid);
  EXPECT_TRUE(outcome.profile_id.empty());
  EXPECT_EQ(store_->find_device("sp", "tv2"), std::nullopt);
}

TEST_P(StoreLinkCodesContract, RedeemingMovesAnExistingDeviceAndKeepsFirstSeen) {
  join(*store_, device("sp", "tv", "old-profile", 7));
  ASSERT_EQ(insert("h", "p1", kNow), 0u);
  DeviceRecord joining = device("sp", "tv", "", kNow + 1, DeviceType::kSso);
  joining.link_id = "new-link";
  const auto outcome = store_->redeem_link_code("h", joining, {}, JoinLimits{}, kNow + 1);
  EXPECT_EQ(outcome.result, RedeemResult::kRedeemed);
  EXPECT_EQ(outcome.join, JoinResult::kMoved);
  EXPECT_EQ(outcome.link_id, "new-link");
  const auto tv = store_->find_device("sp", "tv");
  ASSERT_TRUE(tv);
  EXPECT_EQ(tv->profile_id, "p1");
  EXPECT_EQ(tv->link_id, "new-link");
  EXPECT_EQ(tv->first_seen, 7);
  EXPECT_EQ(tv->last_seen, kNow + 1);
}

TEST_P(StoreLinkCodesContract, RedeemingByAMemberRejoinsKeepingItsLinkAndUsesTheCode) {
  const DeviceLink tv = linked(device("sp", "tv", "p1", 7));
  ASSERT_EQ(insert("h", "p1", kNow), 0u);
  const auto outcome = redeem("h", "tv", kNow + 1);
  EXPECT_EQ(outcome.result, RedeemResult::kRedeemed);
  EXPECT_EQ(outcome.join, JoinResult::kRejoined);
  EXPECT_EQ(outcome.link_id, tv.link_id);
  EXPECT_EQ(store_->check_device_link(tv, kNow + 2), "p1");
  EXPECT_EQ(redeem("h", "tv2", kNow + 2).result, RedeemResult::kInvalid);
}

TEST_P(StoreLinkCodesContract, ExpiredAndForeignCodesAreInvalid) {
  ASSERT_EQ(insert("h", "p1", kNow), 0u);
  EXPECT_EQ(redeem("h", "tv", kNow + 1, {}, "sp2").result, RedeemResult::kInvalid);  // other sp
  EXPECT_EQ(redeem("h", "tv", kNow + kTtl).result, RedeemResult::kInvalid);          // expires_at == now
  EXPECT_EQ(redeem("nope", "tv", kNow).result, RedeemResult::kInvalid);
  EXPECT_EQ(store_->find_device("sp", "tv"), std::nullopt);
  EXPECT_EQ(store_->find_device("sp2", "tv"), std::nullopt);
}

// ---- redeem_link_code: failure limits --------------------------------------------------------

TEST_P(StoreLinkCodesContract, AfterFFailuresEvenTheRightCodeIsLimited) {
  ASSERT_EQ(insert("right", "p1", kNow), 0u);
  const auto limits = failure_limits("attacker", "10.0.0.1", 3);  // 3 per 600 s: interval 200 s
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(
        store_->redeem_link_code("wrong" + std::to_string(i), device("sp", "attacker", ""), limits, JoinLimits{}, kNow)
            .result,
        RedeemResult::kInvalid)
        << i;
  }
  auto outcome = store_->redeem_link_code("right", device("sp", "attacker", ""), limits, JoinLimits{}, kNow);
  EXPECT_EQ(outcome.result, RedeemResult::kLimited);
  EXPECT_EQ(outcome.limited_by, "device");
  EXPECT_EQ(outcome.retry_after_ms, 200'000);
  EXPECT_TRUE(outcome.profile_id.empty());
  EXPECT_EQ(store_->find_device("sp", "attacker"), std::nullopt);

  // Refusals are not failures: one ms early it is still limited, then exactly one more try.
  outcome = store_->redeem_link_code("right", device("sp", "attacker", ""), limits, JoinLimits{}, kNow + 199'999);
  EXPECT_EQ(outcome.result, RedeemResult::kLimited);
  EXPECT_EQ(outcome.retry_after_ms, 1);
  outcome = store_->redeem_link_code("right", device("sp", "attacker", ""), limits, JoinLimits{}, kNow + 200'000);
  EXPECT_EQ(outcome.result, RedeemResult::kRedeemed);
  EXPECT_EQ(outcome.profile_id, "p1");
}

TEST_P(StoreLinkCodesContract, ASuccessDoesNotCountAsAFailure) {
  const auto limits = failure_limits("tv", "10.0.0.1", 1);
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(insert("c" + std::to_string(i), "p1", kNow), 0u);
    EXPECT_EQ(
        store_->redeem_link_code("c" + std::to_string(i), device("sp", "tv", ""), limits, JoinLimits{}, kNow).result,
        RedeemResult::kRedeemed);
  }
}

TEST_P(StoreLinkCodesContract, ADeviceLimitDoesNotAffectAnotherDevice) {
  ASSERT_EQ(insert("right", "p1", kNow), 0u);
  const auto attacker = failure_limits("attacker", "10.0.0.1", 2);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(store_->redeem_link_code("wrong", device("sp", "attacker", ""), attacker, JoinLimits{}, kNow).result,
              RedeemResult::kInvalid);
  }
  EXPECT_EQ(store_->redeem_link_code("right", device("sp", "attacker", ""), attacker, JoinLimits{}, kNow).result,
            RedeemResult::kLimited);
  // Another device at another address is not limited.
  const auto outcome = store_->redeem_link_code("right", device("sp", "tv", ""), failure_limits("tv", "10.0.0.2", 2),
                                                JoinLimits{}, kNow);
  EXPECT_EQ(outcome.result, RedeemResult::kRedeemed);
}

TEST_P(StoreLinkCodesContract, AnAddressLimitCoversEveryDeviceBehindIt) {
  ASSERT_EQ(insert("right", "p1", kNow), 0u);
  store_->redeem_link_code("wrong", device("sp", "a", ""), failure_limits("a", "10.9.9.9", 2), JoinLimits{}, kNow);
  store_->redeem_link_code("wrong", device("sp", "b", ""), failure_limits("b", "10.9.9.9", 2), JoinLimits{}, kNow);
  const auto outcome =
      store_->redeem_link_code("right", device("sp", "c", ""), failure_limits("c", "10.9.9.9", 2), JoinLimits{}, kNow);
  EXPECT_EQ(outcome.result, RedeemResult::kLimited);
  EXPECT_EQ(outcome.limited_by, "address");
  EXPECT_EQ(outcome.retry_after_ms, 300'000);
}

TEST_P(StoreLinkCodesContract, LimitedByNamesTheFirstRefusingLimitAndWaitsForTheLongest) {
  const NamedLimit short_limit{"k-short", "device", server::RateLimit{1000, 1}};
  const NamedLimit long_limit{"k-long", "address", server::RateLimit{5000, 1}};
  EXPECT_EQ(
      store_->redeem_link_code("wrong", device("sp", "d", ""), {short_limit, long_limit}, JoinLimits{}, kNow).result,
      RedeemResult::kInvalid);
  const auto outcome =
      store_->redeem_link_code("wrong", device("sp", "d", ""), {short_limit, long_limit}, JoinLimits{}, kNow);
  EXPECT_EQ(outcome.result, RedeemResult::kLimited);
  EXPECT_EQ(outcome.limited_by, "device");
  EXPECT_EQ(outcome.retry_after_ms, 5000);  // a retry after this is refused by neither limit
}

// ---- redeem_link_code: device and creation limits ----------------------------------------------

TEST_P(StoreLinkCodesContract, AFullProfileRefusesTheDeviceAndLeavesTheCodeLive) {
  member("p1");  // the phone fills a profile of one
  ASSERT_EQ(insert("right", "p1", kNow), 0u);
  const std::vector<NamedLimit> one_failure = {NamedLimit{"redeem:address:a", "address", {600'000, 1}}};
  const auto refused =
      store_->redeem_link_code("right", device("sp", "tv", ""), one_failure, JoinLimits{1, std::nullopt}, kNow);
  EXPECT_EQ(refused.result, RedeemResult::kDeviceLimit);
  EXPECT_EQ(store_->find_device("sp", "tv"), std::nullopt);
  // The code is still live, and the right code recorded no failure (the one allowed is left).
  const auto redeemed =
      store_->redeem_link_code("right", device("sp", "tv", ""), one_failure, JoinLimits{2, std::nullopt}, kNow + 1);
  EXPECT_EQ(redeemed.result, RedeemResult::kRedeemed);
  EXPECT_EQ(redeemed.profile_id, "p1");
}

TEST_P(StoreLinkCodesContract, TheCreationLimitRefusesANewDeviceBeforeTheCodeIsLookedAt) {
  ASSERT_EQ(insert("right", "p1", kNow), 0u);
  const JoinLimits creation = creation_limited("create:address:a", {1000, 1});
  const std::vector<NamedLimit> one_failure = {NamedLimit{"redeem:address:a", "address", {600'000, 1}}};
  ASSERT_EQ(store_->join_device(device("sp", "x", "q", kNow), creation, kNow).result, JoinResult::kAdded);
  // No room to create: refused whether the code is wrong or right, and neither is a failure.
  for (const char* hash : {"wrong", "right"}) {
    const auto outcome = store_->redeem_link_code(hash, device("sp", "tv", ""), one_failure, creation, kNow);
    EXPECT_EQ(outcome.result, RedeemResult::kCreationLimited) << hash;
    EXPECT_EQ(outcome.retry_after_ms, 1000) << hash;
  }
  EXPECT_EQ(store_->find_device("sp", "tv"), std::nullopt);
  // Once it refills the code is still there, and the failure allowed was not used.
  EXPECT_EQ(store_->redeem_link_code("right", device("sp", "tv", ""), one_failure, creation, kNow + 1000).result,
            RedeemResult::kRedeemed);
  EXPECT_EQ(store_->redeem_link_code("wrong", device("sp", "tv2", ""), one_failure, creation, kNow + 2000).result,
            RedeemResult::kInvalid);
  EXPECT_EQ(store_->redeem_link_code("wrong", device("sp", "tv3", ""), one_failure, creation, kNow + 3000).result,
            RedeemResult::kLimited);
}

TEST_P(StoreLinkCodesContract, TheCreationLimitDoesNotStopAnExistingDevice) {
  join(*store_, device("sp", "tv", "old-profile", 7));
  ASSERT_EQ(insert("right", "p1", kNow), 0u);
  const JoinLimits creation = creation_limited("create:address:a", {1000, 1});
  ASSERT_EQ(store_->join_device(device("sp", "x", "q", kNow), creation, kNow).result, JoinResult::kAdded);
  const auto outcome = store_->redeem_link_code("right", device("sp", "tv", ""), {}, creation, kNow);
  EXPECT_EQ(outcome.result, RedeemResult::kRedeemed);
  EXPECT_EQ(outcome.join, JoinResult::kMoved);
}

TEST_P(StoreLinkCodesContract, AFailureLimitRefusesBeforeTheCreationLimit) {
  ASSERT_EQ(insert("right", "p1", kNow), 0u);
  const JoinLimits creation = creation_limited("create:address:a", {1000, 1});
  const std::vector<NamedLimit> one_failure = {NamedLimit{"redeem:address:a", "address", {600'000, 1}}};
  ASSERT_EQ(store_->join_device(device("sp", "x", "q", kNow), creation, kNow).result, JoinResult::kAdded);
  ASSERT_EQ(store_->redeem_link_code("wrong", device("sp", "x", ""), one_failure, creation, kNow).result,
            RedeemResult::kInvalid);  // x exists: no creation needed, so this failure counts
  const auto outcome = store_->redeem_link_code("right", device("sp", "tv", ""), one_failure, creation, kNow);
  EXPECT_EQ(outcome.result, RedeemResult::kLimited);
  EXPECT_EQ(outcome.limited_by, "address");
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreLinkCodesContract, ::testing::ValuesIn(store_backends()), backend_name);

}  // namespace
}  // namespace ssokit::store::testing
