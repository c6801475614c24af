#pragma once
// Small helpers of the transport tests (curl, Qt, and the contract both keep): a handler that
// records what the server saw, request builders and deadlines.
#include <chrono>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "local_servers.hpp"
#include "ssokit/transport.hpp"

namespace ssokit::testing {

// Records every request the server sees and answers with `answer`.
class RecordingHandler {
 public:
  explicit RecordingHandler(testing::ServerHandler answer = [](const testing::ServerRequest&) { return testing::ServerResponse{}; })
      : answer_(std::move(answer)) {}

  testing::ServerHandler handler() {
    return [this](const testing::ServerRequest& request) {
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(request);
      }
      return answer_(request);
    };
  }
  std::vector<testing::ServerRequest> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  testing::ServerHandler answer_;
  std::mutex mutex_;
  std::vector<testing::ServerRequest> requests_;
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

inline TransportCall within(std::chrono::milliseconds budget) {
  TransportCall call;
  call.deadline = std::chrono::steady_clock::now() + budget;
  return call;
}

inline std::chrono::milliseconds since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
}

}  // namespace ssokit::testing
