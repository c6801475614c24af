#include "ssokit/platform/machine_id.hpp"

#include <utility>

#include "files.hpp"
#include "ssokit/platform/device_identity.hpp"

namespace ssokit::platform {

std::vector<std::string> default_machine_id_paths() {
  return {"/etc/machine-id", "/var/lib/dbus/machine-id"};
}

MachineIdDeviceIdentity::MachineIdDeviceIdentity(std::string app_salt, std::vector<std::string> paths)
    : app_salt_(std::move(app_salt)), paths_(std::move(paths)) {}

Result<std::string> MachineIdDeviceIdentity::device_id() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (id_) return *id_;
  if (paths_.empty()) return Status(ErrorCode::kInvalidArgument, "no machine-id path to read");
  std::string tried;
  for (const std::string& path : paths_) {
    // A machine id is 32 hex digits and a newline; anything much larger is not one.
    auto content = detail::read_small_file(path, 4096, /*follow_symlinks=*/true);
    if (!tried.empty()) tried += ", ";
    tried += path;
    if (!content.ok()) {
      tried += " (" + content.status().message() + ")";
      continue;
    }
    if (!content.value()) {
      tried += " (missing)";
      continue;
    }
    const std::string_view raw = detail::trim(**content);
    if (raw.empty()) {  // systemd leaves it empty until first boot completes
      tried += " (empty)";
      continue;
    }
    auto hashed = hashed_device_id(raw, app_salt_);
    if (!hashed.ok()) return hashed.status();
    id_ = hashed.value();
    return hashed;
  }
  return Status(ErrorCode::kStorageError, "no machine id found; tried " + tried);
}

}  // namespace ssokit::platform
