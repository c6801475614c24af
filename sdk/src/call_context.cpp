#include "call_context.hpp"

#include <algorithm>

namespace ssokit::internal {
namespace {

// Long waits are cut into slices this long, so a cancel or a passed deadline is noticed.
constexpr std::chrono::milliseconds kWaitSlice{20};

}  // namespace

CallContext::CallContext(Clock& clock, const CallOptions& options, std::chrono::milliseconds default_timeout)
    : clock_(clock), cancel_(options.cancel_flag()) {
  const auto now = clock_.steady_now();
  deadline_ = now + (options.timeout() ? *options.timeout() : default_timeout);
  if (options.deadline()) {
    // An absolute deadline is on the real steady clock; carry it over as time remaining.
    const auto left = *options.deadline() - std::chrono::steady_clock::now();
    deadline_ = std::min(deadline_, now + std::chrono::duration_cast<std::chrono::steady_clock::duration>(left));
  }
}

Status CallContext::check() const {
  if (cancel_ && cancel_->load()) return Status(ErrorCode::kCancelled, "the call was cancelled");
  if (clock_.steady_now() >= deadline_) return Status(ErrorCode::kTimeout, "the call's deadline passed");
  return Status();
}

std::chrono::milliseconds CallContext::remaining() const {
  return std::max(std::chrono::milliseconds(0),
                  std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - clock_.steady_now()));
}

Status CallContext::wait(std::chrono::milliseconds duration) const {
  const auto until = clock_.steady_now() + duration;
  for (;;) {
    if (Status status = check(); !status.ok()) return status;
    const auto now = clock_.steady_now();
    if (now >= until) return Status();
    clock_.sleep_for(std::min(kWaitSlice, std::chrono::duration_cast<std::chrono::milliseconds>(until - now)));
  }
}

std::chrono::steady_clock::time_point CallContext::transport_deadline() const {
  return std::chrono::steady_clock::now() + remaining();
}

}  // namespace ssokit::internal
