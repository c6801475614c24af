#pragma once
// One SDK call's budget: its deadline on the client's clock and its cancel flag. Every wait
// (backoff, Retry-After) goes through here, in short slices, so cancel() is prompt.
#include <atomic>
#include <chrono>
#include <memory>

#include "ssokit/call.hpp"
#include "ssokit/platform.hpp"
#include "ssokit/status.hpp"

namespace ssokit::internal {

class CallContext {
 public:
  CallContext(Clock& clock, const CallOptions& options, std::chrono::milliseconds default_timeout);

  // kCancelled or kTimeout when the call must stop; OK otherwise.
  Status check() const;
  // Waits `duration` unless cancelled or past the deadline first.
  Status wait(std::chrono::milliseconds duration) const;
  std::chrono::milliseconds remaining() const;
  // The deadline on the real steady clock, for the transport.
  std::chrono::steady_clock::time_point transport_deadline() const;
  // Null when the caller gave none: nobody can cancel the call.
  const std::shared_ptr<std::atomic<bool>>& cancel_flag() const { return cancel_; }

 private:
  Clock& clock_;
  std::chrono::steady_clock::time_point deadline_;  // on clock_'s steady time
  std::shared_ptr<std::atomic<bool>> cancel_;
};

}  // namespace ssokit::internal
