#pragma once
// The error catalog of the reference server: every non-2xx answer of /api/ and of the
// operations routes is one of these. docs/errors.md is the same catalog for readers; the
// server also renders it at GET /docs/errors, where every helpUrl points.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ssokit::server {

// One row of the catalog: the wire code with the status and action it is sent with.
// A wire code may appear in several rows (the seed sends header_missing as 400 or 401).
enum class ErrorId {
  kTokenInvalid,
  kTokenExpired,
  kHeaderMissing,
  kHeaderMissingServiceToken,  // AD-Service-Token absent on link/unlink/list (seed: 401)
  kHeaderInvalid,              // a request header malformed (400, check_headers)
  kHeaderInvalidServiceToken,  // AD-Service-Token not acceptable (401, get_new_token)
  kHeaderTooLarge,
  kInvalidHeaderDeviceInfo,
  kUnauthorized,
  kInternalError,
  kRequestNull,
  kRequestInvalid,
  kRequestInvalidHeaders,  // X-SSO-ID together with X-SSO-LINK
  kInvalidParameterServiceProvider,
  kInvalidParameterMvpd,
  kInvalidAccessTokenClientApplication,
  kInvalidAccessTokenServiceProvider,
  kDeviceUnlinked,
  kDeviceLimitReached,  // the profile already holds --max-devices devices (SPEC §6.3)
  kLinkCodeInvalid,
  kTooManyAttempts,
  kTooManyRequests,
  kResourceNotFound,
  kMethodNotAllowed,
  kNotAcceptable,
  kPayloadTooLarge,
  kMediaTypeUnsupported,
  kStoreUnavailable,  // /healthz when the store does not answer
};

struct ErrorSpec {
  ErrorId id;
  int http_status;
  const char* code;
  const char* action;
  const char* message;  // the default human text
};

const ErrorSpec& error_spec(ErrorId id);
const std::vector<ErrorSpec>& error_catalog();

// An error on its way to the client. `message` may refine the catalog's text; it never
// carries a secret (no token, code or device id).
struct ApiError {
  ErrorId id = ErrorId::kInternalError;
  std::string message;
  std::int64_t retry_after_seconds = 0;  // 429 only

  ApiError() = default;
  ApiError(ErrorId error_id, std::string text = {}, std::int64_t retry_after = 0);

  int http_status() const { return error_spec(id).http_status; }
  const char* code() const { return error_spec(id).code; }
  const char* action() const { return error_spec(id).action; }
};

// "BAD_REQUEST" for 400 and so on: the outer `status` of the error envelope.
std::string_view http_reason_constant(int http_status);

}  // namespace ssokit::server
