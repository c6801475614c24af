#pragma once
// Small RAII and accessor layer over cJSON, the project's JSON library.
#include <cjson/cJSON.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace ssokit::server {

struct JsonDeleter {
  void operator()(cJSON* json) const { cJSON_Delete(json); }
};
using Json = std::unique_ptr<cJSON, JsonDeleter>;

// nullptr when `text` is not exactly one JSON value.
Json json_parse(std::string_view text);
std::string json_print(const cJSON* json);

Json json_object();
Json json_array();

// Typed member access; nullopt when absent or of another type.
std::optional<std::string> json_string(const cJSON* object, const char* key);
std::optional<std::int64_t> json_integer(const cJSON* object, const char* key);

// Builders that take ownership-free values (cJSON copies strings).
void json_set(cJSON* object, const char* key, std::string_view value);
void json_set(cJSON* object, const char* key, const char* value);
void json_set(cJSON* object, const char* key, std::int64_t value);
void json_set(cJSON* object, const char* key, bool value);
void json_set(cJSON* object, const char* key, Json value);
void json_append(cJSON* array, std::string_view value);

}  // namespace ssokit::server
