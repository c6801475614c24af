#pragma once
// The values the SDK hands to apps. Times are the server's (milliseconds since the epoch
// by the server's clock); the SDK tracks expiry on the steady clock, so a device whose wall
// clock is wrong still refreshes at the right moment. A not_after is at most a year after its
// not_before (the SDK cuts longer windows), so their difference is safe to count down from.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
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
  // The device that redeems the code gets no token until this device approves it
  // (approve_link_code); false from a server that does not know approval (SPEC §6.2).
  bool approval_required = false;
  // ClientOptions::link_uri_template with the code filled in (e.g. "myapp://link?code=228128"),
  // what a QR code should hold; "" when the app set no template.
  std::string uri{};  // initialized here, as approval_required: `LinkCode{value, nb, na}` stays warning-free
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

// Where a link code this device made stands (link_code_status, wait_for_link_code).
enum class LinkCodeState {
  kWaiting,           // no device has redeemed it yet
  kAwaitingApproval,  // a device redeemed it and waits for this device's approve or deny
  kRedeemed,          // a device joined the profile with it
  kDenied,            // this device denied the device that redeemed it
  kExpired,           // it ended without a device joining
};

struct LinkCodeStatus {
  LinkCodeState state = LinkCodeState::kWaiting;
  ServerTime not_after;  // the code's end, by the server's clock
  // The device that redeemed the code, as list_devices() shows it; none while kWaiting or
  // kExpired.
  std::optional<Device> device;
};

// What redeeming a link code led to (redeem_link_code with RedeemOptions).
enum class RedemptionState {
  kJoined,            // this device is in the profile: `token` is its service token
  kAwaitingApproval,  // the code is taken; the device that made it has not decided yet
};

struct Redemption {
  RedemptionState state = RedemptionState::kJoined;
  ServiceToken token;  // kJoined: also what service_token() serves from now on
  // kAwaitingApproval: the code's end, by the server's clock. Redeeming the same code again
  // from this device goes on waiting until then; after it the code is kLinkCodeInvalid.
  ServerTime not_after;
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
