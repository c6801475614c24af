#pragma once
// Profiles are named by pseudonyms (SPEC §2): a keyed hash of the service provider, the kind
// of source and the common id. The pseudonym is the profile's id in the store and the
// service token's `sub`, so nothing a token shows can be sent back as X-SSO-ID to enter the
// profile, and an X-SSO-ID never names a device-id or platform profile: the three sources
// are separate namespaces. The key lives in the store (first instance to start creates
// it), so every instance on one store names profiles alike.
#include <string>
#include <string_view>

#include "core/random.hpp"
#include "store/store.hpp"

namespace ssokit::server {

enum class ProfileSource {
  kSsoId,     // X-SSO-ID: the app's own account id
  kDeviceId,  // no source sent: the device id names the profile (SPEC §2)
  kPlatform,  // a platform identity token: "ISSUER:sub"
};

class ProfilePseudonyms {
 public:
  // `key` is secret text (at least 32 characters).
  explicit ProfilePseudonyms(std::string key);
  // Reads the key from the store, creating it when the store has none.
  static ProfilePseudonyms load_or_create(store::Store& store, Random& random);

  // 43 base64url characters (HMAC-SHA256), stable for the same inputs.
  std::string profile_id(std::string_view sp, ProfileSource source, std::string_view common_id) const;

 private:
  std::string key_;
};

}  // namespace ssokit::server
