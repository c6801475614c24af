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
  kLinkDenied,            // the code's issuing device denied this device (SPEC §6.2)
  kInvalidParameterWait,  // ?wait not an integer of 0..60 (SPEC §6.1)
  kTooManyWaiters,        // --max-waiters requests are held already (SPEC §6.1)
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
// The row of a wire code (test control's injected faults name errors by code, SPEC §6.4): of
// the rows with that code, the one sent with `http_status`, else the first; nullptr when the
// catalog has no such code.
const ErrorSpec* error_spec_of_code(std::string_view code, int http_status);

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
