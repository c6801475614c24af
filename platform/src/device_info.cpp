#include "ssokit/platform/device_info.hpp"

#include <cjson/cJSON.h>
#include <sys/utsname.h>

#include <array>
#include <memory>
#include <utility>

#include "files.hpp"

namespace ssokit::platform {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// `text` as valid UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF),
// each invalid byte and each NUL replaced by U+FFFD. cJSON copies bytes as they are, and the
// server's (or any strict) parser refuses a document that is not UTF-8.
std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte == 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    if (byte < 0x80) {
      out += static_cast<char>(byte);
      ++i;
      continue;
    }
    std::size_t length = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;  // the allowed range of the second byte
    if (byte >= 0xC2 && byte <= 0xDF) {
      length = 2;
    } else if (byte >= 0xE0 && byte <= 0xEF) {
      length = 3;
      if (byte == 0xE0) low = 0xA0;   // overlong
      if (byte == 0xED) high = 0x9F;  // surrogates
    } else if (byte >= 0xF0 && byte <= 0xF4) {
      length = 4;
      if (byte == 0xF0) low = 0x90;   // overlong
      if (byte == 0xF4) high = 0x8F;  // past U+10FFFF
    }
    bool ok = length > 0 && i + length <= text.size();
    for (std::size_t k = 1; ok && k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      ok = k == 1 ? (next >= low && next <= high) : (next >= 0x80 && next <= 0xBF);
    }
    if (ok) {
      out.append(text.substr(i, length));
      i += length;
    } else {
      out += kReplacement;
      ++i;
    }
  }
  return out;
}

struct JsonDeleter {
  void operator()(cJSON* json) const { cJSON_Delete(json); }
};

bool add(cJSON* object, std::string_view key, std::string_view value) {
  if (value.empty()) return true;
  const std::string k = valid_utf8(key);
  const std::string v = valid_utf8(value);
  return cJSON_AddStringToObject(object, k.c_str(), v.c_str()) != nullptr;
}

constexpr std::array<std::string_view, 7> kStandardKeys = {
    "primaryHardwareType", "model", "manufacturer", "version", "osName", "osVersion", "connectionType"};

DeviceInfo make(std::string type, std::string manufacturer, std::string os_name, std::string model,
                std::string os_version) {
  DeviceInfo info;
  info.primary_hardware_type = std::move(type);
  info.manufacturer = std::move(manufacturer);
  info.os_name = std::move(os_name);
  info.model = std::move(model);
  info.os_version = std::move(os_version);
  return info;
}

// One value of an os-release(5) line: shell-style, optionally quoted.
std::string os_release_value(std::string_view raw) {
  raw = detail::trim(raw);
  if (raw.size() >= 2 && (raw.front() == '"' || raw.front() == '\'') && raw.back() == raw.front()) {
    const char quote = raw.front();
    raw = raw.substr(1, raw.size() - 2);
    if (quote == '\'') return std::string(raw);
    std::string out;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '\\' && i + 1 < raw.size()) ++i;
      out += raw[i];
    }
    return out;
  }
  return std::string(raw);
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

std::string DeviceInfo::to_json() const {
  std::unique_ptr<cJSON, JsonDeleter> object(cJSON_CreateObject());
  if (!object) return "{}";
  bool ok = add(object.get(), "primaryHardwareType", primary_hardware_type) && add(object.get(), "model", model) &&
            add(object.get(), "manufacturer", manufacturer) && add(object.get(), "version", version) &&
            add(object.get(), "osName", os_name) && add(object.get(), "osVersion", os_version) &&
            add(object.get(), "connectionType", connection_type);
  for (const auto& [key, value] : extra) {
    if (!ok) break;
    bool standard = false;
    for (const std::string_view name : kStandardKeys) standard = standard || key == name;
    // A key that turns into a standard one after UTF-8 repair is not possible: those are ASCII.
    if (!standard) ok = add(object.get(), key, value);
  }
  if (!ok) return "{}";  // out of memory
  char* printed = cJSON_PrintUnformatted(object.get());
  if (printed == nullptr) return "{}";
  std::string json(printed);
  cJSON_free(printed);
  return json;
}

DeviceInfo tizen(std::string model, std::string os_version) {
  return make("TV", "Samsung", "Tizen", std::move(model), std::move(os_version));
}

DeviceInfo webos(std::string model, std::string os_version) {
  return make("TV", "LG", "webOS", std::move(model), std::move(os_version));
}

DeviceInfo roku(std::string model, std::string os_version) {
  return make("MediaPlayer", "Roku", "Roku OS", std::move(model), std::move(os_version));
}

DeviceInfo android(std::string model, std::string os_version, bool tablet) {
  return make(tablet ? "Tablet" : "MobilePhone", "", "Android", std::move(model), std::move(os_version));
}

DeviceInfo ios(std::string model, std::string os_version, bool tablet) {
  return make(tablet ? "Tablet" : "MobilePhone", "Apple", tablet ? "iPadOS" : "iOS", std::move(model),
              std::move(os_version));
}

DeviceInfo linux_desktop(const std::string& os_release_path) {
  auto content = detail::read_small_file(os_release_path, 64 * 1024, /*follow_symlinks=*/true);
  if ((!content.ok() || !content.value()) && os_release_path == "/etc/os-release") {
    content = detail::read_small_file("/usr/lib/os-release", 64 * 1024, /*follow_symlinks=*/true);
  }
  std::string pretty_name;
  std::string name;
  std::string version_id;
  if (content.ok() && content.value()) {
    std::string_view rest = **content;
    while (!rest.empty()) {
      const auto end = rest.find('\n');
      std::string_view line = detail::trim(rest.substr(0, end));
      rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
      const auto equals = line.find('=');
      if (line.empty() || line.front() == '#' || equals == std::string_view::npos) continue;
      const std::string_view key = line.substr(0, equals);
      if (key == "PRETTY_NAME") pretty_name = os_release_value(line.substr(equals + 1));
      if (key == "NAME") name = os_release_value(line.substr(equals + 1));
      if (key == "VERSION_ID") version_id = os_release_value(line.substr(equals + 1));
    }
  }
  struct utsname host {};
  const bool have_uname = ::uname(&host) == 0;

  DeviceInfo info;
  info.primary_hardware_type = "Desktop";
  info.os_name = !pretty_name.empty() ? pretty_name : !name.empty() ? name : "Linux";
  info.os_version = !version_id.empty() ? version_id : have_uname ? std::string(host.release) : "";
  info.model = have_uname ? std::string(host.machine) : "";
  return info;
}

Result<DeviceInfo> device_info_for_platform(std::string_view name) {
  const std::string lower = ascii_lower(name);
  // Simulated devices: plausible current models, so lists on the server read like real ones.
  if (lower == "tizen") return tizen("QE55Q80C", "7.0");
  if (lower == "webos") return webos("OLED55C3", "23");
  if (lower == "roku") return roku("3941X", "12.5");
  if (lower == "android") {
    DeviceInfo info = android("Pixel 8", "14");
    info.manufacturer = "Google";
    return info;
  }
  if (lower == "ios") return ios("iPhone15,2", "17.5");
  if (lower == "linux") return linux_desktop();
  std::string shown(name.substr(0, 40));
  return Status(ErrorCode::kInvalidArgument,
                "unknown platform '" + shown + "'; use one of tizen, webos, roku, android, ios, linux");
}

}  // namespace ssokit::platform
