#pragma once
// Small helpers local to the identity integration tests: base64url decoding, JWT payload
// reading, JSON type checks, /metrics counters, form posts and files.
#include <cjson/cJSON.h>

#include <chrono>
#include <cstdint>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "http_client.hpp"

namespace ssokit::testing::identity {

inline std::optional<std::string> base64url_decode(const std::string& text) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const char c : text) {
    int value = -1;
    if (c >= 'A' && c <= 'Z') value = c - 'A';
    if (c >= 'a' && c <= 'z') value = c - 'a' + 26;
    if (c >= '0' && c <= '9') value = c - '0' + 52;
    if (c == '-' || c == '+') value = 62;
    if (c == '_' || c == '/') value = 63;
    if (c == '=') break;
    if (value < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFFu);
    }
  }
  return out;
}

inline std::vector<std::string> split_dots(const std::string& compact) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const auto dot = compact.find('.', start);
    parts.push_back(compact.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return parts;
}

// The payload of a compact JWS as an HttpResponse, so that its json() accessors work.
inline HttpResponse jwt_payload(const std::string& compact) {
  HttpResponse out;
  const auto parts = split_dots(compact);
  if (parts.size() == 3) out.body = base64url_decode(parts[1]).value_or("");
  return out;
}

inline HttpResponse jwt_header(const std::string& compact) {
  HttpResponse out;
  const auto parts = split_dots(compact);
  if (!parts.empty()) out.body = base64url_decode(parts[0]).value_or("");
  return out;
}

struct CJsonDeleter {
  void operator()(cJSON* json) const { cJSON_Delete(json); }
};
using CJsonPtr = std::unique_ptr<cJSON, CJsonDeleter>;

// Whether the top-level member `name` of the JSON body is a number.
inline bool json_is_number(const std::string& body, const std::string& name) {
  CJsonPtr root(cJSON_Parse(body.c_str()));
  if (!root) return false;
  return cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(root.get(), name.c_str())) != 0;
}

// The numeric value of the member at a dotted path (for ms timestamps beyond int precision).
inline std::optional<long long> json_number(const HttpResponse& response, const std::string& path) {
  CJsonPtr root(cJSON_Parse(response.body.c_str()));
  const cJSON* node = root.get();
  std::size_t start = 0;
  while (node != nullptr) {
    const auto dot = path.find('.', start);
    const std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    node = cJSON_GetObjectItemCaseSensitive(node, key.c_str());
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (!cJSON_IsNumber(node)) return std::nullopt;
  return static_cast<long long>(node->valuedouble);
}

// The first key of a JWKS document with this "use" and "alg", as JSON text.
inline std::optional<std::string> jwks_key(const std::string& jwks, const std::string& use, const std::string& alg) {
  CJsonPtr root(cJSON_Parse(jwks.c_str()));
  if (!root) return std::nullopt;
  const cJSON* keys = cJSON_GetObjectItemCaseSensitive(root.get(), "keys");
  const cJSON* key = nullptr;
  cJSON_ArrayForEach(key, keys) {
    const cJSON* key_use = cJSON_GetObjectItemCaseSensitive(key, "use");
    const cJSON* key_alg = cJSON_GetObjectItemCaseSensitive(key, "alg");
    if (cJSON_IsString(key_use) && use == key_use->valuestring && cJSON_IsString(key_alg) &&
        alg == key_alg->valuestring) {
      char* text = cJSON_PrintUnformatted(key);
      std::string out(text);
      cJSON_free(text);
      return out;
    }
  }
  return std::nullopt;
}

// A counter of the Prometheus text: `name{label="value"} N`; 0 when the series is absent.
inline long long metric_value(const std::string& metrics, const std::string& name, const std::string& label,
                              const std::string& value) {
  const std::string prefix = name + "{" + label + "=\"" + value + "\"} ";
  std::istringstream lines(metrics);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.compare(0, prefix.size(), prefix) == 0) return std::stoll(line.substr(prefix.size()));
  }
  return 0;
}

inline long long now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

inline long long now_millis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

inline void write_text_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path);
}

inline int count_lines(const std::string& text) {
  int lines = 0;
  for (const char c : text) lines += c == '\n' ? 1 : 0;
  if (!text.empty() && text.back() != '\n') ++lines;
  return lines;
}

}  // namespace ssokit::testing::identity
