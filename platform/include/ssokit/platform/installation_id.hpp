#pragma once
// A random per-installation id as the raw device id: 32 random bytes as 64 hex digits,
// created on first use and kept in a FileSecureStore under "installation-id", then hashed
// with an app salt like any raw id (device_identity.hpp).
//
// Why not the machine id: the CLI simulates one device per state folder, and several
// simulated devices (a TV, a phone, a Roku) often run on one machine. A machine id would make
// them one device to the server (one device id: same profile, unlinking one unlinks all).
// An id that lives with the state folder makes each folder its own device, survives restarts
// (the folder is the device's storage), and deleting the folder is a factory reset, as on a
// real device. It also keeps the host's machine id out of the picture entirely.
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "ssokit/export.hpp"
#include "ssokit/platform.hpp"
#include "ssokit/platform/file_secure_store.hpp"
#include "ssokit/result.hpp"

namespace ssokit::platform {

class SSOKIT_API InstallationIdDeviceIdentity final : public DeviceIdentity {
 public:
  static constexpr const char* kKey = "installation-id";

  InstallationIdDeviceIdentity(std::shared_ptr<FileSecureStore> store, std::string app_salt);

  // The hashed id. The first call on a fresh store creates the installation id; two processes
  // doing so at once agree on one (the store's put_if_absent). kStorageError when the store
  // fails or holds something that is not an installation id.
  Result<std::string> device_id() override;

 private:
  std::shared_ptr<FileSecureStore> store_;
  std::string app_salt_;
  std::mutex mutex_;
  std::optional<std::string> id_;  // the hash, once known
};

}  // namespace ssokit::platform
