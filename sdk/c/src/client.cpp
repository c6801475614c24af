// ssokit_client: creation and the blocking calls, each a thin turn of C arguments into the
// C++ call and of its Result into a status, an out-parameter and an error.
#include <cstring>
#include <string>
#include <vector>

#include "handles.hpp"

using ssokit::c_api::call_options;
using ssokit::c_api::invalid_argument;
using ssokit::c_api::report;

namespace {

// Sets *out to make(value) on success; the status (and error) either way.
template <class T, class Out, class Make>
int answer(const ssokit::Result<T>& result, Out** out, Make make, ssokit_error** error) {
  if (!result) return report(result.status(), error);
  *out = make(*result);
  return SSOKIT_OK;
}

}  // namespace

extern "C" {

int ssokit_client_create(const ssokit_options* options, ssokit_client** client, ssokit_error** error) {
  if (options == nullptr || client == nullptr) return invalid_argument("options or client is NULL", error);
  auto created = ssokit::SsoClient::create(options->options);
  if (!created) return report(created.status(), error);
  *client = new ssokit_client(std::move(*created));
  return SSOKIT_OK;
}

void ssokit_client_free(ssokit_client* client) { delete client; }

int ssokit_client_sign_in(ssokit_client* client, const char* sso_id, const ssokit_call* call, ssokit_token** token,
                          ssokit_error** error) {
  if (client == nullptr || sso_id == nullptr || token == nullptr) {
    return invalid_argument("client, sso_id or token is NULL", error);
  }
  return answer(client->client.sign_in(sso_id, call_options(call)), token, ssokit::c_api::new_token, error);
}

int ssokit_client_redeem_link_code(ssokit_client* client, const char* code, const ssokit_call* call,
                                   ssokit_token** token, ssokit_error** error) {
  if (client == nullptr || code == nullptr || token == nullptr) {
    return invalid_argument("client, code or token is NULL", error);
  }
  return answer(client->client.redeem_link_code(code, call_options(call)), token, ssokit::c_api::new_token, error);
}

int ssokit_client_sign_in_with_platform_identity(ssokit_client* client, const ssokit_call* call, ssokit_token** token,
                                                 ssokit_error** error) {
  if (client == nullptr || token == nullptr) return invalid_argument("client or token is NULL", error);
  return answer(client->client.sign_in_with_platform_identity(call_options(call)), token, ssokit::c_api::new_token,
                error);
}

int ssokit_client_service_token(ssokit_client* client, const ssokit_call* call, ssokit_token** token,
                                ssokit_error** error) {
  if (client == nullptr || token == nullptr) return invalid_argument("client or token is NULL", error);
  return answer(client->client.service_token(call_options(call)), token, ssokit::c_api::new_token, error);
}

int ssokit_client_create_link_code(ssokit_client* client, const ssokit_call* call, ssokit_link_code** code,
                                   ssokit_error** error) {
  if (client == nullptr || code == nullptr) return invalid_argument("client or code is NULL", error);
  return answer(client->client.create_link_code(call_options(call)), code, ssokit::c_api::new_link_code, error);
}

int ssokit_client_list_devices(ssokit_client* client, const ssokit_call* call, ssokit_device_list** devices,
                               ssokit_error** error) {
  if (client == nullptr || devices == nullptr) return invalid_argument("client or devices is NULL", error);
  return answer(client->client.list_devices(call_options(call)), devices, ssokit::c_api::new_device_list, error);
}

int ssokit_client_unlink_devices(ssokit_client* client, const char* const* device_ids, size_t count,
                                 const ssokit_call* call, ssokit_string_list** unlinked, ssokit_error** error) {
  if (client == nullptr || (device_ids == nullptr && count > 0) || unlinked == nullptr) {
    return invalid_argument("client, device_ids or unlinked is NULL", error);
  }
  std::vector<std::string> ids;
  if (ssokit::Status listed = ssokit::c_api::device_ids_of(device_ids, count, ids); !listed) {
    return report(listed, error);
  }
  return answer(client->client.unlink_devices(ids, call_options(call)), unlinked,
                [](const std::vector<std::string>& done) { return ssokit::c_api::new_string_list(done); }, error);
}

int ssokit_client_sign_out(ssokit_client* client, ssokit_error** error) {
  if (client == nullptr) return invalid_argument("client is NULL", error);
  return report(client->client.sign_out(), error);
}

int ssokit_client_signed_in(const ssokit_client* client) { return client && client->client.signed_in() ? 1 : 0; }

int ssokit_client_device_id(const ssokit_client* client, char** device_id, ssokit_error** error) {
  if (client == nullptr || device_id == nullptr) return invalid_argument("client or device_id is NULL", error);
  auto id = client->client.device_id();
  if (!id) return report(id.status(), error);
  char* copy = new char[id->size() + 1];
  std::memcpy(copy, id->c_str(), id->size() + 1);
  *device_id = copy;
  return SSOKIT_OK;
}

}  // extern "C"
