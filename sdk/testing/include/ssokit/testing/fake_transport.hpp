#pragma once
// A transport with scripted answers that records every request: tests of app code (and of
// the SDK) run without a server and without sleeps.
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "ssokit/transport.hpp"

namespace ssokit::testing {

class FakeTransport final : public HttpTransport {
 public:
  // Answers the next request whose method matches and whose URL path ends with
  // `path_suffix` (e.g. "/serviceToken"), once, in the order scripted.
  void respond(const std::string& method, const std::string& path_suffix, int status, std::string body,
               std::vector<HttpHeader> headers = {});
  // The next matching request fails without an answer (kNetworkError, or kTimeout...).
  void fail(const std::string& method, const std::string& path_suffix, Status status, bool not_sent = false);
  // Computes the answer for requests no scripted answer matches (default: a network error).
  void set_fallback(std::function<TransportResult(const HttpRequest&)> fallback);

  TransportResult send(const HttpRequest& request, const TransportCall& call) override;

  std::vector<HttpRequest> requests() const;
  // How many requests with this method went to a path ending with `path_suffix`.
  std::size_t count(const std::string& method, const std::string& path_suffix) const;
  // Scripted answers not used yet.
  std::size_t pending() const;

 private:
  struct Script {
    std::string method;
    std::string path_suffix;
    TransportResult result;
  };
  mutable std::mutex mutex_;
  std::deque<Script> scripts_;
  std::vector<HttpRequest> requests_;
  std::function<TransportResult(const HttpRequest&)> fallback_;
};

// The path of a URL ("/api/demo/list" for "http://h:1/api/demo/list?x").
std::string url_path(const std::string& url);

}  // namespace ssokit::testing
