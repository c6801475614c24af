#pragma once
// The values the SDK hands to apps. Times are the server's (milliseconds since the epoch
// by the server's clock); the SDK tracks expiry on the steady clock, so a device whose wall
// clock is wrong still refreshes at the right moment. A not_after is at most a year after its
// not_before (the SDK cuts longer windows), so their difference is safe to count down from.
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ssokit {

using ServerTime = std::chrono::time_point<std::chrono::system_clock, std::chrono::milliseconds>;

struct ServiceToken {
  std::string value;  // the compact JWS for AD-Service-Token
  ServerTime not_before;
  ServerTime not_after;
};

struct LinkCode {
  std::string value;  // what the user types on the other device, e.g. "228128"
  ServerTime not_before;
  ServerTime not_after;
};

enum class DeviceLinkType { kRegular, kSso };

struct Device {
  std::string id;           // the device id (base64), the key for unlink_devices
  std::string device_type;  // e.g. "TV", "MobilePhone"
  std::string model;
  std::string os;
  std::string os_version;
  ServerTime last_seen;
  DeviceLinkType type = DeviceLinkType::kRegular;
  bool current = false;                      // this device
  std::map<std::string, std::string> extra;  // other metadata the device sent (strings only)
};

// The compact REST API V2 part.
struct MvpdSession {
  bool already_authenticated = false;  // "authorize"/"direct": nothing for the user to do
  std::string code;
  std::string url;  // where the user logs in (the reference server's mock MVPD page)
  std::string session_id;
  std::string mvpd;
  ServerTime not_before;
  ServerTime not_after;
};

struct MvpdProfile {
  std::string mvpd;
  std::string issuer;
  bool sso = false;  // "serviceTokenSSO": obtained on another device of the profile
  ServerTime not_before;
  ServerTime not_after;
  std::map<std::string, std::string> attributes;  // e.g. "userID"
};

}  // namespace ssokit
