#include "core/device_info.hpp"

#include "core/base64.hpp"
#include "core/json.hpp"

namespace ssokit::server {

std::optional<std::string> parse_device_info(std::string_view header_value) {
  auto decoded = base64_decode(header_value);
  if (!decoded) decoded = base64url_decode(header_value);  // lenient: some platforms send url-safe
  if (!decoded) return std::nullopt;
  Json json = json_parse(*decoded);
  if (!json || !cJSON_IsObject(json.get())) return std::nullopt;
  cJSON* type = cJSON_GetObjectItemCaseSensitive(json.get(), "type");
  if (type != nullptr) {
    cJSON* detached = cJSON_DetachItemViaPointer(json.get(), type);
    if (cJSON_GetObjectItemCaseSensitive(json.get(), "primaryHardwareType") == nullptr) {
      cJSON_AddItemToObject(json.get(), "primaryHardwareType", detached);
    } else {
      cJSON_Delete(detached);
    }
  }
  return json_print(json.get());
}

}  // namespace ssokit::server
