#pragma once
// HTTP messages as plain values: the API layer sees these, never Beast types.
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
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

class LaterResponse;

struct Response {
  int status = 200;
  std::vector<Header> headers;  // Date, Server, Content-Length and Connection are added by the server
  std::string body;
  // Set when the answer is not ready yet (a held request, SPEC §6.1): the server keeps the
  // connection, with no thread, until `later` completes; status, headers and body are unused.
  std::shared_ptr<LaterResponse> later;
  // Close the connection without answering (a fault injected by test control, SPEC §6.4).
  bool drop = false;

  void set_header(std::string name, std::string value);
  static Response held(std::shared_ptr<LaterResponse> later);
};

// The answer of a held request, completed from any thread once it is known. The server (and
// a router that logs) chain onto it with then(); whoever holds the request completes it.
class LaterResponse {
 public:
  // Delivers `response` to the chained continuation (now, or when one is chained). The first
  // call wins: returns false, and drops `response`, when already completed or abandoned.
  bool complete(Response response);
  // Chains where the answer goes; at most one continuation. Runs `next` on this thread at
  // once when the answer is already there, else on the thread that completes.
  void then(std::function<void(Response)> next);
  // The connection is gone: the continuation (and what it keeps alive) is released, a later
  // complete() is ignored, and the listener of on_abandon() runs (on this thread).
  void abandon();
  // Whoever holds the request learns that nobody waits for the answer any more (its waiter
  // can go). Runs at once when already abandoned; at most one listener.
  void on_abandon(std::function<void()> listener);
  // True once completed or abandoned: whoever holds the request may forget it.
  bool settled() const;

 private:
  mutable std::mutex mutex_;
  bool settled_ = false;
  std::optional<Response> ready_;  // completed before a continuation was chained
  std::function<void(Response)> next_;
  bool abandoned_ = false;
  std::function<void()> on_abandon_;
};

// An HTTP-date in the RFC 7231 IMF-fixdate form, e.g. "Sun, 06 Nov 1994 08:49:37 GMT".
std::string http_date(std::chrono::system_clock::time_point when);

}  // namespace ssokit::http
