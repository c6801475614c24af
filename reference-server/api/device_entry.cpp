#include "api/device_entry.hpp"

namespace ssokit::api {

server::Json device_entry(const store::DeviceRecord& device) {
  // Metadata the device sent is kept; the list's own keys are derived and win.
  server::Json entry = server::json_parse(device.info_json);
  if (!entry || !cJSON_IsObject(entry.get())) entry = server::json_object();
  // The mapped keys replace their sources (primaryHardwareType -> deviceType, osName -> os).
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
  server::json_set(entry.get(), "lastSeen", device.last_seen);
  cJSON_DeleteItemFromObjectCaseSensitive(entry.get(), "type");
  server::json_set(entry.get(), "type", device.type == store::DeviceType::kSso ? "sso" : "regular");
  return entry;
}

}  // namespace ssokit::api
