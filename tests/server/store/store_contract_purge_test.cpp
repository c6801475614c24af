// The store contract for housekeeping: purge_expired() deletes dead rows in bounded batches,
// keeps what is still live (and MVPD sessions through their grace), and never touches the
// rows that do not expire.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store_contract.hpp"

namespace ssokit::store::testing {
namespace {

constexpr Millis kNow = 1'000'000;
constexpr Millis kTtl = 600'000;
constexpr Millis kDay = 24LL * 3600 * 1000;

class StorePurgeContract : public StoreContractTest {
 protected:
  void SetUp() override {
    StoreContractTest::SetUp();
    phone_ = linked(device("sp", "phone", "p1", 10));
    ASSERT_EQ(store_->register_client(ClientRecord{"c", "hash", {"sp"}, "", 1}, std::nullopt, 1).result,
              CreationResult::kCreated);
  }

  // One row of each kind that expires, made at kNow and dead from `expires_at` on.
  void add_code(const std::string& hash, Millis expires_at) {
    ASSERT_TRUE(store_->create_link_code(phone_, NewLinkCode{{hash}, expires_at, 1000}, kNow).inserted) << hash;
  }
  void add_token(const std::string& hash, Millis expires_at) {
    ASSERT_EQ(store_->issue_access_token(AccessTokenRecord{hash, "c", expires_at}, std::nullopt, kNow).result,
              CreationResult::kCreated);
  }
  void add_session(const std::string& hash, Millis expires_at) {
    store_->insert_mvpd_session(MvpdSessionRecord{hash, "sp", "sess-" + hash, "p1", "phone", "A", "example.com",
                                                  "https://example.com/back", kNow - kDay, expires_at});
  }
  void add_mvpd_profile(const std::string& mvpd, Millis not_after) {
    store_->upsert_mvpd_profile(MvpdProfileRecord{"sp", "p1", mvpd, "phone", "u-" + mvpd, kNow, not_after}, kNow);
  }

  DeviceLink phone_;
};

TEST_P(StorePurgeContract, EachCallDeletesAtMostABatchOfEachKind) {
  const Millis dead_at = kNow + kTtl;
  for (int i = 0; i < 20; ++i) {
    const std::string n = std::to_string(i);
    add_code("code" + n, dead_at);
    ASSERT_TRUE(store_->consume_rate("rate" + n, {1000, 1}, kNow).allowed);  // dead from kNow + 1000
    add_token("token" + n, dead_at);
    add_session("session" + n, dead_at);
    add_mvpd_profile("mvpd" + n, dead_at);
  }
  const PurgeCutoffs cutoffs{dead_at, dead_at + 1, dead_at, 8};
  // Five kinds, 20 dead rows each, at most 8 of each per call: 40 only if every kind gave 8.
  EXPECT_EQ(store_->purge_expired(cutoffs), 40u);
  EXPECT_EQ(store_->purge_expired(cutoffs), 40u);
  EXPECT_EQ(store_->purge_expired(cutoffs), 20u);
  EXPECT_EQ(store_->purge_expired(cutoffs), 0u);
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(store_->find_access_token("token" + std::to_string(i)), std::nullopt) << i;
    EXPECT_EQ(store_->find_mvpd_session("session" + std::to_string(i)), std::nullopt) << i;
  }
  EXPECT_EQ(purge_all(*store_), 0u);
}

TEST_P(StorePurgeContract, DeletesWhatIsDeadAtTheCutoffsAndNothingElse) {
  const Millis now = kNow + kTtl;
  const Millis sessions_before = now - 100;
  add_code("dead", now);  // expires_at == now: dead
  add_code("live", now + 1);
  ASSERT_TRUE(store_->consume_rate("dead", {1000, 1}, now - 1000).allowed);  // tat == now: as good as no row
  ASSERT_TRUE(store_->consume_rate("live", {1000, 1}, now - 999).allowed);   // tat == now + 1
  add_token("dead", now);
  add_token("live", now + 1);
  add_session("gone", sessions_before - 100);
  add_session("in-grace", sessions_before + 50);  // expired, but after the sessions' cutoff
  add_session("live", now + 1);
  add_mvpd_profile("dead", now);
  add_mvpd_profile("live", now + 1);
  // Rows that never expire.
  store_->put_meta_if_absent("m", "v");
  store_->ensure_service_provider("sp", 1);
  store_->insert_key(KeyRecord{"k1", "hs256", "{}", 1});
  store_->revoke_software_statement("s-revoked", 1);

  EXPECT_EQ(store_->purge_expired(PurgeCutoffs{now, sessions_before, now, 8}), 5u);
  EXPECT_EQ(store_->purge_expired(PurgeCutoffs{now, sessions_before, now, 8}), 0u);

  EXPECT_EQ(store_->redeem_link_code("live", device("sp", "tv", ""), {}, JoinLimits{}, now).result,
            RedeemResult::kRedeemed);
  EXPECT_FALSE(store_->consume_rate("live", {1000, 1}, now).allowed);  // its row is still there
  EXPECT_EQ(store_->find_access_token("dead"), std::nullopt);
  EXPECT_TRUE(store_->find_access_token("live"));
  EXPECT_EQ(store_->find_mvpd_session("gone"), std::nullopt);
  EXPECT_TRUE(store_->find_mvpd_session("in-grace"));
  EXPECT_TRUE(store_->find_mvpd_session("live"));
  const auto profiles = store_->list_mvpd_profiles("sp", "p1", now);
  ASSERT_EQ(profiles.size(), 1u);
  EXPECT_EQ(profiles[0].mvpd, "live");

  EXPECT_EQ(store_->check_device_link(phone_, now), "p1");
  EXPECT_TRUE(store_->find_device("sp", "tv"));
  EXPECT_TRUE(store_->find_client("c"));
  EXPECT_EQ(store_->keys().size(), 1u);
  EXPECT_EQ(store_->get_meta("m"), "v");
  EXPECT_TRUE(store_->service_provider_exists("sp"));
  EXPECT_EQ(store_->register_client(ClientRecord{"c2", "h", {}, "s-revoked", 1}, std::nullopt, now).result,
            CreationResult::kStatementRevoked);
}

TEST_P(StorePurgeContract, ExpiredMvpdSessionsStayFindableUntilTheirGraceEnds) {
  store_->insert_mvpd_session(MvpdSessionRecord{"old", "sp", "s-old", "p1", "phone", "A", "example.com",
                                                "https://example.com/back", 1000, 2000});
  store_->insert_mvpd_session(MvpdSessionRecord{"new", "sp", "s-new", "p1", "phone", "A", "example.com",
                                                "https://example.com/back", 5000, 6000});
  EXPECT_EQ(store_->purge_expired(PurgeCutoffs{5000, 5000 - kDay, 5000, 8}), 0u);
  EXPECT_TRUE(store_->find_mvpd_session("old"));  // expired, still findable
  const Millis later = 2000 + kDay + 1;
  EXPECT_EQ(store_->purge_expired(PurgeCutoffs{later, later - kDay, later, 8}), 1u);
  EXPECT_EQ(store_->find_mvpd_session("old"), std::nullopt);  // purged after the grace
  EXPECT_TRUE(store_->find_mvpd_session("new"));
}

INSTANTIATE_TEST_SUITE_P(Backends, StorePurgeContract, ::testing::ValuesIn(store_backends()), backend_name);

}  // namespace
}  // namespace ssokit::store::testing
