// Status codes and ssokit_error: the C face of ssokit::Status.
#include <string>
#include <type_traits>

#include "handles.hpp"

namespace ssokit::c_api {
namespace {

// The C codes are the C++ ones, number for number: bindings switch on either.
static_assert(SSOKIT_OK == static_cast<int>(ErrorCode::kOk));
static_assert(SSOKIT_INVALID_ARGUMENT == static_cast<int>(ErrorCode::kInvalidArgument));
static_assert(SSOKIT_NETWORK_ERROR == static_cast<int>(ErrorCode::kNetworkError));
static_assert(SSOKIT_TIMEOUT == static_cast<int>(ErrorCode::kTimeout));
static_assert(SSOKIT_CANCELLED == static_cast<int>(ErrorCode::kCancelled));
static_assert(SSOKIT_BAD_RESPONSE == static_cast<int>(ErrorCode::kBadResponse));
static_assert(SSOKIT_LINK_CODE_INVALID == static_cast<int>(ErrorCode::kLinkCodeInvalid));
static_assert(SSOKIT_RATE_LIMITED == static_cast<int>(ErrorCode::kRateLimited));
static_assert(SSOKIT_DEVICE_UNLINKED == static_cast<int>(ErrorCode::kDeviceUnlinked));
static_assert(SSOKIT_TOKEN_EXPIRED == static_cast<int>(ErrorCode::kTokenExpired));
static_assert(SSOKIT_TOKEN_INVALID == static_cast<int>(ErrorCode::kTokenInvalid));
static_assert(SSOKIT_NOT_SIGNED_IN == static_cast<int>(ErrorCode::kNotSignedIn));
static_assert(SSOKIT_REGISTRATION_FAILED == static_cast<int>(ErrorCode::kRegistrationFailed));
static_assert(SSOKIT_ACCESS_DENIED == static_cast<int>(ErrorCode::kAccessDenied));
static_assert(SSOKIT_BAD_REQUEST == static_cast<int>(ErrorCode::kBadRequest));
static_assert(SSOKIT_SERVER_ERROR == static_cast<int>(ErrorCode::kServerError));
static_assert(SSOKIT_STORAGE_ERROR == static_cast<int>(ErrorCode::kStorageError));
static_assert(SSOKIT_DEVICE_LIMIT_REACHED == static_cast<int>(ErrorCode::kDeviceLimitReached));
static_assert(SSOKIT_LINK_DENIED == static_cast<int>(ErrorCode::kLinkDenied));
constexpr int kLastStatus = SSOKIT_LINK_DENIED;

const ServerError* server_error_of(const ssokit_error* error) {
  return error && error->status.server_error() ? &*error->status.server_error() : nullptr;
}

const char* server_field(const ssokit_error* error, std::string ServerError::*field) {
  const ServerError* server = server_error_of(error);
  return server ? (server->*field).c_str() : "";
}

}  // namespace

int report(const Status& status, ssokit_error** error) {
  if (!status.ok() && error != nullptr) *error = new ssokit_error{status};
  return static_cast<int>(status.code());
}

int invalid_argument(const std::string& what, ssokit_error** error) {
  return report(Status(ErrorCode::kInvalidArgument, what), error);
}

}  // namespace ssokit::c_api

using ssokit::c_api::server_error_of;
using ssokit::c_api::server_field;

extern "C" {

const char* ssokit_status_name(int status) {
  if (status < 0 || status > ssokit::c_api::kLastStatus) return "unknown";
  // to_string answers views of string literals: NUL-terminated.
  return ssokit::to_string(static_cast<ssokit::ErrorCode>(status)).data();
}

const char* ssokit_version(void) { return SSOKIT_VERSION; }

int ssokit_error_status(const ssokit_error* error) {
  return error ? static_cast<int>(error->status.code()) : SSOKIT_OK;
}
const char* ssokit_error_message(const ssokit_error* error) { return error ? error->status.message().c_str() : ""; }
int64_t ssokit_error_retry_after_ms(const ssokit_error* error) {
  return error ? static_cast<int64_t>(error->status.retry_after().count()) : 0;
}
int ssokit_error_http_status(const ssokit_error* error) {
  const ssokit::ServerError* server = server_error_of(error);
  return server ? server->http_status : 0;
}
const char* ssokit_error_server_code(const ssokit_error* error) {
  return server_field(error, &ssokit::ServerError::code);
}
const char* ssokit_error_server_message(const ssokit_error* error) {
  return server_field(error, &ssokit::ServerError::message);
}
const char* ssokit_error_server_action(const ssokit_error* error) {
  return server_field(error, &ssokit::ServerError::action);
}
const char* ssokit_error_server_help_url(const ssokit_error* error) {
  return server_field(error, &ssokit::ServerError::help_url);
}
const char* ssokit_error_server_trace(const ssokit_error* error) {
  return server_field(error, &ssokit::ServerError::trace);
}
void ssokit_error_free(ssokit_error* error) { delete error; }

}  // extern "C"
