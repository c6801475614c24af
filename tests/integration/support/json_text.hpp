#pragma once
// JSON checks on text (response bodies, token parts, JWKS, log lines) beyond what
// HttpResponse::json() offers: exact types and numbers, string members, JWKS keys.
#include <cjson/cJSON.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http_client.hpp"

namespace ssokit::testing {

struct JsonDeleter {
  void operator()(cJSON* json) const { cJSON_Delete(json); }
};
using JsonPtr = std::unique_ptr<cJSON, JsonDeleter>;

// The node at a dotted path ("error.code"; "" is `root` itself); nullptr when a step is missing.
const cJSON* json_at(const cJSON* root, const std::string& path);

// A JSON document wrapped in an HttpResponse, so its json() accessors can read it.
HttpResponse as_json(const std::string& json_text);

// JSON type of the value at `path` ("" for the root) of `json_text`:
// "string", "number", "integer" (a number with no fraction), "bool", "null", "object",
// "array", or "" when absent / not JSON.
std::string json_type(const std::string& json_text, const std::string& path);
// A number's exact value (no rounding), nullopt when absent or not a number.
std::optional<double> json_number(const std::string& json_text, const std::string& path);

// A string member of a JSON object text; nullopt when absent or not a string.
std::optional<std::string> json_string_member(const std::string& object_json, const std::string& name);

// The objects of the "keys" array of a JWKS, each printed as JSON text.
std::vector<std::string> jwks_keys(const std::string& jwks_json);

}  // namespace ssokit::testing
