#pragma once
// The Linux machine id (systemd's /etc/machine-id, or D-Bus's /var/lib/dbus/machine-id) as
// the raw device id, hashed with an app salt (see device_identity.hpp). Every app and every
// state folder on the machine that uses the same salt gets the same id; to simulate several
// devices on one machine use InstallationIdDeviceIdentity (installation_id.hpp) instead.
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "ssokit/export.hpp"
#include "ssokit/platform.hpp"
#include "ssokit/result.hpp"

namespace ssokit::platform {

// {"/etc/machine-id", "/var/lib/dbus/machine-id"}: tried in order.
SSOKIT_API std::vector<std::string> default_machine_id_paths();

class SSOKIT_API MachineIdDeviceIdentity final : public DeviceIdentity {
 public:
  // `paths` is injectable for tests. The first path whose file holds a non-blank id wins.
  explicit MachineIdDeviceIdentity(std::string app_salt,
                                   std::vector<std::string> paths = default_machine_id_paths());

  // The hashed id; kStorageError naming the paths tried when none holds an id (the files'
  // contents are never part of a message). Read once; later calls answer the cached hash.
  Result<std::string> device_id() override;

 private:
  std::string app_salt_;
  std::vector<std::string> paths_;
  std::mutex mutex_;
  std::optional<std::string> id_;  // the hash, once read
};

}  // namespace ssokit::platform
