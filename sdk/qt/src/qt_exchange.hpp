#pragma once
// One call on the worker thread, from the request to the outcome: sends it with the worker's
// network manager, collects the answer, enforces the deadline and the size limit, looks at
// the cancel flag every kCancelPollInterval, and completes the QtCall exactly once.
#include <memory>

#include "qt_call.hpp"
#include "qt_worker.hpp"

namespace ssokit::internal {

// Runs on the worker thread; returns at once, the call completing later from the event loop.
void start_qt_exchange(QtWorkerContext& context, std::shared_ptr<QtCall> call);

}  // namespace ssokit::internal
