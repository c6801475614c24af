#pragma once
// Per-call options (deadline, cancellation, answer from the server) and the handle of an
// asynchronous call.
#include <atomic>
#include <chrono>
#include <memory>
#include <optional>

namespace ssokit {

class CallOptions {
 public:
  // The whole call, retries included, must finish within `timeout` of its start.
  CallOptions& timeout(std::chrono::milliseconds timeout) {
    timeout_ = timeout;
    return *this;
  }
  CallOptions& deadline(std::chrono::steady_clock::time_point deadline) {
    deadline_ = deadline;
    return *this;
  }
  // Setting *flag to true cancels the call (blocking calls too, from another thread).
  CallOptions& cancel_flag(std::shared_ptr<std::atomic<bool>> flag) {
    cancel_ = std::move(flag);
    return *this;
  }

  // The answer must come from the server now, not from the SDK's cache. Only service_token()
  // answers from a cache: with this set it refreshes the token, which is the server's check
  // that this device is still linked (kDeviceUnlinked, local token cleared, when it is not),
  // and a failure (kNetworkError, kTimeout...) is returned, never the cached token. Every
  // other call reaches the server anyway.
  CallOptions& from_server(bool from_server) {
    from_server_ = from_server;
    return *this;
  }

  const std::optional<std::chrono::milliseconds>& timeout() const { return timeout_; }
  const std::optional<std::chrono::steady_clock::time_point>& deadline() const { return deadline_; }
  const std::shared_ptr<std::atomic<bool>>& cancel_flag() const { return cancel_; }
  bool from_server() const { return from_server_; }

 private:
  std::optional<std::chrono::milliseconds> timeout_;                // none: ClientOptions::default_timeout
  std::optional<std::chrono::steady_clock::time_point> deadline_;  // the earlier of the two applies
  std::shared_ptr<std::atomic<bool>> cancel_;
  bool from_server_ = false;
};

// Returned by every *_async call. The completion callback runs exactly once, on an SDK
// worker thread: with the result, or with kCancelled after cancel().
class PendingCall {
 public:
  PendingCall() = default;
  explicit PendingCall(std::shared_ptr<std::atomic<bool>> cancel) : cancel_(std::move(cancel)) {}
  void cancel() const {
    if (cancel_) cancel_->store(true);
  }

 private:
  std::shared_ptr<std::atomic<bool>> cancel_;
};

}  // namespace ssokit
