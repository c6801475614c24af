#include "ssokit/status.hpp"

namespace ssokit {

// The names apps and the CLI print ("error: <code>: <message>"); stable, snake_case.
std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk:
      return "ok";
    case ErrorCode::kInvalidArgument:
      return "invalid_argument";
    case ErrorCode::kNetworkError:
      return "network_error";
    case ErrorCode::kTimeout:
      return "timeout";
    case ErrorCode::kCancelled:
      return "cancelled";
    case ErrorCode::kBadResponse:
      return "bad_response";
    case ErrorCode::kLinkCodeInvalid:
      return "link_code_invalid";
    case ErrorCode::kRateLimited:
      return "rate_limited";
    case ErrorCode::kDeviceUnlinked:
      return "device_unlinked";
    case ErrorCode::kTokenExpired:
      return "token_expired";
    case ErrorCode::kTokenInvalid:
      return "token_invalid";
    case ErrorCode::kNotSignedIn:
      return "not_signed_in";
    case ErrorCode::kRegistrationFailed:
      return "registration_failed";
    case ErrorCode::kAccessDenied:
      return "access_denied";
    case ErrorCode::kBadRequest:
      return "bad_request";
    case ErrorCode::kServerError:
      return "server_error";
    case ErrorCode::kStorageError:
      return "storage_error";
    case ErrorCode::kDeviceLimitReached:
      return "device_limit_reached";
    case ErrorCode::kLinkDenied:
      return "link_denied";
  }
  return "unknown";
}

}  // namespace ssokit
