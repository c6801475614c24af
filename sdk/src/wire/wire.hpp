#pragma once
// The SSO service's wire format, read leniently and checked strictly: every parser returns a
// typed value or a Status (kBadResponse naming the field), never crashes on a truncated,
// non-JSON or odd body, ignores unknown fields, and accepts the seed's alternative names
// (`jws` for serviceToken, `link` for code). Internal to the SDK.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "ssokit/result.hpp"
#include "ssokit/transport.hpp"
#include "ssokit/types.hpp"

namespace ssokit::wire {

// POST/GET serviceToken answers: {"status","serviceToken"|"jws","notBefore","notAfter"}.
Result<ServiceToken> parse_service_token(const std::string& body);
// POST link: {"status","code"|"link","notBefore","notAfter","approval"}; `approval`
// ("required"/"optional") may be absent (a §2 server): no approval then.
Result<LinkCode> parse_link_code(const std::string& body);
// The request body of POST link that asks for approval: {"approval":"required"}.
std::string approval_request_body();
// GET link/status: {"status","notAfter","device":{"id",<as the list>}}; `device` may be
// absent; `current_device_id` marks Device::current as parse_devices does.
Result<LinkCodeStatus> parse_link_code_status(const std::string& body, const std::string& current_device_id);
// POST serviceToken with X-SSO-LINK: 202 {"status":"AWAITING_APPROVAL","notAfter"} is
// kAwaitingApproval; any other 2xx is a service token answer (kJoined).
Result<Redemption> parse_redemption(int http_status, const std::string& body);
// POST link/approve and link/deny: {"status":"OK"}; OK for any JSON object.
Status parse_link_decision(const std::string& body);
// GET list: {"devices":{"<id>":{...}}}; `current_device_id` marks Device::current.
Result<std::vector<Device>> parse_devices(const std::string& body, const std::string& current_device_id);
// POST unlink: {"status","unlinkedDevices":[ids]}.
Result<std::vector<std::string>> parse_unlinked(const std::string& body);
// The request body of POST unlink.
std::string unlink_request_body(const std::vector<std::string>& device_ids);

// V2: sessions, profiles (both forms), logout of one MVPD (true: "complete").
Result<MvpdSession> parse_mvpd_session(const std::string& body);
Result<std::vector<MvpdProfile>> parse_mvpd_profiles(const std::string& body);
Result<bool> parse_mvpd_logout(const std::string& body, const std::string& mvpd);

// Dynamic client registration and client-credentials tokens (201 or 200).
struct ClientCredentials {
  std::string client_id;
  std::string client_secret;
};
Result<ClientCredentials> parse_registration(const std::string& body);
struct AccessToken {
  std::string value;
  std::chrono::seconds expires_in{0};
};
Result<AccessToken> parse_access_token(const std::string& body);
std::string registration_request_body(const std::string& software_statement);

// The Status for a non-2xx answer: the error envelope's code mapped to an ErrorCode (see
// docs/sdk.md), the envelope kept as ServerError, Retry-After (seconds or HTTP-date, taken
// relative to the response's Date header) as retry_after. OAuth errors of /o/client/* map to
// kRegistrationFailed. A body that is not an envelope still gives a Status from the HTTP
// status alone.
Status status_from_response(const HttpResponse& response);

// Retry-After as a wait: "120" or an IMF-fixdate; for a date, `date_header` (the answer's
// Date) is "now", so a device clock that is off changes nothing. nullopt when unparseable.
std::optional<std::chrono::milliseconds> parse_retry_after(const std::string& value, const std::string& date_header);

// An IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") as system time; nullopt when malformed.
std::optional<std::chrono::system_clock::time_point> parse_http_date(const std::string& value);

}  // namespace ssokit::wire
