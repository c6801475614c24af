#pragma once
// A small HTTP/1.1 server on 127.0.0.1 and a free port, for testing transports: one thread
// per connection, keep-alive, Content-Length and chunked request bodies, 100-continue. It
// hands each request to a handler and sends back what the handler returns. Plain POSIX
// sockets and nothing else, so the transport tests need no server-side library and run
// wherever the SDK runs (an SDK-only build, arm64 under qemu). Part of
// ssokit::transport_contract; the contract's tests run against it.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "ssokit/transport.hpp"

namespace ssokit::testing {

struct ServerRequest {
  std::string method;  // as sent, e.g. "GET"
  std::string target;  // as sent: "/a/b?x=1", or the absolute URL a proxy is sent
  std::string path;    // target without the query
  std::string query;   // after '?', without it; "" when none
  std::vector<HttpHeader> headers;
  std::string body;    // de-chunked

  // First header with this name, case-insensitively; nullptr when absent.
  const std::string* header(std::string_view name) const;
};

struct ServerResponse {
  int status = 200;
  std::vector<HttpHeader> headers;  // Content-Length (and Connection: close) are added
  std::string body;                 // not sent in answer to HEAD; its length still is
};

using ServerHandler = std::function<ServerResponse(const ServerRequest&)>;

class LocalHttpServer {
 public:
  // Requests with a body over `max_body_bytes` get 413 and the connection is closed.
  explicit LocalHttpServer(ServerHandler handler, std::size_t max_body_bytes = std::size_t{64} * 1024);
  // Closes every connection, then waits for handlers still running (a test opens its gates).
  ~LocalHttpServer();
  LocalHttpServer(const LocalHttpServer&) = delete;
  LocalHttpServer& operator=(const LocalHttpServer&) = delete;

  std::uint16_t port() const { return port_; }
  std::string url(const std::string& target) const;

 private:
  void accept_loop();
  void serve(int socket);
  void forget(int socket);

  ServerHandler handler_;
  std::size_t max_body_bytes_;
  int listener_ = -1;
  int wake_[2] = {-1, -1};
  std::uint16_t port_ = 0;
  std::mutex mutex_;
  std::vector<int> open_sockets_;
  std::vector<std::thread> connections_;
  std::thread acceptor_;
};

}  // namespace ssokit::testing
