// Link codes on the SQLite store: insertion with collisions and the per-profile cap, and
// the whole redemption with its failure limits.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/sqlite_store.hpp"
#include "store_test_support.hpp"

namespace ssokit::store {
namespace {

using testing::RawDb;
using testing::TempDir;

constexpr Millis kNow = 1'000'000;
constexpr Millis kTtl = 600'000;

class SqliteLinkCodesTest : public ::testing::Test {
 protected:
  void SetUp() override { store_ = testing::open_sqlite(path()); }
  std::string path() const { return dir_.file("ssokit.db"); }

  bool insert(const std::string& hash, const std::string& profile, Millis created_at, int cap = 5,
              const std::string& sp = "sp") {
    return store_->insert_link_code(testing::link_code(sp, hash, profile, created_at, created_at + kTtl),
                                    created_at, cap);
  }
  RedeemOutcome redeem(const std::string& hash, const std::string& device_id, Millis now,
                       const std::vector<NamedLimit>& limits = {}, const std::string& sp = "sp") {
    return store_->redeem_link_code(hash, testing::device(sp, device_id, "", now, DeviceType::kSso), limits,
                                    JoinLimits{}, now);
  }

  TempDir dir_;
  std::unique_ptr<SqliteStore> store_;
};

// "5 failures per 600 s" per device and per address, as the service configures them.
std::vector<NamedLimit> limits_for(const std::string& device_id, const std::string& address = "10.0.0.1",
                                   std::int64_t failures = 5) {
  const auto limit = server::RateLimit::per_window(failures, 600);
  return {NamedLimit{"redeem:device:sp:" + device_id, "device", limit},
          NamedLimit{"redeem:address:" + address, "address", limit},
          NamedLimit{"redeem:sp:sp", "service_provider", server::RateLimit::per_window(1000, 600)}};
}

// ---- insert_link_code ----------------------------------------------------------------

TEST_F(SqliteLinkCodesTest, ALiveCodeOfTheSameServiceProviderCollides) {
  EXPECT_TRUE(insert("h", "p1", kNow));
  EXPECT_FALSE(insert("h", "p2", kNow + 1));            // live, same sp
  EXPECT_TRUE(insert("h", "p2", kNow + 1, 5, "sp2"));   // another service provider
  EXPECT_FALSE(insert("h", "p1", kNow + kTtl - 1));     // still live one ms before expiry
  const auto outcome = redeem("h", "tv", kNow + 2);
  EXPECT_EQ(outcome.result, RedeemResult::kRedeemed);
  EXPECT_EQ(outcome.profile_id, "p1");  // the collision did not overwrite it
}

TEST_F(SqliteLinkCodesTest, ADeadCodeWithTheSameHashIsReplaced) {
  EXPECT_TRUE(insert("h", "p1", kNow));
  EXPECT_TRUE(insert("h", "p2", kNow + kTtl));  // expires_at == now: dead
  const auto outcome = redeem("h", "tv", kNow + kTtl + 1);
  EXPECT_EQ(outcome.result, RedeemResult::kRedeemed);
  EXPECT_EQ(outcome.profile_id, "p2");
  RawDb raw(path());
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM link_codes"), 0);
}

TEST_F(SqliteLinkCodesTest, TheCapRetiresTheOldestLiveCodesOfTheProfile) {
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(insert("c" + std::to_string(i), "p1", kNow + i, 3));
  EXPECT_TRUE(insert("other", "p2", kNow + 10, 3));
  RawDb raw(path());
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM link_codes WHERE profile_id = 'p1'"), 3);
  EXPECT_EQ(redeem("c0", "tv0", kNow + 20).result, RedeemResult::kInvalid);
  EXPECT_EQ(redeem("c1", "tv1", kNow + 20).result, RedeemResult::kInvalid);
  EXPECT_EQ(redeem("c2", "tv2", kNow + 20).result, RedeemResult::kRedeemed);
  EXPECT_EQ(redeem("c3", "tv3", kNow + 20).result, RedeemResult::kRedeemed);
  EXPECT_EQ(redeem("c4", "tv4", kNow + 20).result, RedeemResult::kRedeemed);
  EXPECT_EQ(redeem("other", "tv5", kNow + 20).result, RedeemResult::kRedeemed);  // other profiles untouched
}

TEST_F(SqliteLinkCodesTest, TheCapBreaksTiesByInsertionOrder) {
  // All in the same millisecond: the one inserted first is the oldest.
  for (const char* hash : {"x", "y", "z"}) EXPECT_TRUE(insert(hash, "p1", kNow, 2));
  EXPECT_EQ(redeem("x", "tv0", kNow).result, RedeemResult::kInvalid);
  EXPECT_EQ(redeem("y", "tv1", kNow).result, RedeemResult::kRedeemed);
  EXPECT_EQ(redeem("z", "tv2", kNow).result, RedeemResult::kRedeemed);
}

TEST_F(SqliteLinkCodesTest, DeadCodesDoNotCountAgainstTheCap) {
  EXPECT_TRUE(insert("old1", "p1", kNow - kTtl, 2));  // dead by kNow
  EXPECT_TRUE(insert("old2", "p1", kNow - kTtl, 2));
  EXPECT_TRUE(insert("a", "p1", kNow, 2));
  EXPECT_TRUE(insert("b", "p1", kNow + 1, 2));
  EXPECT_EQ(redeem("a", "tv0", kNow + 2).result, RedeemResult::kRedeemed);
  EXPECT_EQ(redeem("b", "tv1", kNow + 2).result, RedeemResult::kRedeemed);
}

// ---- redeem_link_code ----------------------------------------------------------------

TEST_F(SqliteLinkCodesTest, RedeemingJoinsTheDeviceToTheCodesProfileOnce) {
  testing::join(*store_, testing::device("sp", "phone", "p1", 10));
  ASSERT_TRUE(insert("h", "p1", kNow));
  DeviceRecord tv = testing::device("sp", "tv", "ignored", kNow + 5, DeviceType::kSso, "{\"model\":\"X\"}");
  auto outcome = store_->redeem_link_code("h", tv, limits_for("tv"), JoinLimits{}, kNow + 5);
  EXPECT_EQ(outcome.result, RedeemResult::kRedeemed);
  EXPECT_EQ(outcome.profile_id, "p1");
  const auto joined = store_->find_device("sp", "tv");
  ASSERT_TRUE(joined);
  EXPECT_EQ(joined->profile_id, "p1");
  EXPECT_EQ(joined->type, DeviceType::kSso);
  EXPECT_EQ(joined->info_json, "{\"model\":\"X\"}");
  EXPECT_EQ(store_->list_devices("sp", "p1").size(), 2u);
  // Single use.
  outcome = store_->redeem_link_code("h", testing::device("sp", "tv2", "", kNow + 6), limits_for("tv2"), JoinLimits{},
                                     kNow + 6);
  EXPECT_EQ(outcome.result, RedeemResult::kInvalid);
  EXPECT_TRUE(outcome.profile_id.empty());
  EXPECT_EQ(store_->find_device("sp", "tv2"), std::nullopt);
}

TEST_F(SqliteLinkCodesTest, RedeemingMovesAnExistingDeviceAndKeepsFirstSeen) {
  testing::join(*store_, testing::device("sp", "tv", "old-profile", 7));
  ASSERT_TRUE(insert("h", "p1", kNow));
  EXPECT_EQ(redeem("h", "tv", kNow + 1).result, RedeemResult::kRedeemed);
  const auto tv = store_->find_device("sp", "tv");
  ASSERT_TRUE(tv);
  EXPECT_EQ(tv->profile_id, "p1");
  EXPECT_EQ(tv->first_seen, 7);
  EXPECT_EQ(tv->last_seen, kNow + 1);
}

TEST_F(SqliteLinkCodesTest, ExpiredAndForeignCodesAreInvalid) {
  ASSERT_TRUE(insert("h", "p1", kNow));
  EXPECT_EQ(redeem("h", "tv", kNow + 1, {}, "sp2").result, RedeemResult::kInvalid);  // other sp
  EXPECT_EQ(redeem("h", "tv", kNow + kTtl).result, RedeemResult::kInvalid);          // expires_at == now
  EXPECT_EQ(redeem("nope", "tv", kNow).result, RedeemResult::kInvalid);
  EXPECT_EQ(store_->find_device("sp", "tv"), std::nullopt);
  EXPECT_EQ(store_->find_device("sp2", "tv"), std::nullopt);
}

TEST_F(SqliteLinkCodesTest, AfterFFailuresEvenTheRightCodeIsLimited) {
  ASSERT_TRUE(insert("right", "p1", kNow));
  const auto limits = limits_for("attacker", "10.0.0.1", 3);  // 3 per 600 s: interval 200 s
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(store_
                  ->redeem_link_code("wrong" + std::to_string(i), testing::device("sp", "attacker", ""), limits,
                                     JoinLimits{}, kNow)
                  .result,
              RedeemResult::kInvalid)
        << i;
  }
  auto outcome = store_->redeem_link_code("right", testing::device("sp", "attacker", ""), limits, JoinLimits{}, kNow);
  EXPECT_EQ(outcome.result, RedeemResult::kLimited);
  EXPECT_EQ(outcome.limited_by, "device");
  EXPECT_EQ(outcome.retry_after_ms, 200'000);
  EXPECT_TRUE(outcome.profile_id.empty());
  EXPECT_EQ(store_->find_device("sp", "attacker"), std::nullopt);

  // Refusals are not failures: one ms early it is still limited, then exactly one more try.
  outcome =
      store_->redeem_link_code("right", testing::device("sp", "attacker", ""), limits, JoinLimits{}, kNow + 199'999);
  EXPECT_EQ(outcome.result, RedeemResult::kLimited);
  EXPECT_EQ(outcome.retry_after_ms, 1);
  outcome =
      store_->redeem_link_code("right", testing::device("sp", "attacker", ""), limits, JoinLimits{}, kNow + 200'000);
  EXPECT_EQ(outcome.result, RedeemResult::kRedeemed);
  EXPECT_EQ(outcome.profile_id, "p1");
}

TEST_F(SqliteLinkCodesTest, ASuccessDoesNotCountAsAFailure) {
  const auto limits = limits_for("tv", "10.0.0.1", 1);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(insert("c" + std::to_string(i), "p1", kNow));
    EXPECT_EQ(
        store_->redeem_link_code("c" + std::to_string(i), testing::device("sp", "tv", ""), limits, JoinLimits{}, kNow)
            .result,
        RedeemResult::kRedeemed);
  }
}

TEST_F(SqliteLinkCodesTest, ADeviceLimitDoesNotAffectAnotherDevice) {
  ASSERT_TRUE(insert("right", "p1", kNow));
  const auto attacker = limits_for("attacker", "10.0.0.1", 2);
  for (int i = 0; i < 2; ++i) {
    store_->redeem_link_code("wrong", testing::device("sp", "attacker", ""), attacker, JoinLimits{}, kNow);
  }
  EXPECT_EQ(
      store_->redeem_link_code("right", testing::device("sp", "attacker", ""), attacker, JoinLimits{}, kNow).result,
      RedeemResult::kLimited);
  // Another device at another address is not limited.
  const auto outcome = store_->redeem_link_code("right", testing::device("sp", "tv", ""),
                                                limits_for("tv", "10.0.0.2", 2), JoinLimits{}, kNow);
  EXPECT_EQ(outcome.result, RedeemResult::kRedeemed);
}

TEST_F(SqliteLinkCodesTest, AnAddressLimitCoversEveryDeviceBehindIt) {
  ASSERT_TRUE(insert("right", "p1", kNow));
  store_->redeem_link_code("wrong", testing::device("sp", "a", ""), limits_for("a", "10.9.9.9", 2), JoinLimits{}, kNow);
  store_->redeem_link_code("wrong", testing::device("sp", "b", ""), limits_for("b", "10.9.9.9", 2), JoinLimits{}, kNow);
  const auto outcome = store_->redeem_link_code("right", testing::device("sp", "c", ""), limits_for("c", "10.9.9.9", 2),
                                                JoinLimits{}, kNow);
  EXPECT_EQ(outcome.result, RedeemResult::kLimited);
  EXPECT_EQ(outcome.limited_by, "address");
  EXPECT_EQ(outcome.retry_after_ms, 300'000);
}

TEST_F(SqliteLinkCodesTest, LimitedByNamesTheFirstRefusingLimitAndWaitsForTheLongest) {
  const NamedLimit short_limit{"k-short", "device", server::RateLimit{1000, 1}};
  const NamedLimit long_limit{"k-long", "address", server::RateLimit{5000, 1}};
  store_->redeem_link_code("wrong", testing::device("sp", "d", ""), {short_limit, long_limit}, JoinLimits{}, kNow);
  const auto outcome =
      store_->redeem_link_code("wrong", testing::device("sp", "d", ""), {short_limit, long_limit}, JoinLimits{}, kNow);
  EXPECT_EQ(outcome.result, RedeemResult::kLimited);
  EXPECT_EQ(outcome.limited_by, "device");
  EXPECT_EQ(outcome.retry_after_ms, 5000);  // a retry after this is refused by neither limit
}

TEST_F(SqliteLinkCodesTest, FailureLimitsAreStoredAsArrivalTimes) {
  store_->redeem_link_code("wrong", testing::device("sp", "d", ""), {NamedLimit{"k", "device", {1000, 5}}},
                           JoinLimits{}, kNow);
  RawDb raw(path());
  EXPECT_EQ(raw.scalar("SELECT tat FROM rate_limits WHERE key = 'k'"), kNow + 1000);
}

TEST_F(SqliteLinkCodesTest, DeadRowsAreDeletedOpportunisticallyInBoundedSteps) {
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(insert("dead" + std::to_string(i), "p" + std::to_string(i), kNow));
  for (int i = 0; i < 30; ++i) store_->consume_rate("r" + std::to_string(i), {1000, 1}, kNow);
  RawDb raw(path());
  const Millis later = kNow + kTtl + 1;  // every code and every rate row is dead
  redeem("x", "d", later);
  const auto codes = raw.scalar("SELECT count(*) FROM link_codes");
  const auto rates = raw.scalar("SELECT count(*) FROM rate_limits");
  EXPECT_LT(codes, 30);
  EXPECT_GE(codes, 30 - 8);
  EXPECT_LT(rates, 30);
  EXPECT_GE(rates, 30 - 8);
  for (int i = 0; i < 5; ++i) redeem("x", "d", later);
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM link_codes"), 0);
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM rate_limits"), 0);
}

}  // namespace
}  // namespace ssokit::store
