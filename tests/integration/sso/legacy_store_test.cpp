// Upgrading a store written before opaque `sub` and link ids (schema version 1): existing
// profiles keep working, and a device signed in before the upgrade refreshes fine after it.
// The version-1 store is the real one with version 2's additions taken off again (sqlite3
// tool), holding profiles named the old way, and the old tokens are minted with the
// server's own key and the old claims (no `lid`, `sub` = the common id).
#include <algorithm>
#include <string>

#include "clock.hpp"
#include "json_text.hpp"
#include "jwt.hpp"
#include "minted_tokens.hpp"
#include "sso_helpers.hpp"

namespace ssokit::testing::sso {
namespace {

class LegacyStoreTest : public SsoTest {
 protected:
  void sqlite(const std::string& sql) {
    const CommandResult result = run_program("/usr/bin/sqlite3", {data_dir() + "/ssokit.db", sql});
    ASSERT_EQ(result.exit_code, 0) << result.err;
  }
  // A token as the server issued them before link ids.
  std::string legacy_token(const std::string& sub, const std::string& did) {
    const std::int64_t now = now_seconds();
    return mint(key_, "{\"iss\":\"ssoservicetoken\",\"sub\":\"" + sub + "\",\"aud\":\"demo\",\"did\":\"" + did +
                          "\",\"jti\":\"legacy-" + did + "\",\"iat\":" + std::to_string(now) +
                          ",\"nbf\":" + std::to_string(now) + ",\"exp\":" + std::to_string(now + 3600) + "}");
  }

  void SetUp() override {
    if (testing_on_postgres()) GTEST_SKIP() << "version-1 stores exist only on SQLite";
    SsoTest::SetUp();
    auto key = read_service_token_key(data_dir());
    ASSERT_TRUE(key) << "cannot read the server's HS256 key from its store (scripts/deps.sh installs sqlite3 and psql)";
    key_ = *key;
    ASSERT_EQ(server().terminate(), 0);
    // Back to version 1, with three profiles named the old way: Alice's (X-SSO-ID) holding
    // her phone and a TV that joined by code, and a TV's own (no source: its device id).
    const std::string now = std::to_string(now_ms());
    const std::string device_row = "INSERT INTO devices (service_provider, device_id, profile_id, type, info_json, "
                                   "first_seen, last_seen) VALUES ";
    // Version 4's index, then version 3's columns, then version 2's.
    std::string back_to_version_2 =
        "DROP INDEX link_codes_by_profile_state; "
        "CREATE INDEX link_codes_by_profile ON link_codes (service_provider, profile_id, created_at); ";
    for (const char* column : {"creator_device_id", "approval_required", "state", "joining_device_id",
                               "joining_info_json", "taken_at", "joining_link_id"}) {
      back_to_version_2 += std::string("ALTER TABLE link_codes DROP COLUMN ") + column + "; ";
    }
    sqlite(back_to_version_2 + "ALTER TABLE devices DROP COLUMN link_id; ALTER TABLE clients DROP COLUMN statement_id; "
           "DROP TABLE revoked_statements; DELETE FROM meta WHERE key = 'profile-pseudonym-key'; "
           "PRAGMA user_version = 1; " +
           device_row + "('demo', '" + device_id("phone") + "', 'alice', 0, '{}', " + now + ", " + now + "); " +
           device_row + "('demo', '" + device_id("joined-tv") + "', 'alice', 1, '{}', " + now + ", " + now + "); " +
           device_row + "('demo', '" + device_id("lonely-tv") + "', '" + device_id("lonely-tv") + "', 0, '{}', " +
           now + ", " + now + ");");
    phone_ = {device_id("phone"), legacy_token("alice", device_id("phone"))};
    joined_tv_ = {device_id("joined-tv"), legacy_token("alice", device_id("joined-tv"))};
    lonely_tv_ = {device_id("lonely-tv"), legacy_token(device_id("lonely-tv"), device_id("lonely-tv"))};
    restart_server();  // the upgrade
  }

  ServiceTokenKey key_;
  SignedIn phone_;
  SignedIn joined_tv_;
  SignedIn lonely_tv_;
};

TEST_F(LegacyStoreTest, ADeviceSignedInBeforeTheUpgradeRefreshesAfterIt) {
  const HttpResponse refreshed = refresh(phone_);
  ASSERT_EQ(refreshed.status, 200) << refreshed.body;
  const std::string token = refreshed.json("serviceToken").value_or("");
  EXPECT_NE(sub_of(token), "alice") << "the successor carries the pseudonym";
  EXPECT_EQ(list({phone_.device_id, token}).status, 200);
  EXPECT_EQ(list(phone_).status, 200);  // and the old token itself still works until an unlink
  EXPECT_EQ(refresh(lonely_tv_).status, 200);
}

TEST_F(LegacyStoreTest, ExistingProfilesKeepTheirMembersUnderTheirNewNames) {
  // Alice signing in again lands in her old profile, with the devices it had.
  const SignedIn tablet = sign_in("tablet", "alice");
  auto members = list(tablet).json_keys("devices");
  std::sort(members.begin(), members.end());
  std::vector<std::string> expected = {device_id("phone"), device_id("joined-tv"), device_id("tablet")};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(members, expected);
  EXPECT_EQ(sub_of(refresh(phone_).json("serviceToken").value_or("")), sub_of(tablet.service_token));
  EXPECT_EQ(sub_of(refresh(joined_tv_).json("serviceToken").value_or("")), sub_of(tablet.service_token));

  // The TV's own profile became a device-id profile: signing in with no source finds it...
  const HttpResponse again = post_token("lonely-tv");
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(sub_of(again.json("serviceToken").value_or("")),
            sub_of(refresh(lonely_tv_).json("serviceToken").value_or("")));
  // ...and its device id sent as X-SSO-ID does not.
  const SignedIn impostor = sign_in("impostor", device_id("lonely-tv"));
  EXPECT_EQ(list(impostor).json_keys("devices"), std::vector<std::string>{device_id("impostor")});
}

TEST_F(LegacyStoreTest, AnOldTokenDiesWithAnUnlinkLikeANewOne) {
  ASSERT_EQ(unlink(phone_, devices_body({joined_tv_.device_id})).status, 200);
  expect_error(refresh(joined_tv_), 401, "device_unlinked", "sign_in");
  // Joining again gives a new link: the token from before the upgrade stays dead.
  join("joined-tv", create_link_code(phone_));
  expect_error(refresh(joined_tv_), 401, "device_unlinked", "sign_in");
  expect_error(list(joined_tv_), 401, "device_unlinked", "sign_in");
}

TEST_F(LegacyStoreTest, TheUpgradeHappensOnceAndIsLogged) {
  EXPECT_NE(server().log().find("renamed profiles of an older store to pseudonyms"), std::string::npos)
      << server().log();
  const std::string sub = sub_of(sign_in("tablet", "alice").service_token);
  ASSERT_EQ(server().terminate(), 0);
  restart_server();
  EXPECT_EQ(server().log().find("renamed profiles"), std::string::npos) << server().log();
  EXPECT_EQ(sub_of(sign_in("tablet", "alice").service_token), sub);
}

}  // namespace
}  // namespace ssokit::testing::sso
