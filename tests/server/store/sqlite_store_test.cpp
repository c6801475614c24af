// The documented semantics of every Store method on the SQLite store (store/store.hpp).
#include "store/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>
#include <vector>

#include "store/sqlite_schema.hpp"
#include "store_test_support.hpp"

namespace ssokit::store {
namespace {

using testing::RawDb;
using testing::TempDir;

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { store_ = testing::open_sqlite(path()); }
  std::string path() const { return dir_.file("ssokit.db"); }
  void reopen() {
    store_.reset();
    store_ = testing::open_sqlite(path());
  }

  TempDir dir_;
  std::unique_ptr<SqliteStore> store_;
};

std::vector<std::string> ids(const std::vector<DeviceRecord>& devices) {
  std::vector<std::string> out;
  for (const auto& d : devices) out.push_back(d.device_id);
  return out;
}

// ---- open, schema, file --------------------------------------------------------------

TEST_F(SqliteStoreTest, PingAnswersTrue) { EXPECT_TRUE(store_->ping()); }

TEST_F(SqliteStoreTest, CreatesTheSchemaInWalModeWithTheCurrentVersion) {
  RawDb raw(path());
  EXPECT_EQ(raw.text("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(raw.scalar("PRAGMA user_version"), sqlite::kSchemaVersion);
  for (const char* index : {"devices_by_profile", "link_codes_by_hash", "link_codes_by_profile", "keys_by_purpose",
                            "rate_limits_by_tat", "mvpd_profiles_by_expiry"}) {
    EXPECT_EQ(raw.scalar(std::string("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = '") +
                         index + "'"),
              1)
        << index;
  }
}

TEST_F(SqliteStoreTest, TheDatabaseFileIsPrivateToItsOwner) {
  struct stat info {};
  ASSERT_EQ(::stat(path().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
}

TEST_F(SqliteStoreTest, LookupsUseIndexesNotScans) {
  RawDb raw(path());
  auto plan = [&](const std::string& sql) {
    // Concatenates the plan's detail column: "SCAN t" means a full scan.
    sqlite3* db = nullptr;
    sqlite3_open_v2(path().c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* stmt = nullptr;
    std::string details;
    if (sqlite3_prepare_v2(db, ("EXPLAIN QUERY PLAN " + sql).c_str(), -1, &stmt, nullptr) == SQLITE_OK) {
      while (sqlite3_step(stmt) == SQLITE_ROW) {
        details += reinterpret_cast<const char*>(sqlite3_column_text(stmt, 3));
        details += "; ";
      }
    }
    sqlite3_finalize(stmt);
    sqlite3_close_v2(db);
    return details;
  };
  const std::vector<std::string> lookups = {
      "SELECT * FROM devices WHERE service_provider = 'a' AND profile_id = 'p' ORDER BY first_seen, device_id",
      "SELECT * FROM link_codes WHERE service_provider = 'a' AND code_hash = 'h'",
      "SELECT seq FROM link_codes WHERE service_provider = 'a' AND profile_id = 'p' AND expires_at > 5 "
      "ORDER BY created_at DESC, seq DESC",
      "SELECT seq FROM link_codes WHERE expires_at <= 5 ORDER BY expires_at LIMIT 8",
      "SELECT key FROM rate_limits WHERE tat <= 5 ORDER BY tat LIMIT 8",
      "SELECT * FROM keys WHERE purpose = 'x' ORDER BY seq DESC LIMIT 1",
      "SELECT * FROM mvpd_profiles WHERE service_provider = 'a' AND profile_id = 'p' AND not_after > 5",
      "SELECT * FROM mvpd_sessions WHERE code_hash = 'h'",
  };
  for (const auto& sql : lookups) {
    const std::string details = plan(sql);
    EXPECT_EQ(details.find("SCAN"), std::string::npos) << sql << " -> " << details;
    EXPECT_NE(details.find("USING"), std::string::npos) << sql << " -> " << details;
  }
}

TEST_F(SqliteStoreTest, RefusesAFileWithANewerSchema) {
  store_.reset();
  {
    RawDb raw(path());
    raw.exec("PRAGMA user_version = 99");
  }
  try {
    testing::open_sqlite(path());
    FAIL() << "opened a newer schema";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("99"), std::string::npos) << e.what();
  }
}

TEST_F(SqliteStoreTest, RefusesInMemoryAndEmptyPaths) {
  SqliteOptions options;
  EXPECT_THROW(SqliteStore{options}, StoreError);
  options.path = ":memory:";
  EXPECT_THROW(SqliteStore{options}, StoreError);
}

TEST_F(SqliteStoreTest, AMissingDirectoryIsAStoreError) {
  try {
    testing::open_sqlite(dir_.file("no/such/dir/x.db"));
    FAIL();
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("no/such/dir"), std::string::npos) << e.what();
  }
}

// ---- meta and service providers ------------------------------------------------------

TEST_F(SqliteStoreTest, MetaFirstWriterWins) {
  EXPECT_EQ(store_->get_meta("secret-salt"), std::nullopt);
  EXPECT_EQ(store_->put_meta_if_absent("secret-salt", "first"), "first");
  EXPECT_EQ(store_->put_meta_if_absent("secret-salt", "second"), "first");
  EXPECT_EQ(store_->get_meta("secret-salt"), "first");
  EXPECT_EQ(store_->put_meta_if_absent("other", ""), "");
  EXPECT_EQ(store_->get_meta("other"), "");
}

TEST_F(SqliteStoreTest, ServiceProvidersAreCreatedOnce) {
  EXPECT_FALSE(store_->service_provider_exists("sp1"));
  store_->ensure_service_provider("sp1", 10);
  store_->ensure_service_provider("sp1", 20);  // idempotent
  EXPECT_TRUE(store_->service_provider_exists("sp1"));
  EXPECT_FALSE(store_->service_provider_exists("sp2"));
  RawDb raw(path());
  EXPECT_EQ(raw.scalar("SELECT created_at FROM service_providers WHERE id = 'sp1'"), 10);
}

// ---- keys ----------------------------------------------------------------------------

KeyRecord key(const std::string& kid, const std::string& purpose, Millis created_at) {
  return KeyRecord{kid, purpose, "{\"kid\":\"" + kid + "\"}", created_at};
}

TEST_F(SqliteStoreTest, KeysFirstOfAPurposeWins) {
  EXPECT_TRUE(store_->keys().empty());
  const KeyRecord first = store_->insert_key_if_purpose_absent(key("k1", "hs256", 100));
  EXPECT_EQ(first.kid, "k1");
  const KeyRecord again = store_->insert_key_if_purpose_absent(key("k2", "hs256", 200));
  EXPECT_EQ(again.kid, "k1");
  EXPECT_EQ(again.jwk_json, "{\"kid\":\"k1\"}");
  EXPECT_EQ(again.created_at, 100);
  EXPECT_EQ(store_->insert_key_if_purpose_absent(key("k3", "enc-rsa", 300)).kid, "k3");
  EXPECT_EQ(store_->keys().size(), 2u);
}

TEST_F(SqliteStoreTest, InsertedKeyBecomesTheNewestOfItsPurpose) {
  store_->insert_key_if_purpose_absent(key("a1", "hs256", 1000));
  store_->insert_key(key("b1", "enc", 1500));
  store_->insert_key(key("a2", "hs256", 900));  // an earlier clock still makes it newest
  const auto all = store_->keys();
  ASSERT_EQ(all.size(), 3u);
  std::vector<std::string> hs;
  for (const auto& k : all) {
    if (k.purpose == "hs256") hs.push_back(k.kid);
  }
  EXPECT_EQ(hs, (std::vector<std::string>{"a2", "a1"}));
  EXPECT_EQ(store_->insert_key_if_purpose_absent(key("zz", "hs256", 5)).kid, "a2");
}

TEST_F(SqliteStoreTest, DuplicateKidIsAStoreErrorWithoutTheValue) {
  store_->insert_key(key("kid-4b1d-secretish", "hs256", 1));
  try {
    store_->insert_key(key("kid-4b1d-secretish", "hs256", 2));
    FAIL();
  } catch (const StoreError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("UNIQUE constraint failed"), std::string::npos) << what;
    EXPECT_EQ(what.find("kid-4b1d-secretish"), std::string::npos) << what;
  }
  EXPECT_EQ(store_->keys().size(), 1u);
}

// ---- clients and access tokens -------------------------------------------------------

TEST_F(SqliteStoreTest, ClientsRoundTripWithTheirServiceProvidersInOrder) {
  store_->insert_client(ClientRecord{"c1", "hash1", {"zeta", "alpha", "mid"}, "statement-1", 42});
  store_->insert_client(ClientRecord{"c2", "hash2", {}, "", 43});
  const auto c1 = store_->find_client("c1");
  ASSERT_TRUE(c1);
  EXPECT_EQ(c1->client_id, "c1");
  EXPECT_EQ(c1->secret_hash, "hash1");
  EXPECT_EQ(c1->service_providers, (std::vector<std::string>{"zeta", "alpha", "mid"}));
  EXPECT_EQ(c1->issued_at, 42);
  EXPECT_EQ(c1->statement_id, "statement-1");
  const auto c2 = store_->find_client("c2");
  ASSERT_TRUE(c2);
  EXPECT_TRUE(c2->service_providers.empty());
  EXPECT_EQ(c2->statement_id, "");
  EXPECT_EQ(store_->find_client("c3"), std::nullopt);
  EXPECT_THROW(store_->insert_client(ClientRecord{"c1", "other", {"x"}, "", 1}), StoreError);
  EXPECT_EQ(store_->find_client("c1")->service_providers.size(), 3u);  // the failed insert left nothing
}

TEST_F(SqliteStoreTest, RevokedStatementsStayRevoked) {
  EXPECT_FALSE(store_->software_statement_revoked("s1"));
  store_->revoke_software_statement("s1", 10);
  store_->revoke_software_statement("s1", 20);  // twice is no error
  EXPECT_TRUE(store_->software_statement_revoked("s1"));
  EXPECT_FALSE(store_->software_statement_revoked("s2"));
}

TEST_F(SqliteStoreTest, AccessTokensRoundTrip) {
  store_->insert_access_token(AccessTokenRecord{"th1", "c1", 5000}, 1000);
  const auto t = store_->find_access_token("th1");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->token_hash, "th1");
  EXPECT_EQ(t->client_id, "c1");
  EXPECT_EQ(t->expires_at, 5000);
  EXPECT_EQ(store_->find_access_token("nope"), std::nullopt);
}

TEST_F(SqliteStoreTest, InsertingAnAccessTokenDropsExpiredOnes) {
  store_->insert_access_token(AccessTokenRecord{"old", "c1", 5000}, 1000);
  store_->insert_access_token(AccessTokenRecord{"live", "c1", 9000}, 1000);
  store_->insert_access_token(AccessTokenRecord{"new", "c1", 20000}, 6000);
  EXPECT_EQ(store_->find_access_token("old"), std::nullopt);
  EXPECT_TRUE(store_->find_access_token("live"));
  EXPECT_TRUE(store_->find_access_token("new"));
}

// ---- devices -------------------------------------------------------------------------

TEST_F(SqliteStoreTest, JoinAddsThenMovesADeviceWithANewLinkKeepingFirstSeen) {
  auto added = testing::join(*store_, testing::device("sp", "d1", "p1", 100, DeviceType::kRegular, "{\"a\":1}"));
  EXPECT_EQ(added.result, JoinResult::kAdded);
  EXPECT_EQ(added.link_id, "link:p1");
  auto found = store_->find_device("sp", "d1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->profile_id, "p1");
  EXPECT_EQ(found->link_id, "link:p1");
  EXPECT_EQ(found->type, DeviceType::kRegular);
  EXPECT_EQ(found->info_json, "{\"a\":1}");
  EXPECT_EQ(found->first_seen, 100);
  EXPECT_EQ(found->last_seen, 100);

  auto moved = testing::join(*store_, testing::device("sp", "d1", "p2", 500, DeviceType::kSso, "{\"b\":2}"));
  EXPECT_EQ(moved.result, JoinResult::kMoved);
  EXPECT_EQ(moved.link_id, "link:p2");
  found = store_->find_device("sp", "d1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->profile_id, "p2");
  EXPECT_EQ(found->link_id, "link:p2");
  EXPECT_EQ(found->type, DeviceType::kSso);
  EXPECT_EQ(found->info_json, "{\"b\":2}");
  EXPECT_EQ(found->first_seen, 100);
  EXPECT_EQ(found->last_seen, 500);
  EXPECT_TRUE(store_->list_devices("sp", "p1").empty());
  EXPECT_EQ(ids(store_->list_devices("sp", "p2")), std::vector<std::string>{"d1"});

  EXPECT_EQ(store_->find_device("sp", "d2"), std::nullopt);
  EXPECT_EQ(store_->find_device("other-sp", "d1"), std::nullopt);
}

TEST_F(SqliteStoreTest, JoiningTheSameProfileAgainKeepsTheLinkAndUpdatesTheMetadata) {
  testing::join(*store_, testing::device("sp", "d1", "p1", 100, DeviceType::kRegular, "{\"a\":1}"));
  DeviceRecord again = testing::device("sp", "d1", "p1", 300, DeviceType::kSso, "{\"c\":3}");
  again.link_id = "a-fresh-link";  // offered, not taken: the device is already linked
  const JoinOutcome outcome = testing::join(*store_, again);
  EXPECT_EQ(outcome.result, JoinResult::kRejoined);
  EXPECT_EQ(outcome.link_id, "link:p1");
  const auto found = store_->find_device("sp", "d1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->link_id, "link:p1");
  EXPECT_EQ(found->info_json, "{\"c\":3}");
  EXPECT_EQ(found->type, DeviceType::kSso);
  EXPECT_EQ(found->last_seen, 300);
}

TEST_F(SqliteStoreTest, AFullProfileRefusesANewMemberButNotAReturningOne) {
  const JoinLimits limits{2, std::nullopt};
  EXPECT_EQ(store_->join_device(testing::device("sp", "a", "p", 1), limits, 1).result, JoinResult::kAdded);
  EXPECT_EQ(store_->join_device(testing::device("sp", "b", "p", 2), limits, 2).result, JoinResult::kAdded);
  EXPECT_EQ(store_->join_device(testing::device("sp", "c", "p", 3), limits, 3).result, JoinResult::kDeviceLimit);
  EXPECT_EQ(store_->find_device("sp", "c"), std::nullopt);
  EXPECT_EQ(store_->join_device(testing::device("sp", "a", "p", 4), limits, 4).result, JoinResult::kRejoined);
  // A device of another profile cannot move in either, and stays where it was.
  testing::join(*store_, testing::device("sp", "d", "q", 5));
  EXPECT_EQ(store_->join_device(testing::device("sp", "d", "p", 6), limits, 6).result, JoinResult::kDeviceLimit);
  EXPECT_EQ(store_->find_device("sp", "d")->profile_id, "q");
  // Another service provider's profile of the same name is another profile.
  EXPECT_EQ(store_->join_device(testing::device("sp2", "c", "p", 7), limits, 7).result, JoinResult::kAdded);
}

TEST_F(SqliteStoreTest, TheCreationLimitCountsOnlyNewDevices) {
  const JoinLimits limits{std::nullopt, NamedLimit{"create-address:192.0.2.9", "address_create", {1000, 2}}};
  EXPECT_EQ(store_->join_device(testing::device("sp", "a", "p", 1), limits, 1).result, JoinResult::kAdded);
  EXPECT_EQ(store_->join_device(testing::device("sp", "b", "q", 2), limits, 2).result, JoinResult::kAdded);
  const JoinOutcome refused = store_->join_device(testing::device("sp", "c", "p", 3), limits, 3);
  EXPECT_EQ(refused.result, JoinResult::kCreationLimited);
  EXPECT_GT(refused.retry_after_ms, 0);
  EXPECT_EQ(store_->find_device("sp", "c"), std::nullopt);
  // Returning and moving devices create nothing.
  EXPECT_EQ(store_->join_device(testing::device("sp", "a", "p", 4), limits, 4).result, JoinResult::kRejoined);
  EXPECT_EQ(store_->join_device(testing::device("sp", "b", "p", 5), limits, 5).result, JoinResult::kMoved);
  // Once the bucket refills, a new device fits again.
  EXPECT_EQ(store_->join_device(testing::device("sp", "c", "p", 1003), limits, 1003).result, JoinResult::kAdded);
}

TEST_F(SqliteStoreTest, CheckDeviceLinkOnlyForItsLink) {
  testing::join(*store_, testing::device("sp", "d1", "p1", 100));
  EXPECT_EQ(store_->check_device_link("sp", "d1", "link:p1", 700), "p1");
  EXPECT_EQ(store_->find_device("sp", "d1")->last_seen, 700);
  EXPECT_EQ(store_->check_device_link("sp", "d1", "link:p2", 900), std::nullopt);
  EXPECT_EQ(store_->check_device_link("sp", "d1", "", 900), std::nullopt);
  EXPECT_EQ(store_->check_device_link("other", "d1", "link:p1", 900), std::nullopt);
  EXPECT_EQ(store_->check_device_link("sp", "nope", "link:p1", 900), std::nullopt);
  EXPECT_EQ(store_->find_device("sp", "d1")->last_seen, 700);
  EXPECT_EQ(store_->check_device_link("sp", "d1", "link:p1", 600), "p1");  // an older clock still counts as linked
  EXPECT_EQ(store_->find_device("sp", "d1")->last_seen, 700);
  EXPECT_EQ(store_->find_device("sp", "d1")->first_seen, 100);
  // Unlinked and joined again: the old link is gone for good.
  store_->delete_devices("sp", "p1", {"d1"});
  DeviceRecord back = testing::device("sp", "d1", "p1", 1000);
  back.link_id = "second-link";
  testing::join(*store_, back);
  EXPECT_EQ(store_->check_device_link("sp", "d1", "link:p1", 1100), std::nullopt);
  EXPECT_EQ(store_->check_device_link("sp", "d1", "second-link", 1100), "p1");
}

TEST_F(SqliteStoreTest, ListDevicesByFirstSeenThenId) {
  testing::join(*store_, testing::device("sp", "c", "p", 300));
  testing::join(*store_, testing::device("sp", "b", "p", 100));
  testing::join(*store_, testing::device("sp", "a", "p", 300));
  testing::join(*store_, testing::device("sp", "z", "p", 50));
  testing::join(*store_, testing::device("sp", "x", "other", 10));
  testing::join(*store_, testing::device("sp2", "y", "p", 10));
  EXPECT_EQ(ids(store_->list_devices("sp", "p")), (std::vector<std::string>{"z", "b", "a", "c"}));
  EXPECT_TRUE(store_->list_devices("sp", "nobody").empty());
}

TEST_F(SqliteStoreTest, DeleteDevicesInRequestOrderWithoutDuplicates) {
  for (const char* id : {"d1", "d2", "d3"}) testing::join(*store_, testing::device("sp", id, "p1", 100));
  testing::join(*store_, testing::device("sp", "theirs", "p2", 100));
  testing::join(*store_, testing::device("sp2", "d4", "p1", 100));
  const auto deleted = store_->delete_devices("sp", "p1", {"d3", "unknown", "d1", "d3", "theirs", "d4", "d1"});
  EXPECT_EQ(deleted, (std::vector<std::string>{"d3", "d1"}));
  EXPECT_EQ(ids(store_->list_devices("sp", "p1")), std::vector<std::string>{"d2"});
  EXPECT_TRUE(store_->find_device("sp", "theirs"));
  EXPECT_TRUE(store_->find_device("sp2", "d4"));
  EXPECT_TRUE(store_->delete_devices("sp", "p1", {}).empty());
  EXPECT_TRUE(store_->delete_devices("sp", "p1", {"d1"}).empty());  // already gone
}

// ---- rate limits ---------------------------------------------------------------------

TEST_F(SqliteStoreTest, ConsumeRateCountsOnlyAllowedEvents) {
  const server::RateLimit limit{1000, 2};  // 2 at once, then 1/s
  EXPECT_TRUE(store_->consume_rate("k", limit, 10'000).allowed);
  EXPECT_TRUE(store_->consume_rate("k", limit, 10'000).allowed);
  const auto denied = store_->consume_rate("k", limit, 10'000);
  EXPECT_FALSE(denied.allowed);
  EXPECT_EQ(denied.retry_after_ms, 1000);
  EXPECT_FALSE(store_->consume_rate("k", limit, 10'999).allowed);  // a denial stores nothing
  EXPECT_TRUE(store_->consume_rate("k", limit, 11'000).allowed);
  EXPECT_FALSE(store_->consume_rate("k", limit, 11'000).allowed);
  EXPECT_TRUE(store_->consume_rate("other", limit, 11'000).allowed);  // keys are independent
}

TEST_F(SqliteStoreTest, ConsumeRateSurvivesReopen) {
  const server::RateLimit limit{1000, 1};
  EXPECT_TRUE(store_->consume_rate("k", limit, 5000).allowed);
  reopen();
  EXPECT_FALSE(store_->consume_rate("k", limit, 5500).allowed);
}

// ---- MVPD ----------------------------------------------------------------------------

MvpdSessionRecord session(const std::string& hash, Millis created_at, Millis expires_at) {
  return MvpdSessionRecord{hash, "sp", "sess-" + hash, "p1", "d1", "Cablevision", "example.com",
                           "https://example.com/back", created_at, expires_at};
}

MvpdProfileRecord mvpd_profile(const std::string& mvpd, const std::string& user, Millis nb, Millis na) {
  return MvpdProfileRecord{"sp", "p1", mvpd, "d1", user, nb, na};
}

TEST_F(SqliteStoreTest, MvpdSessionsRoundTrip) {
  store_->insert_mvpd_session(session("h1", 1000, 2000));
  const auto s = store_->find_mvpd_session("h1");
  ASSERT_TRUE(s);
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
  // A live session with the same hash is a collision; a dead one is replaced.
  EXPECT_THROW(store_->insert_mvpd_session(session("h1", 1500, 2500)), StoreError);
  store_->insert_mvpd_session(session("h1", 2000, 3000));
  EXPECT_EQ(store_->find_mvpd_session("h1")->created_at, 2000);
}

TEST_F(SqliteStoreTest, ExpiredMvpdSessionsStayFindableForADay) {
  store_->insert_mvpd_session(session("old", 1000, 2000));
  store_->insert_mvpd_session(session("new", 5000, 6000));
  EXPECT_TRUE(store_->find_mvpd_session("old"));  // expired, still findable
  const Millis day = 24LL * 3600 * 1000;
  store_->insert_mvpd_session(session("later", 2000 + day + 1, 2000 + day + 100));
  EXPECT_EQ(store_->find_mvpd_session("old"), std::nullopt);  // purged after the grace
  EXPECT_TRUE(store_->find_mvpd_session("new"));
}

TEST_F(SqliteStoreTest, MvpdProfileKeepsTheFirstLiveLogin) {
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
  EXPECT_EQ(listed[0].user_id, "u3");
  EXPECT_EQ(listed[0].login_device_id, "d1");
  EXPECT_EQ(listed[0].not_before, 5000);
}

TEST_F(SqliteStoreTest, ListAndDeleteOnlyLiveMvpdProfiles) {
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
}

// ---- durability across reopen --------------------------------------------------------

TEST_F(SqliteStoreTest, EverythingSurvivesClosingAndReopening) {
  store_->put_meta_if_absent("m", "v");
  store_->ensure_service_provider("sp", 1);
  store_->insert_key(key("k1", "hs256", 1));
  store_->insert_client(ClientRecord{"c1", "h", {"sp"}, "", 1});
  store_->insert_access_token(AccessTokenRecord{"t1", "c1", 99}, 1);
  testing::join(*store_, testing::device("sp", "d1", "p1", 5));
  ASSERT_TRUE(store_->insert_link_code(testing::link_code("sp", "code", "p1", 10, 100'000), 10, 5));
  store_->insert_mvpd_session(session("s1", 10, 100'000));
  store_->upsert_mvpd_profile(mvpd_profile("A", "u", 10, 100'000), 10);
  reopen();
  EXPECT_EQ(store_->get_meta("m"), "v");
  EXPECT_TRUE(store_->service_provider_exists("sp"));
  ASSERT_EQ(store_->keys().size(), 1u);
  EXPECT_EQ(store_->find_client("c1")->service_providers, std::vector<std::string>{"sp"});
  EXPECT_EQ(store_->find_access_token("t1")->expires_at, 99);
  EXPECT_EQ(store_->find_device("sp", "d1")->profile_id, "p1");
  EXPECT_TRUE(store_->find_mvpd_session("s1"));
  EXPECT_EQ(store_->list_mvpd_profiles("sp", "p1", 20).size(), 1u);
  const auto outcome =
      store_->redeem_link_code("code", testing::device("sp", "tv", "", 20, DeviceType::kSso), {}, JoinLimits{}, 20);
  EXPECT_EQ(outcome.result, RedeemResult::kRedeemed);
  EXPECT_EQ(outcome.profile_id, "p1");
}

}  // namespace
}  // namespace ssokit::store
