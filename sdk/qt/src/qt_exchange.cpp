#include "qt_exchange.hpp"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>
#include <algorithm>
#include <chrono>
#include <limits>
#include <utility>

#include "qt_outcome.hpp"
#include "qt_request_builder.hpp"
#include "qt_response_reader.hpp"
#include "ssokit/transport_support.hpp"

namespace ssokit::internal {
namespace {

using std::chrono::steady_clock;

bool is_cancelled(const TransportCall& call) { return call.cancelled && call.cancelled->load(); }

QNetworkReply* send(QNetworkAccessManager& manager, const QtOutgoing& outgoing) {
  switch (outgoing.kind) {
    case QtOutgoing::Kind::kGet:
      return manager.get(outgoing.request);
    case QtOutgoing::Kind::kHead:
      return manager.head(outgoing.request);
    case QtOutgoing::Kind::kCustom:
      return manager.sendCustomRequest(outgoing.request, outgoing.verb);
    case QtOutgoing::Kind::kCustomWithBody:
      return manager.sendCustomRequest(outgoing.request, outgoing.verb, outgoing.body);
  }
  return nullptr;
}

// The reply's state, shared by the handlers connected to it (and gone with them when the
// reply is deleted). Everything here runs on the worker thread.
class Exchange {
 public:
  Exchange(std::shared_ptr<QtCall> call, QNetworkReply* reply, bool head)
      : call_(std::move(call)), reply_(reply), reader_(head) {}

  void on_headers() {
    if (!finished_ && !reader_.take_headers(*reply_)) stop(QtStop::kTooLarge);
  }
  void on_bytes() {
    if (!finished_ && !reader_.take_body(*reply_)) stop(QtStop::kTooLarge);
  }
  void on_deadline_timer(QTimer& timer) {
    if (finished_) return;
    if (steady_clock::now() >= call_->call().deadline) {
      stop(QtStop::kTimeout);
    } else {
      timer.start(timer_interval(call_->call().deadline));  // woke early: the interval is capped
    }
  }
  void on_cancel_poll() {
    if (!finished_ && is_cancelled(call_->call())) stop(QtStop::kCancelled);
  }

  // Qt's finished signal, or the end of stop(): the one place the call completes.
  void on_finished() {
    if (finished_) return;
    finished_ = true;
    if (stop_ == QtStop::kNone && !reader_.take_body(*reply_)) stop_ = QtStop::kTooLarge;
    call_->complete(qt_outcome(reply_->error(), stop_, std::move(reader_.response())));
    // Not deleted here: Qt may still be inside one of the reply's own signals.
    reply_->deleteLater();
  }

  // Milliseconds until `deadline`, at least 1, capped to what a QTimer takes.
  static int timer_interval(steady_clock::time_point deadline) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - steady_clock::now()).count();
    return static_cast<int>(std::clamp<std::chrono::milliseconds::rep>(left, 1, std::numeric_limits<int>::max()));
  }

 private:
  void stop(QtStop why) {
    stop_ = why;
    reply_->abort();  // emits finished at once, which lands in on_finished
    on_finished();    // in case it did not (abort() of a reply already finishing)
  }

  std::shared_ptr<QtCall> call_;
  QNetworkReply* reply_;
  QtResponseReader reader_;
  QtStop stop_ = QtStop::kNone;
  bool finished_ = false;
};

}  // namespace

void start_qt_exchange(QtWorkerContext& context, std::shared_ptr<QtCall> call) {
  // The call may have waited in the worker's queue: look again before sending anything.
  const TransportCall& timing = call->call();
  if (is_cancelled(timing)) {
    call->complete(qt_failure(Status(ErrorCode::kCancelled, "the call was cancelled before it was sent"), true));
    return;
  }
  if (steady_clock::now() >= timing.deadline) {
    call->complete(qt_failure(Status(ErrorCode::kTimeout, "the deadline passed before the request was sent"), true));
    return;
  }
  Result<QtOutgoing> outgoing = build_qt_request(call->request(), context.tls);
  if (!outgoing) {
    call->complete(qt_failure(outgoing.status(), true));
    return;
  }
  QNetworkReply* reply = send(context.manager, *outgoing);
  if (reply == nullptr) {
    call->complete(qt_failure(Status(ErrorCode::kNetworkError, "Qt did not accept the request"), true));
    return;
  }

  auto exchange = std::make_shared<Exchange>(call, reply, outgoing->kind == QtOutgoing::Kind::kHead);
  // Handlers run in the reply's context (the worker thread) and are dropped with the reply.
  QObject::connect(reply, &QNetworkReply::metaDataChanged, reply, [exchange] { exchange->on_headers(); });
  QObject::connect(reply, &QIODevice::readyRead, reply, [exchange] { exchange->on_bytes(); });
  QObject::connect(reply, &QNetworkReply::finished, reply, [exchange] { exchange->on_finished(); });

  if (timing.deadline != steady_clock::time_point::max()) {
    auto* deadline = new QTimer(reply);  // owned by the reply: stops and goes with it
    deadline->setSingleShot(true);
    deadline->setTimerType(Qt::PreciseTimer);
    QObject::connect(deadline, &QTimer::timeout, reply, [exchange, deadline] { exchange->on_deadline_timer(*deadline); });
    deadline->start(Exchange::timer_interval(timing.deadline));
  }
  if (timing.cancelled) {
    // The flag is a plain atomic that cannot wake anybody: it is looked at on a timer.
    auto* poll = new QTimer(reply);
    poll->setTimerType(Qt::PreciseTimer);
    QObject::connect(poll, &QTimer::timeout, reply, [exchange] { exchange->on_cancel_poll(); });
    poll->start(static_cast<int>(kCancelPollInterval.count()));
  }
}

}  // namespace ssokit::internal
