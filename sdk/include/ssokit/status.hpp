#pragma once
// Errors are values: every SDK call answers a Status (or a Result<T> holding one). A Status
// says what went wrong as an ErrorCode an app can switch on, keeps the server's error object
// when there was one, and how long to wait when the server asked for patience.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "ssokit/export.hpp"

namespace ssokit {

enum class ErrorCode {
  kOk = 0,
  // The caller's own mistakes, found before any network call.
  kInvalidArgument,
  // The request never got an answer: no connection, DNS, TLS, reset, truncated answer.
  kNetworkError,
  kTimeout,    // the call's deadline passed
  kCancelled,  // the call was cancelled
  // The server answered, but not with something the SDK understands.
  kBadResponse,
  // The server's error codes, one to one (see docs/errors.md).
  kLinkCodeInvalid,     // link_code_invalid: ask for a new code
  kRateLimited,         // too_many_requests / too_many_attempts: wait retry_after()
  kDeviceUnlinked,      // device_unlinked: local state was cleared; sign in again
  kTokenExpired,        // token_expired past the refresh grace: sign in again
  kTokenInvalid,        // header_invalid on the service token, token_invalid
  kNotSignedIn,         // the call needs a service token and there is none
  kRegistrationFailed,  // the software statement or client credentials were refused
  kAccessDenied,        // invalid_access_token_* after the one renewal; unauthorized
  kBadRequest,          // any other 4xx: a bug in the app's input or the SDK
  kServerError,         // 5xx
  kStorageError,        // the secure store failed
  // Added after the others, so their values stay as they were.
  kDeviceLimitReached,  // device_limit_reached: the profile holds its most devices; unlink one
  kLinkDenied,          // link_denied: the device that made the link code denied this one
};

SSOKIT_API std::string_view to_string(ErrorCode code);

// The error object of the server's envelope, as it was sent.
struct ServerError {
  int http_status = 0;
  std::string code;  // e.g. "link_code_invalid"
  std::string message;
  std::string action;  // e.g. "get_new_link_code"
  std::string help_url;
  std::string trace;  // quote it in bug reports: it is in the server's log line
};

class Status {
 public:
  Status() = default;  // OK
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

  bool ok() const { return code_ == ErrorCode::kOk; }
  explicit operator bool() const { return ok(); }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  int http_status() const { return server_error_ ? server_error_->http_status : 0; }
  const std::optional<ServerError>& server_error() const { return server_error_; }
  // How long the server asked to wait (429 Retry-After); zero when it did not.
  std::chrono::milliseconds retry_after() const { return retry_after_; }

  Status& with_server_error(ServerError error) {
    server_error_ = std::move(error);
    return *this;
  }
  Status& with_retry_after(std::chrono::milliseconds wait) {
    retry_after_ = wait;
    return *this;
  }

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
  std::optional<ServerError> server_error_;
  std::chrono::milliseconds retry_after_{0};
};

}  // namespace ssokit
