#include "platform_callbacks.hpp"

#include "handles.hpp"

namespace ssokit::c_api {
namespace {

// What a failed callback becomes: the app's store said no; its own words are its to log.
Status store_failure(const char* operation, int answered) {
  return Status(ErrorCode::kStorageError, std::string("the app's secure store failed to ") + operation +
                                              " (its callback answered " + ssokit_status_name(answered) + ")");
}

}  // namespace

Result<std::optional<std::string>> CallbackSecureStore::get(const std::string& key) {
  ssokit_buffer value;
  const int answered = get_(user_data_, key.c_str(), &value);
  if (answered != SSOKIT_OK) return store_failure("read a value", answered);
  return std::move(value.bytes);
}

Status CallbackSecureStore::put(const std::string& key, const std::string& value) {
  const int answered = put_(user_data_, key.c_str(), value.data(), value.size());
  return answered == SSOKIT_OK ? Status() : store_failure("write a value", answered);
}

Status CallbackSecureStore::remove(const std::string& key) {
  const int answered = remove_(user_data_, key.c_str());
  return answered == SSOKIT_OK ? Status() : store_failure("remove a value", answered);
}

std::optional<std::string> CallbackConnectToken::connect_token() {
  ssokit_buffer token;
  provider_(user_data_, &token);
  return std::move(token.bytes);
}

}  // namespace ssokit::c_api
