#pragma once
// A small blocking HTTP client on libcurl for integration tests, plus JSON field access.
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ssokit::testing {

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // an empty value is sent as "Name:" with no value
  std::optional<std::string> body;
  long timeout_ms = 20000;  // the whole exchange; past it the connection is closed (status 0)
};

struct HttpResponse {
  long status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;

  std::string header(const std::string& lower_name) const;
  // A field of the JSON body by dotted path ("error.code", "devices.abc=.type");
  // nullopt when absent or the body is not JSON. Numbers come back as their integer text.
  std::optional<std::string> json(const std::string& path) const;
  bool has_json(const std::string& path) const { return json(path).has_value(); }
  // Member names of the object at `path` ("" for the top level), in order.
  std::vector<std::string> json_keys(const std::string& path) const;
  // String items of the array at `path`.
  std::vector<std::string> json_strings(const std::string& path) const;
};

HttpResponse send(const HttpRequest& request);
// Like send(), but the connection leaves from `local_address` (e.g. 127.0.0.2): the server
// then sees another client address.
HttpResponse send_from(const HttpRequest& request, const std::string& local_address);

// A libcurl CURLOPT_WRITEFUNCTION that appends to the std::string passed as CURLOPT_WRITEDATA,
// for tests that drive libcurl themselves (connection reuse, transport errors).
std::size_t append_to_string(char* data, std::size_t size, std::size_t count, void* out);

std::string base64(const std::string& bytes);
std::string base64url(const std::string& bytes);
std::string url_encode(const std::string& text);

}  // namespace ssokit::testing
