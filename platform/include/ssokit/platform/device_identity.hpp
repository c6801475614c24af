#pragma once
// Device ids as AP-Device-Identifier wants them: base64 (standard, padded) of
// SHA-256(app_salt + ":" + raw_id). The raw id (hardware serial, machine-id, installation id)
// never leaves the device: it is hashed once, at construction, and then forgotten; no class
// here logs it, returns it or puts it in a Status message.
//
// The salt scopes the id: two apps (salts) on one device get unrelated ids, as platforms
// advise for advertising-free identifiers. Use the app's or service provider's name.
#include <string>
#include <string_view>

#include "ssokit/export.hpp"
#include "ssokit/platform.hpp"
#include "ssokit/result.hpp"

namespace ssokit::platform {

// base64(SHA-256(app_salt + ":" + raw_id)): 44 characters. An empty raw id is refused
// (kInvalidArgument): it would give every device the same id.
SSOKIT_API Result<std::string> hashed_device_id(std::string_view raw_id, std::string_view app_salt);

// A DeviceIdentity over a raw id the platform already gave the app (e.g. a TV's DUID, a
// Roku channel client id, Android's ANDROID_ID, iOS identifierForVendor).
class SSOKIT_API HashedDeviceIdentity : public DeviceIdentity {
 public:
  HashedDeviceIdentity(std::string_view raw_id, std::string_view app_salt);
  Result<std::string> device_id() override;

 private:
  Result<std::string> id_;  // the hash, or why there is none
};

// A known, fixed raw id, for samples and tests that need the same device every run. Still
// hashed like any other id.
class SSOKIT_API FixedDeviceIdentity final : public HashedDeviceIdentity {
 public:
  static constexpr std::string_view kDefaultSalt = "ssokit";
  explicit FixedDeviceIdentity(std::string_view raw_id, std::string_view app_salt = kDefaultSalt)
      : HashedDeviceIdentity(raw_id, app_salt) {}
};

}  // namespace ssokit::platform
