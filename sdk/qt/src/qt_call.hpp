#pragma once
// One send() as both threads see it: the caller blocks in wait(), the worker thread calls
// complete() once with the outcome. A plain mutex and condition variable, so the caller's
// thread never runs (or needs) an event loop.
#include <condition_variable>
#include <mutex>

#include "ssokit/transport.hpp"

namespace ssokit::internal {

class QtCall {
 public:
  QtCall(const HttpRequest& request, const TransportCall& call) : request_(request), call_(call) {}
  QtCall(const QtCall&) = delete;
  QtCall& operator=(const QtCall&) = delete;

  // The caller's request, by reference: valid until complete(), because the caller stays
  // blocked in wait() until then. The worker reads it only to build Qt's request.
  const HttpRequest& request() const { return request_; }
  // A copy: the worker looks at the deadline and the cancel flag until the very end.
  const TransportCall& call() const { return call_; }

  // The first outcome wins; later ones are ignored. Called on the worker thread.
  void complete(TransportResult result);
  // Blocks until complete(), then hands over its outcome. Called once, by the caller.
  TransportResult wait();

 private:
  const HttpRequest& request_;
  const TransportCall call_;
  std::mutex mutex_;
  std::condition_variable done_changed_;
  bool done_ = false;
  TransportResult result_;
};

// A failed TransportResult.
TransportResult qt_failure(Status status, bool not_sent);

}  // namespace ssokit::internal
