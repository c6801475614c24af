#include <algorithm>
#include <string_view>

#include "wire/device_entry.hpp"
#include "wire/json.hpp"
#include "wire/wire.hpp"

namespace ssokit::wire {
namespace {

constexpr std::string_view kListAnswer = "device list answer";
constexpr std::string_view kUnlinkAnswer = "unlink answer";

}  // namespace

Result<std::vector<Device>> parse_devices(const std::string& body, const std::string& current_device_id) {
  auto object = json::parse_object(body, kListAnswer);
  if (!object) return object.status();
  auto map = json::Fields(object->get(), kListAnswer).object("devices");
  if (!map) return map.status();

  std::vector<Device> devices;
  devices.reserve(static_cast<std::size_t>(cJSON_GetArraySize(*map)));
  // In the answer's order (the server lists the oldest device first).
  for (const cJSON* entry = (*map)->child; entry != nullptr; entry = entry->next) {
    if (!cJSON_IsObject(entry)) return json::bad_answer(kListAnswer, "devices.*", "is not an object");
    std::string id = entry->string == nullptr ? std::string() : std::string(entry->string);
    if (id.empty()) return json::bad_answer(kListAnswer, "devices", "has an empty device id");
    auto device = parse_device_entry(entry, std::move(id), kListAnswer, "devices.*");
    if (!device) return device.status();
    // A repeated id: the first entry wins. A linear search: a profile has a handful of devices.
    const auto same_id = [&](const Device& seen) { return seen.id == device->id; };
    if (std::any_of(devices.begin(), devices.end(), same_id)) continue;
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
