#include <set>

#include "wire/json.hpp"
#include "wire/wire.hpp"

namespace ssokit::wire {
namespace {

constexpr std::string_view kListAnswer = "device list answer";
constexpr std::string_view kUnlinkAnswer = "unlink answer";

// Keys of a device entry that map to Device fields; every other string member goes to
// Device::extra as the device sent it.
const std::set<std::string, std::less<>>& mapped_keys() {
  static const std::set<std::string, std::less<>> keys = {"deviceType", "model", "os", "osVersion", "lastSeen", "type"};
  return keys;
}

// `deviceType` and `os` are the list's names for X-Device-Info's `primaryHardwareType` and
// `osName`; an answer that passes the raw names through is read the same.
std::string mapped_or_raw(const std::string& mapped, const json::Fields& fields, const cJSON* entry,
                          const char* mapped_key, const char* raw_key) {
  if (fields.has(mapped_key)) return mapped;
  const cJSON* raw = json::member(entry, raw_key);
  return cJSON_IsString(raw) && raw->valuestring != nullptr ? std::string(raw->valuestring) : mapped;
}

Result<Device> parse_device(const cJSON* entry) {
  const json::Fields fields(entry, kListAnswer, "devices.*.");
  if (!cJSON_IsObject(entry)) return json::bad_answer(kListAnswer, "devices.*", "is not an object");
  Device device;
  device.id = entry->string == nullptr ? std::string() : std::string(entry->string);
  if (device.id.empty()) return json::bad_answer(kListAnswer, "devices", "has an empty device id");

  // Metadata the device never sent is "" on the server; absent is read the same.
  struct Text {
    const char* key;
    std::string* out;
  };
  for (const Text& text : {Text{"deviceType", &device.device_type}, Text{"model", &device.model},
                           Text{"os", &device.os}, Text{"osVersion", &device.os_version}}) {
    auto value = fields.optional_text(text.key);
    if (!value) return value.status();
    *text.out = std::move(value).value();
  }
  device.device_type = mapped_or_raw(device.device_type, fields, entry, "deviceType", "primaryHardwareType");
  device.os = mapped_or_raw(device.os, fields, entry, "os", "osName");

  auto last_seen = fields.time("lastSeen");
  if (!last_seen) return last_seen.status();
  device.last_seen = *last_seen;

  auto type = fields.text({"type"});
  if (!type) return type.status();
  if (*type == "regular") {
    device.type = DeviceLinkType::kRegular;
  } else if (*type == "sso") {
    device.type = DeviceLinkType::kSso;
  } else {
    return fields.error("type", "is neither \"regular\" nor \"sso\"");
  }

  for (const cJSON* item = entry->child; item != nullptr; item = item->next) {
    if (item->string == nullptr || !cJSON_IsString(item) || item->valuestring == nullptr) continue;
    if (mapped_keys().count(item->string) != 0) continue;
    device.extra.emplace(item->string, item->valuestring);  // a repeated key: the first wins
  }
  return device;
}

}  // namespace

Result<std::vector<Device>> parse_devices(const std::string& body, const std::string& current_device_id) {
  auto object = json::parse_object(body, kListAnswer);
  if (!object) return object.status();
  auto map = json::Fields(object->get(), kListAnswer).object("devices");
  if (!map) return map.status();

  std::vector<Device> devices;
  std::set<std::string, std::less<>> seen;
  // In the answer's order (the server lists the oldest device first).
  for (const cJSON* entry = (*map)->child; entry != nullptr; entry = entry->next) {
    auto device = parse_device(entry);
    if (!device) return device.status();
    if (!seen.insert(device->id).second) continue;  // a repeated id: the first entry wins
    device->current = !current_device_id.empty() && device->id == current_device_id;
    devices.push_back(std::move(device).value());
  }
  return devices;
}

Result<std::vector<std::string>> parse_unlinked(const std::string& body) {
  auto object = json::parse_object(body, kUnlinkAnswer);
  if (!object) return object.status();
  const json::Fields fields(object->get(), kUnlinkAnswer);
  auto list = fields.array("unlinkedDevices");
  if (!list) return list.status();

  std::vector<std::string> ids;
  for (const cJSON* item = (*list)->child; item != nullptr; item = item->next) {
    if (!cJSON_IsString(item) || item->valuestring == nullptr || item->valuestring[0] == '\0') {
      return fields.error("unlinkedDevices", "holds a value that is not a device id");
    }
    ids.emplace_back(item->valuestring);
  }
  return ids;
}

std::string unlink_request_body(const std::vector<std::string>& device_ids) {
  json::Json body(cJSON_CreateObject());
  cJSON* devices = cJSON_AddArrayToObject(body.get(), "devices");
  if (devices == nullptr) return {};
  for (const std::string& id : device_ids) cJSON_AddItemToArray(devices, cJSON_CreateString(id.c_str()));
  return json::print(body.get());
}

}  // namespace ssokit::wire
