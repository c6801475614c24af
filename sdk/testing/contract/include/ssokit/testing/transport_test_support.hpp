#pragma once
// Small helpers for tests of a transport (the contract's own, the curl and Qt transports',
// and an app team's tests of its transport): a handler that records what the server saw,
// request builders and deadlines.
#include <chrono>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "ssokit/testing/local_http_server.hpp"
#include "ssokit/transport.hpp"

namespace ssokit::testing {

// Records every request the server sees and answers with `answer`.
class RecordingHandler {
 public:
  explicit RecordingHandler(ServerHandler answer = [](const ServerRequest&) { return ServerResponse{}; })
      : answer_(std::move(answer)) {}

  ServerHandler handler() {
    return [this](const ServerRequest& request) {
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(request);
      }
      return answer_(request);
    };
  }
  std::vector<ServerRequest> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  ServerHandler answer_;
  std::mutex mutex_;
  std::vector<ServerRequest> requests_;
};

inline HttpRequest get(const std::string& url) {
  HttpRequest request;
  request.url = url;
  return request;
}

inline HttpRequest with_method(std::string method, const std::string& url, std::string body = "") {
  HttpRequest request;
  request.method = std::move(method);
  request.url = url;
  request.body = std::move(body);
  return request;
}

// A call whose deadline is `budget` from now, without a cancel flag.
inline TransportCall within(std::chrono::milliseconds budget) {
  TransportCall call;
  call.deadline = std::chrono::steady_clock::now() + budget;
  return call;
}

inline std::chrono::milliseconds since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
}

}  // namespace ssokit::testing
