#pragma once
// Stores written before schema version 2 name each profile by its common id, in one shared
// namespace. Before serving, the server renames them to the pseudonyms of today's three
// namespaces, so existing profiles keep working: an id that has the form of a trusted
// issuer's account ("ISSUER:sub", which X-SSO-ID could not claim) is a platform profile; an id
// that a member device carries as its own device id is a device-id profile; every other id
// came from X-SSO-ID. Devices keep their (legacy, empty) link ids, so their tokens from
// before the upgrade keep refreshing until the device is unlinked or moves.
#include <cstddef>

#include "core/platform_identity.hpp"
#include "core/profile_pseudonyms.hpp"
#include "store/store.hpp"

namespace ssokit::server {

// Returns how many profiles were renamed (0 once done).
std::size_t rename_legacy_profiles(store::Store& store, const ProfilePseudonyms& pseudonyms,
                                   const PlatformIdentity& platform);

}  // namespace ssokit::server
