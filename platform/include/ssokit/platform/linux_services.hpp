#pragma once
// The platform services of one simulated device on Linux, as the CLI and the samples use
// them: one state folder per device.
//
//   identity           InstallationIdDeviceIdentity over the state folder's store: a random
//                      installation id kept under "installation-id", hashed with `app_salt`
//                      (see installation_id.hpp for why not the machine id)
//   device_info        device_info_for_platform(platform_name)
//   store              FileSecureStore(state_dir), created 0700 now
//   platform_identity  null; set it to a FileConnectTokenProvider for `--platform-token FILE`
//   clock              ssokit::system_clock()
#include <string>
#include <string_view>

#include "ssokit/export.hpp"
#include "ssokit/platform.hpp"
#include "ssokit/result.hpp"

namespace ssokit::platform {

// kInvalidArgument for an unknown platform name; kStorageError when the state folder cannot
// be created.
SSOKIT_API Result<PlatformServices> linux_services(const std::string& state_dir,
                                        std::string_view platform_name = "linux",
                                        std::string_view app_salt = "ssokit");

}  // namespace ssokit::platform
