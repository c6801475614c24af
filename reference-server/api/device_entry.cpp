#include "api/device_entry.hpp"

#include <cstddef>
#include <optional>

#include "core/immutable_cache.hpp"

namespace ssokit::api {

namespace {

// The metadata as list shows it, without lastSeen and type: kept keys first, in their
// order, then the mapped ones (primaryHardwareType -> deviceType, osName -> os), which
// replace their sources and win over keys of the same name.
server::Json reshaped_info(const std::string& info_json) {
  server::Json entry = server::json_parse(info_json);
  if (!entry || !cJSON_IsObject(entry.get())) entry = server::json_object();
  const auto take = [&](const char* from, const char* to) {
    const auto value = server::json_string(entry.get(), from);
    cJSON_DeleteItemFromObjectCaseSensitive(entry.get(), from);
    cJSON_DeleteItemFromObjectCaseSensitive(entry.get(), to);
    server::json_set(entry.get(), to, value.value_or(""));
  };
  take("primaryHardwareType", "deviceType");
  take("model", "model");
  take("osName", "os");
  take("osVersion", "osVersion");
  cJSON_DeleteItemFromObjectCaseSensitive(entry.get(), "lastSeen");
  cJSON_DeleteItemFromObjectCaseSensitive(entry.get(), "type");
  return entry;
}

const char* type_name(store::DeviceType type) { return type == store::DeviceType::kSso ? "sso" : "regular"; }

// reshaped_info() printed, without its closing brace: a pure function of the metadata
// text, so it is memoised by that text (bounded; a miss only costs the reshaping).
std::string open_entry(const std::string& info_json) {
  static server::ImmutableCache<std::string> printed(4096);
  return *printed.get(info_json, [&]() -> std::optional<std::string> {
    std::string text = server::json_print(reshaped_info(info_json).get());
    text.pop_back();  // '}'
    return text;
  });
}

// A JSON string for a device id: ids are base64 (SPEC §2), which needs no escaping; anything
// else goes through cJSON.
std::string quoted_id(const std::string& id) {
  bool plain = true;
  for (const char c : id) {
    const bool safe = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
                      c == '/' || c == '=' || c == '-' || c == '_' || c == '.';
    if (!safe) plain = false;
  }
  if (plain) return '"' + id + '"';
  server::Json text(cJSON_CreateString(id.c_str()));
  return server::json_print(text.get());
}

}  // namespace

server::Json device_entry(const store::DeviceRecord& device) {
  server::Json entry = reshaped_info(device.info_json);
  server::json_set(entry.get(), "lastSeen", device.last_seen);
  server::json_set(entry.get(), "type", type_name(device.type));
  return entry;
}

std::string device_list_body(const std::vector<store::DeviceRecord>& devices) {
  std::string body = "{\"devices\":{";
  for (std::size_t i = 0; i < devices.size(); ++i) {
    const store::DeviceRecord& device = devices[i];
    if (i > 0) body += ',';
    body += quoted_id(device.device_id);
    body += ':';
    const std::string opened = open_entry(device.info_json);
    body += opened;
    if (opened.size() > 1) body += ',';
    body += "\"lastSeen\":";
    body += std::to_string(device.last_seen);
    body += ",\"type\":\"";
    body += type_name(device.type);
    body += "\"}";
  }
  body += "}}";
  return body;
}

}  // namespace ssokit::api
