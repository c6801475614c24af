#include "core/legacy_profiles.hpp"

namespace ssokit::server {

std::size_t rename_legacy_profiles(store::Store& store, const ProfilePseudonyms& pseudonyms,
                                   const PlatformIdentity& platform) {
  return store.rename_legacy_profiles([&](const store::LegacyProfile& profile) {
    ProfileSource source = ProfileSource::kSsoId;
    if (platform.names_platform_account(profile.id)) {
      source = ProfileSource::kPlatform;
    } else if (profile.named_after_member_device) {
      source = ProfileSource::kDeviceId;
    }
    return pseudonyms.profile_id(profile.service_provider, source, profile.id);
  });
}

}  // namespace ssokit::server
