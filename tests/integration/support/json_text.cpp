#include "json_text.hpp"

#include <cmath>

namespace ssokit::testing {

const cJSON* json_at(const cJSON* root, const std::string& path) {
  if (path.empty()) return root;
  const cJSON* node = root;
  std::size_t start = 0;
  while (node != nullptr) {
    const auto dot = path.find('.', start);
    const std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    node = cJSON_GetObjectItemCaseSensitive(node, key.c_str());
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return node;
}

HttpResponse as_json(const std::string& json_text) {
  HttpResponse response;
  response.body = json_text;
  return response;
}

std::string json_type(const std::string& json_text, const std::string& path) {
  JsonPtr root(cJSON_Parse(json_text.c_str()));
  if (!root) return {};
  const cJSON* node = json_at(root.get(), path);
  if (node == nullptr) return {};
  if (cJSON_IsString(node)) return "string";
  if (cJSON_IsNumber(node)) {
    return std::floor(node->valuedouble) == node->valuedouble ? "integer" : "number";
  }
  if (cJSON_IsBool(node)) return "bool";
  if (cJSON_IsNull(node)) return "null";
  if (cJSON_IsObject(node)) return "object";
  if (cJSON_IsArray(node)) return "array";
  return {};
}

std::optional<double> json_number(const std::string& json_text, const std::string& path) {
  JsonPtr root(cJSON_Parse(json_text.c_str()));
  if (!root) return std::nullopt;
  const cJSON* node = json_at(root.get(), path);
  if (!cJSON_IsNumber(node)) return std::nullopt;
  return node->valuedouble;
}

std::optional<std::string> json_string_member(const std::string& object_json, const std::string& name) {
  JsonPtr root(cJSON_Parse(object_json.c_str()));
  if (!cJSON_IsObject(root.get())) return std::nullopt;
  const cJSON* item = cJSON_GetObjectItemCaseSensitive(root.get(), name.c_str());
  if (!cJSON_IsString(item)) return std::nullopt;
  return std::string(item->valuestring);
}

std::vector<std::string> jwks_keys(const std::string& jwks_json) {
  std::vector<std::string> keys;
  JsonPtr root(cJSON_Parse(jwks_json.c_str()));
  const cJSON* array = cJSON_IsObject(root.get()) ? cJSON_GetObjectItemCaseSensitive(root.get(), "keys") : nullptr;
  if (!cJSON_IsArray(array)) return keys;
  const cJSON* item = nullptr;
  cJSON_ArrayForEach(item, array) {
    char* text = cJSON_PrintUnformatted(item);
    keys.emplace_back(text == nullptr ? "" : text);
    cJSON_free(text);
  }
  return keys;
}

}  // namespace ssokit::testing
