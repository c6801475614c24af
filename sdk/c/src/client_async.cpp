// The asynchronous calls: the C++ *_async call with a callback that lends the C caller's
// callback the result for its duration (on the SDK worker thread the C++ callback runs on).
#include <string>
#include <vector>

#include "handles.hpp"

using ssokit::c_api::call_options;

namespace {

int refuse(const char* what) { return ssokit::c_api::invalid_argument(what, nullptr); }

// Hands `result` to `done` as a C value made by `make`, or as the failure.
template <class T, class CValue, class Done, class Make>
void deliver(const ssokit::Result<T>& result, Done done, void* user_data, Make make) {
  if (!result) {
    const ssokit_error error{result.status()};
    done(user_data, static_cast<int>(result.status().code()), nullptr, &error);
    return;
  }
  const CValue value = make(*result);
  done(user_data, SSOKIT_OK, &value, nullptr);
}

ssokit_token as_token(const ssokit::ServiceToken& token) { return ssokit_token{token}; }

ssokit::Callback<ssokit::ServiceToken> token_callback(ssokit_token_done_fn done, void* user_data) {
  return [done, user_data](ssokit::Result<ssokit::ServiceToken> result) {
    deliver<ssokit::ServiceToken, ssokit_token>(result, done, user_data, as_token);
  };
}

}  // namespace

extern "C" {

int ssokit_client_sign_in_async(ssokit_client* client, const char* sso_id, const ssokit_call* call,
                                ssokit_token_done_fn done, void* user_data) {
  if (client == nullptr || sso_id == nullptr || done == nullptr) return refuse("client, sso_id or done is NULL");
  client->client.sign_in_async(sso_id, token_callback(done, user_data), call_options(call));
  return SSOKIT_OK;
}

int ssokit_client_redeem_link_code_async(ssokit_client* client, const char* code, const ssokit_call* call,
                                         ssokit_token_done_fn done, void* user_data) {
  if (client == nullptr || code == nullptr || done == nullptr) return refuse("client, code or done is NULL");
  client->client.redeem_link_code_async(code, token_callback(done, user_data), call_options(call));
  return SSOKIT_OK;
}

int ssokit_client_sign_in_with_platform_identity_async(ssokit_client* client, const ssokit_call* call,
                                                       ssokit_token_done_fn done, void* user_data) {
  if (client == nullptr || done == nullptr) return refuse("client or done is NULL");
  client->client.sign_in_with_platform_identity_async(token_callback(done, user_data), call_options(call));
  return SSOKIT_OK;
}

int ssokit_client_service_token_async(ssokit_client* client, const ssokit_call* call, ssokit_token_done_fn done,
                                      void* user_data) {
  if (client == nullptr || done == nullptr) return refuse("client or done is NULL");
  client->client.service_token_async(token_callback(done, user_data), call_options(call));
  return SSOKIT_OK;
}

int ssokit_client_create_link_code_async(ssokit_client* client, const ssokit_call* call, ssokit_link_code_done_fn done,
                                         void* user_data) {
  if (client == nullptr || done == nullptr) return refuse("client or done is NULL");
  client->client.create_link_code_async(
      [done, user_data](ssokit::Result<ssokit::LinkCode> result) {
        deliver<ssokit::LinkCode, ssokit_link_code>(result, done, user_data,
                                                    [](const ssokit::LinkCode& code) { return ssokit_link_code{code}; });
      },
      call_options(call));
  return SSOKIT_OK;
}

int ssokit_client_list_devices_async(ssokit_client* client, const ssokit_call* call, ssokit_device_list_done_fn done,
                                     void* user_data) {
  if (client == nullptr || done == nullptr) return refuse("client or done is NULL");
  client->client.list_devices_async(
      [done, user_data](ssokit::Result<std::vector<ssokit::Device>> result) {
        deliver<std::vector<ssokit::Device>, ssokit_device_list>(
            result, done, user_data, ssokit::c_api::device_list_of);
      },
      call_options(call));
  return SSOKIT_OK;
}

int ssokit_client_unlink_devices_async(ssokit_client* client, const char* const* device_ids, size_t count,
                                       const ssokit_call* call, ssokit_string_list_done_fn done, void* user_data) {
  if (client == nullptr || (device_ids == nullptr && count > 0) || done == nullptr) {
    return refuse("client, device_ids or done is NULL");
  }
  std::vector<std::string> ids;
  if (!ssokit::c_api::device_ids_of(device_ids, count, ids)) return SSOKIT_INVALID_ARGUMENT;
  client->client.unlink_devices_async(
      ids,
      [done, user_data](ssokit::Result<std::vector<std::string>> result) {
        deliver<std::vector<std::string>, ssokit_string_list>(
            result, done, user_data, [](const std::vector<std::string>& unlinked) { return ssokit_string_list{unlinked}; });
      },
      call_options(call));
  return SSOKIT_OK;
}

}  // extern "C"
