// core/legacy_profiles: a store from before schema v2 gets its profiles renamed into the
// right namespace, once.
#include "core/legacy_profiles.hpp"

#include "core_fixture.hpp"
#include "jose/jwk.hpp"

namespace ssokit::server::testing {
namespace {

class LegacyProfilesTest : public CoreTest {
 protected:
  void join_legacy(const std::string& device, const std::string& profile) {
    store::DeviceRecord d;
    d.service_provider = "demo";
    d.device_id = device;
    d.profile_id = profile;
    d.info_json = "{}";
    store_->join_device(d, {}, kStart);  // link id "": linked before link ids existed
  }
  std::string profile_of(const std::string& device) { return store_->find_device("demo", device)->profile_id; }
};

TEST_F(LegacyProfilesTest, EachLegacyProfileMovesToItsNamespaceOnce) {
  std::string error;
  const auto roku_key = jose::Jwk::generate_ec_p256().to_public_pem();
  ASSERT_TRUE(roku_key);
  auto roku = make_platform_issuer("roku", *roku_key, error);
  ASSERT_TRUE(roku) << error;
  rebuild({*roku});

  join_legacy("phone", "alice");           // X-SSO-ID
  join_legacy("tv", "alice");              // joined Alice's profile by code
  join_legacy("lonely", "lonely");         // no source: its own device id
  join_legacy("stick", "roku:acct-1");     // platform account of a configured issuer
  join_legacy("box", "tizen:acct-2");      // looks like one, but no such issuer: an X-SSO-ID
  store_->put_meta_if_absent("legacy-profile-names", "pending");

  EXPECT_EQ(rename_legacy_profiles(*store_, pseudonyms_, *platform_), 4u);
  EXPECT_EQ(profile_of("phone"), pseudonyms_.profile_id("demo", ProfileSource::kSsoId, "alice"));
  EXPECT_EQ(profile_of("tv"), profile_of("phone"));
  EXPECT_EQ(profile_of("lonely"), pseudonyms_.profile_id("demo", ProfileSource::kDeviceId, "lonely"));
  EXPECT_EQ(profile_of("stick"), pseudonyms_.profile_id("demo", ProfileSource::kPlatform, "roku:acct-1"));
  EXPECT_EQ(profile_of("box"), pseudonyms_.profile_id("demo", ProfileSource::kSsoId, "tizen:acct-2"));
  EXPECT_EQ(store_->find_device("demo", "phone")->link_id, "");  // old tokens keep working

  // Done once: a later start renames nothing (a profile named like an id stays as it is).
  join_legacy("late", "raw-name");
  EXPECT_EQ(rename_legacy_profiles(*store_, pseudonyms_, *platform_), 0u);
  EXPECT_EQ(profile_of("late"), "raw-name");
}

TEST_F(LegacyProfilesTest, AFreshStoreHasNothingToRename) {
  sign_in("cGhvbmU=", "alice");
  EXPECT_EQ(rename_legacy_profiles(*store_, pseudonyms_, *platform_), 0u);
}

}  // namespace
}  // namespace ssokit::server::testing
