#include "core/json.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace ssokit::server {

Json json_parse(std::string_view text) {
  const char* end = nullptr;
  Json json(cJSON_ParseWithLengthOpts(text.data(), text.size(), &end, false));
  if (!json) return nullptr;
  // Only whitespace may follow the value.
  for (const char* p = end; p < text.data() + text.size(); ++p) {
    if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') return nullptr;
  }
  return json;
}

std::string json_print(const cJSON* json) {
  char* text = cJSON_PrintUnformatted(json);
  if (text == nullptr) throw std::bad_alloc();
  std::string out(text);
  cJSON_free(text);
  return out;
}

Json json_object() { return Json(cJSON_CreateObject()); }
Json json_array() { return Json(cJSON_CreateArray()); }

std::optional<std::string> json_string(const cJSON* object, const char* key) {
  const cJSON* item = cJSON_GetObjectItemCaseSensitive(object, key);
  if (!cJSON_IsString(item) || item->valuestring == nullptr) return std::nullopt;
  return std::string(item->valuestring);
}

std::optional<std::int64_t> json_integer(const cJSON* object, const char* key) {
  const cJSON* item = cJSON_GetObjectItemCaseSensitive(object, key);
  if (!cJSON_IsNumber(item)) return std::nullopt;
  const double value = item->valuedouble;
  // Integers up to 2^53 are exact in a double, which covers every time in ms.
  if (!std::isfinite(value) || std::fabs(value) > 9007199254740992.0 || value != std::floor(value)) {
    return std::nullopt;
  }
  return static_cast<std::int64_t>(value);
}

void json_set(cJSON* object, const char* key, std::string_view value) {
  cJSON_AddItemToObject(object, key, cJSON_CreateString(std::string(value).c_str()));
}
void json_set(cJSON* object, const char* key, const char* value) {
  cJSON_AddItemToObject(object, key, cJSON_CreateString(value));
}
void json_set(cJSON* object, const char* key, std::int64_t value) {
  cJSON_AddItemToObject(object, key, cJSON_CreateNumber(static_cast<double>(value)));
}
void json_set(cJSON* object, const char* key, bool value) {
  cJSON_AddItemToObject(object, key, cJSON_CreateBool(value ? 1 : 0));
}
void json_set(cJSON* object, const char* key, Json value) {
  cJSON_AddItemToObject(object, key, value.release());
}
void json_append(cJSON* array, std::string_view value) {
  cJSON_AddItemToArray(array, cJSON_CreateString(std::string(value).c_str()));
}

}  // namespace ssokit::server
