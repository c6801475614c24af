// The store contract for the MVPD rows of the compact REST API V2 part: sessions by code
// hash, and the MVPD profiles of an SSO profile (the first live login stays).
#include <gtest/gtest.h>

#include <string>

#include "store_contract.hpp"

namespace ssokit::store::testing {
namespace {

class StoreMvpdContract : public StoreContractTest {};

MvpdSessionRecord session(const std::string& hash, Millis created_at, Millis expires_at) {
  return MvpdSessionRecord{hash,       "sp",          "sess-" + hash, "p1",
                           "d1",       "Cablevision", "example.com",  "https://example.com/back",
                           created_at, expires_at};
}

MvpdProfileRecord mvpd_profile(const std::string& mvpd, const std::string& user, Millis nb, Millis na) {
  return MvpdProfileRecord{"sp", "p1", mvpd, "d1", user, nb, na};
}

TEST_P(StoreMvpdContract, SessionsRoundTrip) {
  store_->insert_mvpd_session(session("h1", 1000, 2000));
  const auto s = store_->find_mvpd_session("h1");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->code_hash, "h1");
  EXPECT_EQ(s->service_provider, "sp");
  EXPECT_EQ(s->session_id, "sess-h1");
  EXPECT_EQ(s->profile_id, "p1");
  EXPECT_EQ(s->device_id, "d1");
  EXPECT_EQ(s->mvpd, "Cablevision");
  EXPECT_EQ(s->domain_name, "example.com");
  EXPECT_EQ(s->redirect_url, "https://example.com/back");
  EXPECT_EQ(s->created_at, 1000);
  EXPECT_EQ(s->expires_at, 2000);
  EXPECT_EQ(store_->find_mvpd_session("h2"), std::nullopt);
}

TEST_P(StoreMvpdContract, ALiveSessionWithTheSameHashIsAStoreErrorADeadOneIsReplaced) {
  store_->insert_mvpd_session(session("h1", 1000, 2000));
  EXPECT_THROW(store_->insert_mvpd_session(session("h1", 1500, 2500)), StoreError);
  EXPECT_EQ(store_->find_mvpd_session("h1")->created_at, 1000);  // the live one is untouched
  store_->insert_mvpd_session(session("h1", 2000, 3000));        // created when the first expired
  EXPECT_EQ(store_->find_mvpd_session("h1")->created_at, 2000);
  EXPECT_EQ(store_->find_mvpd_session("h1")->expires_at, 3000);
}

TEST_P(StoreMvpdContract, AProfileKeepsTheFirstLiveLogin) {
  const auto first = store_->upsert_mvpd_profile(mvpd_profile("Cablevision", "u1", 1000, 5000), 1000);
  EXPECT_EQ(first.user_id, "u1");
  const auto again = store_->upsert_mvpd_profile(mvpd_profile("Cablevision", "u2", 2000, 9000), 2000);
  EXPECT_EQ(again.user_id, "u1");
  EXPECT_EQ(again.not_after, 5000);
  // Once it is dead, a new login replaces it.
  const auto replaced = store_->upsert_mvpd_profile(mvpd_profile("Cablevision", "u3", 5000, 9000), 5000);
  EXPECT_EQ(replaced.user_id, "u3");
  const auto listed = store_->list_mvpd_profiles("sp", "p1", 5000);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].service_provider, "sp");
  EXPECT_EQ(listed[0].profile_id, "p1");
  EXPECT_EQ(listed[0].mvpd, "Cablevision");
  EXPECT_EQ(listed[0].user_id, "u3");
  EXPECT_EQ(listed[0].login_device_id, "d1");
  EXPECT_EQ(listed[0].not_before, 5000);
  EXPECT_EQ(listed[0].not_after, 9000);
}

TEST_P(StoreMvpdContract, ListAndDeleteOnlyLiveProfiles) {
  store_->upsert_mvpd_profile(mvpd_profile("A", "ua", 100, 1000), 100);
  store_->upsert_mvpd_profile(mvpd_profile("B", "ub", 200, 5000), 200);
  store_->upsert_mvpd_profile(MvpdProfileRecord{"sp", "p2", "A", "d9", "other", 100, 5000}, 100);
  auto live = store_->list_mvpd_profiles("sp", "p1", 500);
  ASSERT_EQ(live.size(), 2u);
  EXPECT_EQ(live[0].mvpd, "A");
  EXPECT_EQ(live[1].mvpd, "B");
  live = store_->list_mvpd_profiles("sp", "p1", 1000);  // not_after == now is dead
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(live[0].mvpd, "B");

  EXPECT_FALSE(store_->delete_mvpd_profile("sp", "p1", "A", 1000));  // dead
  EXPECT_FALSE(store_->delete_mvpd_profile("sp", "p1", "C", 1000));  // none
  EXPECT_TRUE(store_->delete_mvpd_profile("sp", "p1", "B", 1000));
  EXPECT_FALSE(store_->delete_mvpd_profile("sp", "p1", "B", 1000));
  EXPECT_TRUE(store_->list_mvpd_profiles("sp", "p1", 1000).empty());
  EXPECT_EQ(store_->list_mvpd_profiles("sp", "p2", 1000).size(), 1u);
  EXPECT_TRUE(store_->list_mvpd_profiles("sp2", "p1", 500).empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreMvpdContract, ::testing::ValuesIn(store_backends()), backend_name);

}  // namespace
}  // namespace ssokit::store::testing
