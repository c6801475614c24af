// core/housekeeping: dead rows go in batches until none is left; live ones stay.
#include "core/housekeeping.hpp"

#include "core_fixture.hpp"

namespace ssokit::server::testing {
namespace {

using HousekeepingTest = CoreTest;

TEST_F(HousekeepingTest, DeletesEveryDeadRowInBatchesAndKeepsTheLiveOnes) {
  store::ClientRecord client;
  client.client_id = "client";
  client.secret_hash = "hash";
  client.service_providers = {"demo"};
  ASSERT_EQ(store_->register_client(client, std::nullopt, kStart).result, store::CreationResult::kCreated);
  // More dead tokens than one batch holds, so one run needs several store calls.
  const int dead = static_cast<int>(kPurgeBatch) + 44;
  for (int i = 0; i < dead; ++i) {
    store_->issue_access_token({"dead-" + std::to_string(i), "client", kStart + 1000}, std::nullopt, kStart);
  }
  store_->issue_access_token({"live", "client", kStart + 10'000'000}, std::nullopt, kStart);
  clock_.advance(2000);

  Housekeeping housekeeping(*store_, clock_);
  EXPECT_GE(housekeeping.run_once(), static_cast<std::size_t>(dead));
  EXPECT_EQ(store_->find_access_token("dead-0"), std::nullopt);
  EXPECT_EQ(store_->find_access_token("dead-" + std::to_string(dead - 1)), std::nullopt);
  EXPECT_TRUE(store_->find_access_token("live"));
  EXPECT_EQ(housekeeping.run_once(), 0u);  // nothing left
}

TEST_F(HousekeepingTest, AnExpiredMvpdSessionStaysFindableForItsGrace) {
  store::MvpdSessionRecord session;
  session.code_hash = "h";
  session.service_provider = "demo";
  session.session_id = "s";
  session.profile_id = "p";
  session.device_id = "d";
  session.mvpd = "m";
  session.created_at = kStart;
  session.expires_at = kStart + 1000;
  store_->insert_mvpd_session(session);
  Housekeeping housekeeping(*store_, clock_);
  clock_.advance(1000 + kMvpdSessionGraceMs - 1);
  housekeeping.run_once();
  EXPECT_TRUE(store_->find_mvpd_session("h"));  // expired, still findable
  clock_.advance(1);
  housekeeping.run_once();
  EXPECT_EQ(store_->find_mvpd_session("h"), std::nullopt);
}

}  // namespace
}  // namespace ssokit::server::testing
