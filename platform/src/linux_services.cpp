#include "ssokit/platform/linux_services.hpp"

#include <memory>
#include <utility>

#include "ssokit/platform/device_info.hpp"
#include "ssokit/platform/file_secure_store.hpp"
#include "ssokit/platform/installation_id.hpp"

namespace ssokit::platform {

Result<PlatformServices> linux_services(const std::string& state_dir, std::string_view platform_name,
                                        std::string_view app_salt) {
  auto info = device_info_for_platform(platform_name);
  if (!info.ok()) return info.status();
  auto store = std::make_shared<FileSecureStore>(state_dir);
  Status ready = store->prepare();
  if (!ready.ok()) return ready;

  PlatformServices services;
  services.identity = std::make_shared<InstallationIdDeviceIdentity>(store, std::string(app_salt));
  services.device_info = std::make_shared<DeviceInfo>(std::move(info).value());
  services.store = std::move(store);
  services.clock = system_clock();
  return services;
}

}  // namespace ssokit::platform
