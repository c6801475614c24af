#pragma once
// HTTP messages as plain values: the API layer sees these, never Beast types.
#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ssokit::http {

// What went wrong while reading a request, before any route could see it. The server still
// hands such a request to the handler so the answer uses the API's error envelope; the
// connection is closed after the answer.
enum class RequestProblem {
  kNone,
  kBodyTooLarge,    // Content-Length or chunked body over ServerOptions::max_body_bytes
  kHeaderTooLarge,  // framing over ServerOptions::max_header_bytes: request line, headers,
                    // chunk-size lines with extensions, CRLFs between chunks, trailers
  kMalformed,       // not parseable as HTTP/1.x
};

struct Header {
  std::string name;
  std::string value;
};

struct Request {
  std::string method;  // as sent, e.g. "GET"
  std::string target;  // path and query as sent, e.g. "/api/demo/list?x=1"
  std::string path;    // target without the query
  std::string query;   // after '?', without it; "" when none
  std::vector<Header> headers;
  std::string body;
  std::string remote_address;  // the peer's IP address as text
  RequestProblem problem = RequestProblem::kNone;

  // First header with this name, case-insensitively; nullptr when absent.
  const std::string* header(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::vector<Header> headers;  // Date, Server, Content-Length and Connection are added by the server
  std::string body;

  void set_header(std::string name, std::string value);
};

// An HTTP-date in the RFC 7231 IMF-fixdate form, e.g. "Sun, 06 Nov 1994 08:49:37 GMT".
std::string http_date(std::chrono::system_clock::time_point when);

}  // namespace ssokit::http
