// SPEC §2, attack review item 1: `sub` is an opaque, stable pseudonym of the profile, and
// profiles made from X-SSO-ID, from a device id and from a platform identity are separate
// namespaces. Before, `sub` was the common id itself: a device that joined by link code read
// it, and after being unlinked signed in again with X-SSO-ID: <sub>, straight back into the
// victim's profile; a device-id profile could be entered by sending its device id as X-SSO-ID.
#include <string>

#include "sso_helpers.hpp"

namespace ssokit::testing::sso {
namespace {

using ProfileNamespaceTest = SsoTest;

TEST_F(ProfileNamespaceTest, AnUnlinkedDeviceCannotWalkBackInWithTheSubItRead) {
  const SignedIn phone = sign_in("victim-phone", "victim@example.com");
  const SignedIn intruder = join("intruder-tv", create_link_code(phone));  // a guessed or photographed code
  const std::string sub = sub_of(intruder.service_token);
  ASSERT_FALSE(sub.empty());
  EXPECT_NE(sub, "victim@example.com") << "sub must not be the common id the app sent";

  ASSERT_EQ(unlink(phone, devices_body({intruder.device_id})).status, 200);
  const SignedIn back = sign_in("intruder-tv", sub);  // the walk back in
  const HttpResponse seen = list(back);
  ASSERT_EQ(seen.status, 200) << seen.body;
  EXPECT_FALSE(seen.has_json("devices." + phone.device_id)) << "the intruder is back in the victim's profile";
  EXPECT_EQ(list(phone).json_keys("devices"), std::vector<std::string>{phone.device_id});
  EXPECT_NE(sub_of(back.service_token), sub);
}

TEST_F(ProfileNamespaceTest, ADeviceIdProfileCannotBeNamedThroughXSsoId) {
  // A TV signed in with no source: its device id names the profile.
  const HttpResponse alone = post_token("lonely-tv");
  ASSERT_EQ(alone.status, 201) << alone.body;
  const SignedIn tv{device_id("lonely-tv"), alone.json("serviceToken").value_or("")};
  const SignedIn attacker = sign_in("attacker", device_id("lonely-tv"));
  EXPECT_NE(sub_of(attacker.service_token), sub_of(tv.service_token));
  EXPECT_EQ(list(attacker).json_keys("devices"), std::vector<std::string>{attacker.device_id});
  EXPECT_EQ(list(tv).json_keys("devices"), std::vector<std::string>{tv.device_id});

  // Nor the other way round: a device whose id equals someone's X-SSO-ID stays apart.
  const SignedIn owner = sign_in("owner", device_id("collider"));
  const HttpResponse collider = post_token("collider");
  ASSERT_EQ(collider.status, 201) << collider.body;
  EXPECT_NE(sub_of(collider.json("serviceToken").value_or("")), sub_of(owner.service_token));
}

TEST_F(ProfileNamespaceTest, SubIsTheSameForEveryDeviceOfAProfileAndAcrossRefreshes) {
  const SignedIn phone = sign_in("phone", "alice");
  const SignedIn tablet = sign_in("tablet", "alice");
  const SignedIn tv = join("tv", create_link_code(phone));
  const SignedIn bob = sign_in("bob-phone", "bob");
  const std::string sub = sub_of(phone.service_token);
  EXPECT_EQ(sub_of(tablet.service_token), sub);
  EXPECT_EQ(sub_of(tv.service_token), sub);
  EXPECT_NE(sub_of(bob.service_token), sub);
  const HttpResponse refreshed = refresh(tv);
  ASSERT_EQ(refreshed.status, 200) << refreshed.body;
  EXPECT_EQ(sub_of(refreshed.json("serviceToken").value_or("")), sub);
  // Opaque: nothing of the id shows, and it looks like any other pseudonym.
  EXPECT_EQ(sub.find("alice"), std::string::npos) << sub;
  EXPECT_EQ(sub.size(), sub_of(bob.service_token).size());
}

TEST_F(ProfileNamespaceTest, TheSameIdInAnotherServiceProviderIsAnotherSub) {
  const SignedIn demo = sign_in("phone", "alice");
  sp_ = "other";
  const std::string other_token = new_access_token("other");
  const HttpResponse other = call("POST", path("serviceToken"),
                                  {{"Authorization", "Bearer " + other_token},
                                   {"AP-Device-Identifier", fingerprint("phone")},
                                   {"X-SSO-ID", "alice"}});
  ASSERT_EQ(other.status, 201) << other.body;
  EXPECT_NE(sub_of(other.json("serviceToken").value_or("")), sub_of(demo.service_token));
}

TEST_F(ProfileNamespaceTest, SubSurvivesARestart) {
  const SignedIn phone = sign_in("phone", "alice");
  restart_server();
  const SignedIn again = sign_in("tablet", "alice");
  EXPECT_EQ(sub_of(again.service_token), sub_of(phone.service_token));
}

}  // namespace
}  // namespace ssokit::testing::sso
