#include "qt_call.hpp"

#include <utility>

namespace ssokit::internal {

void QtCall::complete(TransportResult result) {
  {
    std::lock_guard lock(mutex_);
    if (done_) return;
    done_ = true;
    result_ = std::move(result);
  }
  done_changed_.notify_all();
}

TransportResult QtCall::wait() {
  std::unique_lock lock(mutex_);
  done_changed_.wait(lock, [this] { return done_; });
  return std::move(result_);
}

TransportResult qt_failure(Status status, bool not_sent) {
  TransportResult result;
  result.status = std::move(status);
  result.not_sent = not_sent;
  return result;
}

}  // namespace ssokit::internal
