#pragma once
// What the SDK needs from the device it runs on, as small interfaces. Implementations for
// smart TVs, Roku-style devices, mobile and Linux live in platform/ (ssokit::platform); the
// SDK core never includes a platform header. Tests use ssokit::testing's fakes.
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "ssokit/export.hpp"
#include "ssokit/result.hpp"

namespace ssokit {

// A stable id for this device, already hashed (SHA-256) and base64-encoded as the
// AP-Device-Identifier header wants it: the raw hardware id never leaves the device.
class SSOKIT_API DeviceIdentity {
 public:
  virtual ~DeviceIdentity() = default;
  virtual Result<std::string> device_id() = 0;
};

// The X-Device-Info JSON object (not yet base64): primaryHardwareType, model, osName...
class SSOKIT_API DeviceInfoSource {
 public:
  virtual ~DeviceInfoSource() = default;
  virtual std::string device_info_json() = 0;
};

// Where the SDK keeps client credentials and tokens between runs. Values are small;
// `put` must be atomic (a crash leaves the old or the new value, never half of one).
class SSOKIT_API SecureStore {
 public:
  virtual ~SecureStore() = default;
  virtual Result<std::optional<std::string>> get(const std::string& key) = 0;
  virtual Status put(const std::string& key, const std::string& value) = 0;
  virtual Status remove(const std::string& key) = 0;
};

// The platform's own signed identity token (Roku-style connect token), if it has one.
class SSOKIT_API PlatformIdentityProvider {
 public:
  virtual ~PlatformIdentityProvider() = default;
  virtual std::optional<std::string> connect_token() = 0;
};

// Both clocks, and sleeping, injectable so tests can jump past expiry and through backoff
// waits without sleeping.
class SSOKIT_API Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point system_now() const = 0;
  virtual std::chrono::steady_clock::time_point steady_now() const = 0;
  // Waits (the SDK waits in short slices so cancellation stays prompt).
  virtual void sleep_for(std::chrono::milliseconds duration);
};

SSOKIT_API std::shared_ptr<Clock> system_clock();

// The platform services of one device, as one bundle for ClientOptions.
struct PlatformServices {
  std::shared_ptr<DeviceIdentity> identity;
  std::shared_ptr<DeviceInfoSource> device_info;
  std::shared_ptr<SecureStore> store;
  std::shared_ptr<PlatformIdentityProvider> platform_identity;  // may be null
  std::shared_ptr<Clock> clock;                                 // null: the system clocks
};

}  // namespace ssokit
