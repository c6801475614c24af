#pragma once
// Per-call options (deadline, cancellation) and the handle of an asynchronous call.
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

  const std::optional<std::chrono::milliseconds>& timeout() const { return timeout_; }
  const std::optional<std::chrono::steady_clock::time_point>& deadline() const { return deadline_; }
  const std::shared_ptr<std::atomic<bool>>& cancel_flag() const { return cancel_; }

 private:
  std::optional<std::chrono::milliseconds> timeout_;                // none: ClientOptions::default_timeout
  std::optional<std::chrono::steady_clock::time_point> deadline_;  // the earlier of the two applies
  std::shared_ptr<std::atomic<bool>> cancel_;
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
