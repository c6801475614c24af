// make_qt_transport: HttpTransport on Qt Network. send() checks the request, hands it to the
// transport's worker thread (QtWorker) and blocks on the call's condition variable until the
// worker has the outcome (QtCall); the worker does all of Qt's part (start_qt_exchange).
#include "ssokit/qt_transport.hpp"

#include <QCoreApplication>
#include <chrono>
#include <memory>
#include <utility>

#include "qt_call.hpp"
#include "qt_exchange.hpp"
#include "qt_worker.hpp"
#include "ssokit/transport_support.hpp"

namespace ssokit {
namespace {

using internal::qt_failure;
using internal::QtCall;

class QtTransport final : public HttpTransport, public std::enable_shared_from_this<QtTransport> {
 public:
  explicit QtTransport(const QtTransportOptions& options) {
    // Without an application Qt's event loops do not run (QEventLoop refuses, with a warning):
    // the worker would never answer. Refuse every call instead, saying why.
    if (QCoreApplication::instance() == nullptr) {
      unusable_ = Status(ErrorCode::kInvalidArgument,
                         "the Qt transport needs a QCoreApplication: create it before the transport");
      return;
    }
    worker_ = std::make_unique<internal::QtWorker>(options.verify_peer, options.ca_bundle);
    if (!worker_->start_and_wait()) {
      unusable_ = Status(ErrorCode::kNetworkError, "the Qt transport's thread did not start");
    }
  }

  TransportResult send(const HttpRequest& request, const TransportCall& call) override {
    // A call in flight keeps the transport, and so the worker thread, alive. Tasks on the
    // worker never hold the transport: its last owner must not be the worker thread, which
    // cannot join itself.
    const std::shared_ptr<QtTransport> self = shared_from_this();
    if (Status invalid = check_request(request); !invalid.ok()) return qt_failure(std::move(invalid), true);
    if (!unusable_.ok()) return qt_failure(unusable_, true);
    if (call.cancelled && call.cancelled->load()) {
      return qt_failure(Status(ErrorCode::kCancelled, "the call was cancelled before it was sent"), true);
    }
    if (std::chrono::steady_clock::now() >= call.deadline) {
      return qt_failure(Status(ErrorCode::kTimeout, "the deadline passed before the request was sent"), true);
    }

    auto pending = std::make_shared<QtCall>(request, call);
    const bool posted =
        worker_->post([pending](internal::QtWorkerContext& context) { internal::start_qt_exchange(context, pending); });
    if (!posted) return qt_failure(Status(ErrorCode::kNetworkError, "the Qt transport's thread is not running"), true);
    // The worker always completes the call: with the answer, or at the deadline, or within a
    // poll interval of the cancel flag being set.
    return pending->wait();
  }

 private:
  std::unique_ptr<internal::QtWorker> worker_;
  Status unusable_;  // OK while the worker runs
};

}  // namespace

std::shared_ptr<HttpTransport> make_qt_transport(QtTransportOptions options) {
  return std::make_shared<QtTransport>(options);
}

}  // namespace ssokit
