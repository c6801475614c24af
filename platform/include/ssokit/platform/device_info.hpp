#pragma once
// X-Device-Info: what the device says about itself (SPEC §2), as a JSON object the SDK
// base64-encodes into the header. One value type, and one factory per device family with
// that family's defaults; set or override any field afterwards.
#include <map>
#include <string>
#include <string_view>

#include "ssokit/export.hpp"
#include "ssokit/platform.hpp"
#include "ssokit/result.hpp"

namespace ssokit::platform {

struct SSOKIT_API DeviceInfo final : public DeviceInfoSource {
  std::string primary_hardware_type;  // "TV", "SetTopBox", "MediaPlayer", "MobilePhone", "Tablet", "Desktop"...
  std::string model;
  std::string manufacturer;
  std::string version;                // the hardware or firmware version, when known
  std::string os_name;
  std::string os_version;
  std::string connection_type;        // e.g. "WiFi", "LAN", "Cellular"; often unknown
  std::map<std::string, std::string> extra;  // any other keys the service accepts

  // {"primaryHardwareType":...,"model":...,"manufacturer":...,"version":...,"osName":...,
  //  "osVersion":...,"connectionType":..., then `extra` in key order}. Empty fields are left
  // out, and so are `extra` keys that name a standard field (the field wins). Text that is
  // not valid UTF-8, and NUL characters, become U+FFFD, so the result is always a valid JSON
  // object that a strict parser accepts.
  std::string to_json() const;

  std::string device_info_json() override { return to_json(); }
};

// Samsung smart TV: TV, Samsung, Tizen.
SSOKIT_API DeviceInfo tizen(std::string model, std::string os_version);
// LG smart TV: TV, LG, webOS.
SSOKIT_API DeviceInfo webos(std::string model, std::string os_version);
// Roku-style streaming player: MediaPlayer, Roku, Roku OS.
SSOKIT_API DeviceInfo roku(std::string model, std::string os_version);
// Android: MobilePhone (or Tablet), manufacturer left to the caller (Build.MANUFACTURER).
SSOKIT_API DeviceInfo android(std::string model, std::string os_version, bool tablet = false);
// iOS: MobilePhone, Apple, iOS; or Tablet, Apple, iPadOS.
SSOKIT_API DeviceInfo ios(std::string model, std::string os_version, bool tablet = false);

// This Linux machine, for samples and tests: Desktop; osName is os-release's PRETTY_NAME
// (else NAME, else "Linux"), osVersion its VERSION_ID (else the kernel release); the model is
// uname's machine ("x86_64"). `os_release_path` is injectable for tests; when it cannot be
// read, /usr/lib/os-release is tried (the os-release(5) fallback) only for the default path.
SSOKIT_API DeviceInfo linux_desktop(const std::string& os_release_path = "/etc/os-release");

// The CLI's --platform NAME: "tizen", "webos", "roku", "android", "ios" (simulated devices
// with a plausible model and OS version each) or "linux" (linux_desktop()). Case-insensitive;
// any other name is kInvalidArgument naming the known ones.
SSOKIT_API Result<DeviceInfo> device_info_for_platform(std::string_view name);

}  // namespace ssokit::platform
