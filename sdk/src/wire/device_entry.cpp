#include "wire/device_entry.hpp"

#include "wire/json.hpp"

namespace ssokit::wire {
namespace {

// The members of a device entry the parser reads, each at its first occurrence (a repeated
// key: the first wins, as a lookup by name would find). JSON null counts as absent.
struct EntryMembers {
  const cJSON* device_type = nullptr;
  const cJSON* model = nullptr;
  const cJSON* os = nullptr;
  const cJSON* os_version = nullptr;
  const cJSON* last_seen = nullptr;
  const cJSON* type = nullptr;
  const cJSON* raw_device_type = nullptr;  // X-Device-Info's primaryHardwareType
  const cJSON* raw_os = nullptr;           // X-Device-Info's osName
};

// The keys that map to Device fields; every other string member goes to Device::extra.
// Returns the slot of `key` in `members`, or null for a key that is not mapped.
const cJSON** mapped_slot(EntryMembers& members, std::string_view key) {
  if (key == "deviceType") return &members.device_type;
  if (key == "model") return &members.model;
  if (key == "os") return &members.os;
  if (key == "osVersion") return &members.os_version;
  if (key == "lastSeen") return &members.last_seen;
  if (key == "type") return &members.type;
  return nullptr;
}

bool is_present(const cJSON* value) {
  return value != nullptr && !cJSON_IsNull(value);
}

// A string member that may be absent ("" then) or empty.
Status read_optional_text(const json::Fields& fields, const char* key, const cJSON* value, std::string& out) {
  if (!is_present(value)) return Status();
  if (!cJSON_IsString(value) || value->valuestring == nullptr) return fields.error(key, "is not a string");
  out = value->valuestring;
  return Status();
}

}  // namespace

// One pass over the entry's members (a list is read on every refresh of a device screen, so
// each member is looked at once, not searched for by name again and again).
Result<Device> parse_device_entry(const cJSON* entry, std::string id, std::string_view answer, std::string_view field) {
  const std::string path = std::string(field) + ".";
  const json::Fields fields(entry, answer, path);
  if (!cJSON_IsObject(entry)) return json::bad_answer(answer, field, "is not an object");
  Device device;
  device.id = std::move(id);

  EntryMembers members;
  for (const cJSON* item = entry->child; item != nullptr; item = item->next) {
    if (item->string == nullptr) continue;
    const std::string_view key(item->string);
    if (const cJSON** slot = mapped_slot(members, key)) {
      if (*slot == nullptr) *slot = item;
      continue;
    }
    if (key == "primaryHardwareType" && members.raw_device_type == nullptr) members.raw_device_type = item;
    if (key == "osName" && members.raw_os == nullptr) members.raw_os = item;
    if (cJSON_IsString(item) && item->valuestring != nullptr) {
      device.extra.emplace(item->string, item->valuestring);  // a repeated key: the first wins
    }
  }

  // Metadata the device never sent is "" on the server; absent is read the same.
  if (Status s = read_optional_text(fields, "deviceType", members.device_type, device.device_type); !s.ok()) return s;
  if (Status s = read_optional_text(fields, "model", members.model, device.model); !s.ok()) return s;
  if (Status s = read_optional_text(fields, "os", members.os, device.os); !s.ok()) return s;
  if (Status s = read_optional_text(fields, "osVersion", members.os_version, device.os_version); !s.ok()) return s;
  // `deviceType` and `os` are the list's names for X-Device-Info's `primaryHardwareType` and
  // `osName`; an answer that passes the raw names through is read the same.
  const auto raw_string = [](const cJSON* raw) { return cJSON_IsString(raw) && raw->valuestring != nullptr; };
  if (!is_present(members.device_type) && raw_string(members.raw_device_type)) {
    device.device_type = members.raw_device_type->valuestring;
  }
  if (!is_present(members.os) && raw_string(members.raw_os)) device.os = members.raw_os->valuestring;

  std::int64_t last_seen_ms = 0;
  if (!is_present(members.last_seen)) return fields.error("lastSeen", "is missing");
  if (!json::whole_number(members.last_seen, last_seen_ms)) {
    return fields.error("lastSeen", "is not a time (whole ms since the epoch, 0..2^53)");
  }
  device.last_seen = ServerTime(std::chrono::milliseconds(last_seen_ms));

  const cJSON* type = members.type;
  if (!is_present(type)) return fields.error("type", "is missing");
  if (!cJSON_IsString(type) || type->valuestring == nullptr) return fields.error("type", "is not a string");
  const std::string_view type_name(type->valuestring);
  if (type_name.empty()) return fields.error("type", "is empty");
  if (type_name == "regular") {
    device.type = DeviceLinkType::kRegular;
  } else if (type_name == "sso") {
    device.type = DeviceLinkType::kSso;
  } else {
    return fields.error("type", "is neither \"regular\" nor \"sso\"");
  }
  return device;
}

}  // namespace ssokit::wire
