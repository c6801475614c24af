// core/profile_pseudonyms: `sub` is a keyed, stable pseudonym per namespace (SPEC §2).
#include "core/profile_pseudonyms.hpp"

#include <gtest/gtest.h>

namespace ssokit::server {
namespace {

const ProfilePseudonyms kNames("a-profile-pseudonym-key-for-tests-only");

TEST(ProfilePseudonymsTest, StableAndOpaque) {
  const std::string alice = kNames.profile_id("demo", ProfileSource::kSsoId, "alice");
  EXPECT_EQ(alice, kNames.profile_id("demo", ProfileSource::kSsoId, "alice"));
  EXPECT_EQ(alice.size(), 43u);
  EXPECT_EQ(alice.find("alice"), std::string::npos);
  EXPECT_EQ(alice.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
}

TEST(ProfilePseudonymsTest, NamespacesServiceProvidersAndKeysAreApart) {
  const std::string alice = kNames.profile_id("demo", ProfileSource::kSsoId, "alice");
  EXPECT_NE(alice, kNames.profile_id("demo", ProfileSource::kDeviceId, "alice"));
  EXPECT_NE(alice, kNames.profile_id("demo", ProfileSource::kPlatform, "alice"));
  EXPECT_NE(alice, kNames.profile_id("other", ProfileSource::kSsoId, "alice"));
  EXPECT_NE(
      alice,
      ProfilePseudonyms("another-key-another-key-another-key").profile_id("demo", ProfileSource::kSsoId, "alice"));
  // Field boundaries cannot be shifted: ("ab", "c") and ("a", "bc") are different inputs.
  EXPECT_NE(kNames.profile_id("ab", ProfileSource::kSsoId, "c"), kNames.profile_id("a", ProfileSource::kSsoId, "bc"));
  // Its own output fed back as an id names another profile.
  EXPECT_NE(kNames.profile_id("demo", ProfileSource::kSsoId, alice), alice);
}

TEST(ProfilePseudonymsTest, RefusesAShortKey) {
  EXPECT_THROW(ProfilePseudonyms("short"), std::runtime_error);
}

}  // namespace
}  // namespace ssokit::server
