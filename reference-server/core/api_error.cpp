#include "core/api_error.hpp"

#include <stdexcept>

namespace ssokit::server {

const std::vector<ErrorSpec>& error_catalog() {
  // The seed's catalog (token_invalid .. request_invalid) keeps its statuses and actions;
  // the rest completes it as SPEC §2 lists.
  static const std::vector<ErrorSpec> catalog = {
      {ErrorId::kTokenInvalid, 400, "token_invalid", "get_new_token", "The provided token is invalid"},
      {ErrorId::kTokenExpired, 401, "token_expired", "get_new_token", "The token has expired"},
      {ErrorId::kHeaderMissing, 400, "header_missing", "check_headers", "A required header is missing"},
      {ErrorId::kHeaderMissingServiceToken, 401, "header_missing", "check_headers",
       "The AD-Service-Token header is required"},
      {ErrorId::kHeaderInvalid, 400, "header_invalid", "check_headers", "A request header is invalid"},
      {ErrorId::kHeaderInvalidServiceToken, 401, "header_invalid", "get_new_token",
       "Invalid JWT in AD-Service-Token"},
      {ErrorId::kHeaderTooLarge, 431, "header_too_large", "check_headers", "The request headers are too large"},
      {ErrorId::kInvalidHeaderDeviceInfo, 400, "invalid_header_device_info", "check_headers",
       "X-Device-Info must be the base64 of a JSON object"},
      {ErrorId::kUnauthorized, 401, "unauthorized", "none", "Unauthorized access"},
      {ErrorId::kInternalError, 500, "internal_error", "none", "An internal error occurred"},
      {ErrorId::kRequestNull, 400, "request_null", "none", "Request object cannot be null"},
      {ErrorId::kRequestInvalid, 400, "request_invalid", "check_request_body", "The request body is invalid"},
      {ErrorId::kRequestInvalidHeaders, 400, "request_invalid", "check_headers",
       "X-SSO-ID and X-SSO-LINK cannot be sent together"},
      {ErrorId::kInvalidParameterServiceProvider, 400, "invalid_parameter_service_provider", "none",
       "Unknown service provider"},
      {ErrorId::kInvalidParameterMvpd, 400, "invalid_parameter_mvpd", "none", "Unknown MVPD"},
      {ErrorId::kInvalidAccessTokenClientApplication, 401, "invalid_access_token_client_application",
       "application-registration", "The access token is missing, unknown or expired"},
      {ErrorId::kInvalidAccessTokenServiceProvider, 401, "invalid_access_token_service_provider",
       "application-registration", "The access token is not valid for this service provider"},
      {ErrorId::kDeviceUnlinked, 401, "device_unlinked", "sign_in", "This device is not linked to the SSO profile"},
      {ErrorId::kDeviceLimitReached, 403, "device_limit_reached", "unlink_devices",
       "This profile already holds its maximum number of devices; unlink one first"},
      {ErrorId::kLinkCodeInvalid, 400, "link_code_invalid", "get_new_link_code",
       "The link code is unknown, used or expired"},
      {ErrorId::kLinkDenied, 403, "link_denied", "get_new_link_code",
       "The device that made this link code denied this device"},
      {ErrorId::kInvalidParameterWait, 400, "invalid_parameter_wait", "none",
       "wait must be a whole number of seconds from 0 to 60"},
      {ErrorId::kTooManyWaiters, 503, "too_many_waiters", "retry",
       "Too many requests are waiting for a change; retry later"},
      {ErrorId::kTooManyAttempts, 429, "too_many_attempts", "retry",
       "Too many failed link code attempts; retry later"},
      {ErrorId::kTooManyRequests, 429, "too_many_requests", "retry", "Too many requests; retry later"},
      {ErrorId::kResourceNotFound, 404, "resource_not_found", "none", "No such resource"},
      {ErrorId::kMethodNotAllowed, 405, "method_not_allowed", "none", "Method not allowed on this resource"},
      {ErrorId::kNotAcceptable, 406, "not_acceptable", "check_headers", "The server only answers application/json"},
      {ErrorId::kPayloadTooLarge, 413, "payload_too_large", "check_request_body", "The request body is too large"},
      {ErrorId::kMediaTypeUnsupported, 415, "media_type_unsupported", "check_headers",
       "Content-Type must be application/json"},
      {ErrorId::kStoreUnavailable, 503, "store_unavailable", "retry", "The store does not answer"},
  };
  return catalog;
}

const ErrorSpec& error_spec(ErrorId id) {
  for (const ErrorSpec& spec : error_catalog()) {
    if (spec.id == id) return spec;
  }
  throw std::logic_error("error id missing from the catalog");
}

const ErrorSpec* error_spec_of_code(std::string_view code, int http_status) {
  const ErrorSpec* found = nullptr;
  for (const ErrorSpec& spec : error_catalog()) {
    if (code != spec.code) continue;
    if (spec.http_status == http_status) return &spec;
    if (found == nullptr) found = &spec;
  }
  return found;
}

ApiError::ApiError(ErrorId error_id, std::string text, std::int64_t retry_after)
    : id(error_id), message(std::move(text)), retry_after_seconds(retry_after) {
  if (message.empty()) message = error_spec(id).message;
}

std::string_view http_reason_constant(int http_status) {
  switch (http_status) {
    case 200: return "OK";
    case 201: return "CREATED";
    case 400: return "BAD_REQUEST";
    case 401: return "UNAUTHORIZED";
    case 403: return "FORBIDDEN";
    case 404: return "NOT_FOUND";
    case 405: return "METHOD_NOT_ALLOWED";
    case 406: return "NOT_ACCEPTABLE";
    case 413: return "PAYLOAD_TOO_LARGE";
    case 415: return "UNSUPPORTED_MEDIA_TYPE";
    case 429: return "TOO_MANY_REQUESTS";
    case 431: return "REQUEST_HEADER_FIELDS_TOO_LARGE";
    case 502: return "BAD_GATEWAY";
    case 503: return "SERVICE_UNAVAILABLE";
    case 504: return "GATEWAY_TIMEOUT";
    default: return "INTERNAL_SERVER_ERROR";
  }
}

}  // namespace ssokit::server
