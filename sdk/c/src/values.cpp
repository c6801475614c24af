// The values the C API hands out: tokens, link codes, devices and lists, read by getters
// (the layout stays free to change), and the buffers platform callbacks fill.
#include <cstdint>

#include "handles.hpp"

namespace ssokit::c_api {
namespace {

int64_t millis(ServerTime time) { return static_cast<int64_t>(time.time_since_epoch().count()); }

}  // namespace

Status device_ids_of(const char* const* device_ids, size_t count, std::vector<std::string>& ids) {
  ids.clear();
  ids.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    if (device_ids[i] == nullptr) {
      return Status(ErrorCode::kInvalidArgument, "device_ids[" + std::to_string(i) + "] is NULL");
    }
    ids.emplace_back(device_ids[i]);
  }
  return Status();
}

ssokit_token* new_token(const ServiceToken& token) { return new ssokit_token{token}; }
ssokit_link_code* new_link_code(const LinkCode& code) { return new ssokit_link_code{code}; }

ssokit_device_list device_list_of(const std::vector<Device>& devices) {
  ssokit_device_list list;
  list.devices.reserve(devices.size());
  for (const Device& device : devices) list.devices.push_back(ssokit_device{device});
  return list;
}

ssokit_device_list* new_device_list(const std::vector<Device>& devices) {
  return new ssokit_device_list(device_list_of(devices));
}

ssokit_string_list* new_string_list(std::vector<std::string> items) {
  return new ssokit_string_list{std::move(items)};
}

}  // namespace ssokit::c_api

using ssokit::c_api::millis;

extern "C" {

const char* ssokit_token_value(const ssokit_token* token) { return token ? token->token.value.c_str() : ""; }
int64_t ssokit_token_not_before_ms(const ssokit_token* token) { return token ? millis(token->token.not_before) : 0; }
int64_t ssokit_token_not_after_ms(const ssokit_token* token) { return token ? millis(token->token.not_after) : 0; }
void ssokit_token_free(ssokit_token* token) { delete token; }

const char* ssokit_link_code_value(const ssokit_link_code* code) { return code ? code->code.value.c_str() : ""; }
int64_t ssokit_link_code_not_before_ms(const ssokit_link_code* code) { return code ? millis(code->code.not_before) : 0; }
int64_t ssokit_link_code_not_after_ms(const ssokit_link_code* code) { return code ? millis(code->code.not_after) : 0; }
void ssokit_link_code_free(ssokit_link_code* code) { delete code; }

const char* ssokit_device_id(const ssokit_device* device) { return device ? device->device.id.c_str() : ""; }
const char* ssokit_device_type(const ssokit_device* device) { return device ? device->device.device_type.c_str() : ""; }
const char* ssokit_device_model(const ssokit_device* device) { return device ? device->device.model.c_str() : ""; }
const char* ssokit_device_os(const ssokit_device* device) { return device ? device->device.os.c_str() : ""; }
const char* ssokit_device_os_version(const ssokit_device* device) {
  return device ? device->device.os_version.c_str() : "";
}
int64_t ssokit_device_last_seen_ms(const ssokit_device* device) { return device ? millis(device->device.last_seen) : 0; }
int ssokit_device_link_type(const ssokit_device* device) {
  return device && device->device.type == ssokit::DeviceLinkType::kSso ? SSOKIT_LINK_SSO : SSOKIT_LINK_REGULAR;
}
int ssokit_device_is_current(const ssokit_device* device) { return device && device->device.current ? 1 : 0; }
const char* ssokit_device_extra(const ssokit_device* device, const char* key) {
  if (device == nullptr || key == nullptr) return nullptr;
  const auto found = device->device.extra.find(key);
  return found == device->device.extra.end() ? nullptr : found->second.c_str();
}

size_t ssokit_device_list_size(const ssokit_device_list* list) { return list ? list->devices.size() : 0; }
const ssokit_device* ssokit_device_list_at(const ssokit_device_list* list, size_t index) {
  return list && index < list->devices.size() ? &list->devices[index] : nullptr;
}
void ssokit_device_list_free(ssokit_device_list* list) { delete list; }

size_t ssokit_string_list_size(const ssokit_string_list* list) { return list ? list->items.size() : 0; }
const char* ssokit_string_list_at(const ssokit_string_list* list, size_t index) {
  return list && index < list->items.size() ? list->items[index].c_str() : nullptr;
}
void ssokit_string_list_free(ssokit_string_list* list) { delete list; }

void ssokit_string_free(char* text) { delete[] text; }

void ssokit_buffer_set(ssokit_buffer* buffer, const char* data, size_t length) {
  if (buffer == nullptr) return;
  buffer->bytes = data == nullptr ? std::string() : std::string(data, length);
}

}  // extern "C"
