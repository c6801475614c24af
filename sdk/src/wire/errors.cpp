// The Status of a non-2xx answer.
//
// | what the answer says                                           | ErrorCode           |
// |----------------------------------------------------------------|---------------------|
// | envelope code link_code_invalid                                | kLinkCodeInvalid    |
// | envelope code too_many_requests, too_many_attempts             | kRateLimited        |
// | envelope code device_unlinked                                  | kDeviceUnlinked     |
// | envelope code device_limit_reached                             | kDeviceLimitReached |
// | envelope code link_denied                                      | kLinkDenied         |
// | envelope code too_many_waiters (503: held requests are full)   | kServerError        |
// | envelope code invalid_parameter_wait (a wait out of 0..60)     | kBadRequest         |
// | envelope code token_expired                                    | kTokenExpired       |
// | envelope code header_invalid with HTTP 401 (the service token) | kTokenInvalid       |
// | envelope code token_invalid                                    | kTokenInvalid       |
// | envelope code invalid_access_token_client_application,         | kAccessDenied       |
// |   invalid_access_token_service_provider, unauthorized          |                     |
// | OAuth body {"error":"<text>"} (/o/client/*: invalid_request,   | kRegistrationFailed |
// |   invalid_client, invalid_software_statement,                  |                     |
// |   unsupported_grant_type, ...) with a 4xx other than 429       |                     |
// | OAuth body with 429 (too_many_requests from /o/client/*)       | kRateLimited        |
// | anything else (another code, no envelope, not JSON) with 429   | kRateLimited        |
// |   ... with another 4xx                                         | kBadRequest         |
// |   ... with a 5xx                                               | kServerError        |
// |   ... with any other status (1xx, 2xx, 3xx, out of range)     | kBadResponse        |
//
// - The envelope's code decides first, whatever the status; the HTTP status decides the rest.
// - The Status always carries a ServerError, so http_status() works without an envelope too:
//   every envelope field as sent (error.status when it is an HTTP status, otherwise the
//   status line's), the OAuth `error` as code and `error_description` as message, and only
//   http_status when the body had no error object.
// - retry_after: the Retry-After header (seconds, or an HTTP-date read against the answer's
//   Date) whenever it is present and readable, on 429 and on any other status (503), at most
//   internal::kMaxRetryAfter (an hour).
// - The Status message is one line of human text, "<code>: <message>" (e.g.
//   "link_code_invalid: The link code is unknown, used or expired"). The server promises
//   its messages hold no token, but the SDK does not rely on it: anything shaped like a JWT or
//   a long opaque secret is replaced by "[redacted]", control characters become spaces, and
//   the server's part is cut at kMaxServerText bytes. The body itself is never quoted.
#include <string_view>

#include "wire/json.hpp"
#include "wire/wire.hpp"

namespace ssokit::wire {
namespace {

// The most of the server's text one Status message carries.
constexpr std::size_t kMaxServerText = 300;
// An unbroken run of token characters this long may be a secret (access tokens and client
// secrets are 43 characters; a trace UUID, 36, stays readable).
constexpr std::size_t kMinSecretLength = 40;

struct CodeRow {
  std::string_view code;
  ErrorCode error;
};
constexpr CodeRow kCodeRows[] = {
    {"link_code_invalid", ErrorCode::kLinkCodeInvalid},
    {"too_many_requests", ErrorCode::kRateLimited},
    {"too_many_attempts", ErrorCode::kRateLimited},
    {"device_unlinked", ErrorCode::kDeviceUnlinked},
    {"device_limit_reached", ErrorCode::kDeviceLimitReached},
    {"link_denied", ErrorCode::kLinkDenied},
    // Named although their statuses say the same: the server cannot hold one more request
    // now (retried after Retry-After, like store_unavailable), and a wait the SDK never sends.
    {"too_many_waiters", ErrorCode::kServerError},
    {"invalid_parameter_wait", ErrorCode::kBadRequest},
    {"token_expired", ErrorCode::kTokenExpired},
    {"token_invalid", ErrorCode::kTokenInvalid},
    {"invalid_access_token_client_application", ErrorCode::kAccessDenied},
    {"invalid_access_token_service_provider", ErrorCode::kAccessDenied},
    {"unauthorized", ErrorCode::kAccessDenied},
};

ErrorCode from_http_status(int status) {
  if (status == 429) return ErrorCode::kRateLimited;
  if (status >= 400 && status <= 499) return ErrorCode::kBadRequest;
  if (status >= 500 && status <= 599) return ErrorCode::kServerError;
  return ErrorCode::kBadResponse;
}

ErrorCode from_envelope(const std::string& code, int http_status) {
  for (const CodeRow& row : kCodeRows) {
    if (row.code == code) return row.error;
  }
  // header_invalid is a malformed header (400, check_headers) or a refused service token (401).
  if (code == "header_invalid" && http_status == 401) return ErrorCode::kTokenInvalid;
  return from_http_status(http_status);
}

ErrorCode from_oauth(int http_status) {
  if (http_status >= 400 && http_status <= 499 && http_status != 429) return ErrorCode::kRegistrationFailed;
  return from_http_status(http_status);
}

std::string string_member(const cJSON* object, const char* key) {
  const cJSON* value = json::member(object, key);
  return cJSON_IsString(value) && value->valuestring != nullptr ? std::string(value->valuestring) : std::string();
}

bool is_token_character(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         std::string_view("-._~+/=").find(c) != std::string_view::npos;
}

// A JOSE object (its header is base64url of `{"`), or a long run mixing character classes
// as random tokens do; a long snake_case error code or a lowercase path is left alone.
bool looks_secret(std::string_view run) {
  if (run.find("eyJ") != std::string_view::npos && run.find('.') != std::string_view::npos) return true;
  if (run.size() < kMinSecretLength) return false;
  bool upper = false;
  bool lower = false;
  bool digit = false;
  for (char c : run) {
    upper = upper || (c >= 'A' && c <= 'Z');
    lower = lower || (c >= 'a' && c <= 'z');
    digit = digit || (c >= '0' && c <= '9');
  }
  return int{upper} + int{lower} + int{digit} >= 2;
}

// Server text made safe for one line of a log or a terminal.
std::string safe_text(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    if (is_token_character(text[i])) {
      std::size_t end = i;
      while (end < text.size() && is_token_character(text[end])) ++end;
      const std::string_view run = text.substr(i, end - i);
      out.append(looks_secret(run) ? std::string_view("[redacted]") : run);
      i = end;
      continue;
    }
    const auto byte = static_cast<unsigned char>(text[i]);
    out.push_back(byte < 0x20 || byte == 0x7f ? ' ' : text[i]);
    ++i;
  }
  if (out.size() > kMaxServerText) {
    std::size_t cut = kMaxServerText;
    // Never cut a UTF-8 sequence in half.
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
    out.append("...");
  }
  return out;
}

std::string describe(const ServerError& error, int http_status) {
  const std::string code = safe_text(error.code);
  const std::string message = safe_text(error.message);
  if (!code.empty() && !message.empty()) return code + ": " + message;
  if (!code.empty()) return code + " (HTTP " + std::to_string(http_status) + ")";
  if (!message.empty()) return "HTTP " + std::to_string(http_status) + ": " + message;
  return "HTTP " + std::to_string(http_status) + " without error details";
}

}  // namespace

Status status_from_response(const HttpResponse& response) {
  ServerError error;
  error.http_status = response.status;
  ErrorCode code = from_http_status(response.status);

  const json::Json body = json::parse(response.body);
  const cJSON* error_member = json::member(body.get(), "error");
  if (cJSON_IsObject(error_member)) {
    // {"status":"BAD_REQUEST","error":{"status","code","message","action","helpUrl","trace"}}
    std::int64_t status = 0;
    if (json::whole_number(json::member(error_member, "status"), status) && status >= 100 && status <= 599) {
      error.http_status = static_cast<int>(status);
    }
    error.code = string_member(error_member, "code");
    error.message = string_member(error_member, "message");
    error.action = string_member(error_member, "action");
    error.help_url = string_member(error_member, "helpUrl");
    error.trace = string_member(error_member, "trace");
    code = from_envelope(error.code, response.status);
  } else if (cJSON_IsString(error_member) && error_member->valuestring != nullptr) {
    // RFC 6749 §5.2 / RFC 7591 §3.2.2: {"error","error_description"}.
    error.code = error_member->valuestring;
    error.message = string_member(body.get(), "error_description");
    code = from_oauth(response.status);
  }

  Status result(code, describe(error, response.status));
  if (auto wait = parse_retry_after(response.header("Retry-After"), response.header("Date"))) {
    result.with_retry_after(*wait);
  }
  result.with_server_error(std::move(error));
  return result;
}

}  // namespace ssokit::wire
