#include "http_client.hpp"

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include <cctype>
#include <cmath>
#include <memory>
#include <mutex>
#include <stdexcept>

#include "json_text.hpp"
#include "text.hpp"

namespace ssokit::testing {
namespace {

size_t write_header(char* data, size_t size, size_t count, void* user) {
  auto* headers = static_cast<std::map<std::string, std::string>*>(user);
  std::string line(data, size * count);
  const auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ')) value.erase(value.begin());
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) value.pop_back();
    (*headers)[to_lower(line.substr(0, colon))] = value;
  }
  return size * count;
}

// send() and send_from(); `local_address` is empty for the default interface.
HttpResponse perform(const HttpRequest& request, const std::string& local_address) {
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  HttpResponse response;
  curl_slist* headers = nullptr;
  for (const auto& [name, value] : request.headers) {
    // curl drops "Name:" with no value; "Name;" sends it empty.
    const std::string line = value.empty() ? name + ";" : name + ": " + value;
    headers = curl_slist_append(headers, line.c_str());
  }
  if (request.body && !request.body->empty()) {
    bool has_type = false;
    for (const auto& header : request.headers) has_type |= to_lower(header.first) == "content-type";
    // Without a Content-Type of our own curl would claim a form; send none instead.
    if (!has_type) headers = curl_slist_append(headers, "Content-Type:");
  }
  curl_easy_setopt(curl.get(), CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_CUSTOMREQUEST, request.method.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, request.timeout_ms);
  if (!local_address.empty()) curl_easy_setopt(curl.get(), CURLOPT_INTERFACE, local_address.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, append_to_string);
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

}  // namespace

std::string HttpResponse::header(const std::string& lower_name) const {
  const auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

std::optional<std::string> HttpResponse::json(const std::string& path) const {
  JsonPtr root(cJSON_Parse(body.c_str()));
  if (!root) return std::nullopt;
  const cJSON* node = json_at(root.get(), path);
  if (node == nullptr) return std::nullopt;
  if (cJSON_IsString(node)) return std::string(node->valuestring);
  if (cJSON_IsNumber(node)) return std::to_string(static_cast<long long>(std::llround(node->valuedouble)));
  if (cJSON_IsBool(node)) return std::string(cJSON_IsTrue(node) ? "true" : "false");
  if (cJSON_IsNull(node)) return std::string("null");
  char* text = cJSON_PrintUnformatted(node);
  std::string out(text);
  cJSON_free(text);
  return out;
}

std::vector<std::string> HttpResponse::json_keys(const std::string& path) const {
  std::vector<std::string> keys;
  JsonPtr root(cJSON_Parse(body.c_str()));
  const cJSON* node = json_at(root.get(), path);
  if (!cJSON_IsObject(node)) return keys;
  const cJSON* item = nullptr;
  cJSON_ArrayForEach(item, node) keys.emplace_back(item->string);
  return keys;
}

std::vector<std::string> HttpResponse::json_strings(const std::string& path) const {
  std::vector<std::string> items;
  JsonPtr root(cJSON_Parse(body.c_str()));
  const cJSON* node = json_at(root.get(), path);
  if (!cJSON_IsArray(node)) return items;
  const cJSON* item = nullptr;
  cJSON_ArrayForEach(item, node) {
    if (cJSON_IsString(item)) items.emplace_back(item->valuestring);
  }
  return items;
}

HttpResponse send(const HttpRequest& request) {
  return perform(request, std::string());
}

HttpResponse send_from(const HttpRequest& request, const std::string& local_address) {
  return perform(request, local_address);
}

std::size_t append_to_string(char* data, std::size_t size, std::size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

std::string base64(const std::string& bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned n = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    out += {kAlphabet[(n >> 18) & 63], kAlphabet[(n >> 12) & 63], kAlphabet[(n >> 6) & 63], kAlphabet[n & 63]};
  }
  if (i < bytes.size()) {
    unsigned n = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string base64url(const std::string& bytes) {
  std::string out = base64(bytes);
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return out;
}

std::string url_encode(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace ssokit::testing
