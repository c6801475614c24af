#include "sso_helpers.hpp"

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace ssokit::testing::sso {
namespace {

struct JsonDeleter {
  void operator()(cJSON* json) const { cJSON_Delete(json); }
};
using JsonPtr = std::unique_ptr<cJSON, JsonDeleter>;

const cJSON* walk(const cJSON* node, const std::string& path) {
  if (path.empty()) return node;
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

int base64url_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

size_t write_body(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

size_t write_header(char* data, size_t size, size_t count, void* user) {
  auto* headers = static_cast<std::map<std::string, std::string>*>(user);
  std::string line(data, size * count);
  const auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(value.begin());
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) value.pop_back();
    (*headers)[name] = value;
  }
  return size * count;
}

}  // namespace

std::optional<std::string> base64url_decode(const std::string& text) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    const int value = base64url_value(c);
    if (value < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<unsigned>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFFu);
    }
  }
  if (bits >= 6) return std::nullopt;  // one dangling character is never valid
  return out;
}

std::vector<std::string> jws_parts(const std::string& token) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const auto dot = token.find('.', start);
    parts.push_back(token.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (parts.size() != 3) return {};
  return parts;
}

std::string jws_header_json(const std::string& token) {
  const auto parts = jws_parts(token);
  if (parts.empty()) return {};
  return base64url_decode(parts[0]).value_or("");
}

std::string jws_payload_json(const std::string& token) {
  const auto parts = jws_parts(token);
  if (parts.empty()) return {};
  return base64url_decode(parts[1]).value_or("");
}

HttpResponse as_json(const std::string& json_text) {
  HttpResponse response;
  response.body = json_text;
  return response;
}

std::string json_type(const std::string& json_text, const std::string& path) {
  JsonPtr root(cJSON_Parse(json_text.c_str()));
  if (!root) return {};
  const cJSON* node = walk(root.get(), path);
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
  const cJSON* node = walk(root.get(), path);
  if (!cJSON_IsNumber(node)) return std::nullopt;
  return node->valuedouble;
}

bool is_uuid(const std::string& text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

double metric_sum(const std::string& metrics, const std::string& series_prefix) {
  double sum = 0;
  std::istringstream lines(metrics);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (line.rfind(series_prefix, 0) != 0) continue;
    const auto space = line.rfind(' ');
    if (space == std::string::npos) continue;
    sum += std::strtod(line.c_str() + space + 1, nullptr);
  }
  return sum;
}

HttpResponse send_from(const HttpRequest& request, const std::string& local_address) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  HttpResponse response;
  curl_slist* headers = nullptr;
  bool has_type = false;
  for (const auto& [name, value] : request.headers) {
    const std::string line = value.empty() ? name + ";" : name + ": " + value;
    headers = curl_slist_append(headers, line.c_str());
    std::string lower = name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    has_type |= lower == "content-type";
  }
  if (request.body && !request.body->empty() && !has_type) headers = curl_slist_append(headers, "Content-Type:");
  curl_easy_setopt(curl.get(), CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_CUSTOMREQUEST, request.method.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, 20000L);
  curl_easy_setopt(curl.get(), CURLOPT_INTERFACE, local_address.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, write_body);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl.get(), CURLOPT_HEADERFUNCTION, write_header);
  curl_easy_setopt(curl.get(), CURLOPT_HEADERDATA, &response.headers);
  if (request.body) {
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, request.body->data());
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body->size()));
  }
  const CURLcode code = curl_easy_perform(curl.get());
  curl_slist_free_all(headers);
  if (code != CURLE_OK) throw std::runtime_error(std::string("HTTP request failed: ") + curl_easy_strerror(code));
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void sleep_until_ms(std::int64_t epoch_ms) {
  const std::int64_t wait = epoch_ms - now_ms();
  if (wait > 0) std::this_thread::sleep_for(std::chrono::milliseconds(wait));
  while (now_ms() < epoch_ms) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

std::string reason_constant(long status) {
  switch (status) {
    case 400: return "BAD_REQUEST";
    case 401: return "UNAUTHORIZED";
    case 403: return "FORBIDDEN";
    case 404: return "NOT_FOUND";
    case 405: return "METHOD_NOT_ALLOWED";
    case 406: return "NOT_ACCEPTABLE";
    case 413: return "PAYLOAD_TOO_LARGE";
    case 415: return "UNSUPPORTED_MEDIA_TYPE";
    case 429: return "TOO_MANY_REQUESTS";
    case 500: return "INTERNAL_SERVER_ERROR";
    case 503: return "SERVICE_UNAVAILABLE";
    default: return "?";
  }
}

void expect_error(const HttpResponse& response, long status, const std::string& code, const std::string& action) {
  SCOPED_TRACE("error answer: " + std::to_string(response.status) + " " + response.body);
  EXPECT_EQ(response.status, status);
  EXPECT_EQ(response.json("error.code"), code);
  EXPECT_EQ(response.json("error.action"), action);
  // The envelope.
  EXPECT_EQ(response.json("status"), reason_constant(status));
  EXPECT_EQ(json_type(response.body, "error.status"), "integer");
  EXPECT_EQ(response.json("error.status"), std::to_string(status));
  EXPECT_EQ(json_type(response.body, "error.message"), "string");
  EXPECT_FALSE(response.json("error.message").value_or("").empty());
  EXPECT_EQ(json_type(response.body, "error.helpUrl"), "string");
  EXPECT_FALSE(response.json("error.helpUrl").value_or("").empty());
  const std::string trace = response.json("error.trace").value_or("");
  EXPECT_TRUE(is_uuid(trace)) << "trace '" << trace << "'";
  EXPECT_EQ(response.header("x-trace-id"), trace);
  EXPECT_EQ(response.header("content-type").rfind("application/json", 0), 0u) << response.header("content-type");
  EXPECT_FALSE(response.header("date").empty());
  // Error answers carry no success fields.
  for (const char* field : {"serviceToken", "jws", "code", "link", "notBefore", "notAfter", "unlinkedDevices",
                            "devices"}) {
    EXPECT_FALSE(response.has_json(field)) << "success field '" << field << "' in an error answer";
  }
}

}  // namespace ssokit::testing::sso
