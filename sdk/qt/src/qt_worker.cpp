#include "qt_worker.hpp"

#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <utility>

namespace ssokit::internal {

QtWorker::QtWorker(bool verify_peer, std::string ca_bundle)
    : verify_peer_(verify_peer), ca_bundle_(std::move(ca_bundle)) {
  setObjectName(QStringLiteral("ssokit Qt transport"));
}

QtWorker::~QtWorker() {
  // quit() before the loop has started still ends it: exec() returns at once when exit() was
  // called first. Queued tasks are gone with the manager, and there are none: a call in flight
  // keeps the transport, and so this worker, alive.
  quit();
  wait();
}

bool QtWorker::start_and_wait() {
  start();
  if (!isRunning()) {  // QThread::start only warns when the system refuses a thread
    std::lock_guard lock(mutex_);
    ended_ = true;
    return false;
  }
  std::unique_lock lock(mutex_);
  state_changed_.wait(lock, [this] { return manager_ != nullptr || ended_; });
  return manager_ != nullptr;
}

bool QtWorker::post(Task task) {
  std::lock_guard lock(mutex_);
  if (manager_ == nullptr) return false;
  QtWorkerContext* context = context_;
  // Queued to the manager, so the task runs on its thread, inside the worker's event loop.
  return QMetaObject::invokeMethod(
      manager_, [context, work = std::move(task)] { work(*context); }, Qt::QueuedConnection);
}

void QtWorker::run() {
  {
    QNetworkAccessManager manager;
    // Redirects are answers for the SDK to see, not for Qt to follow; and the proxy is never
    // taken from the environment (as with the curl transport).
    manager.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    manager.setProxy(QNetworkProxy(QNetworkProxy::NoProxy));
    QtTlsConfig tls(verify_peer_, ca_bundle_);
    QtWorkerContext context{manager, tls};
    {
      std::lock_guard lock(mutex_);
      manager_ = &manager;
      context_ = &context;
    }
    state_changed_.notify_all();
    exec();
    std::lock_guard lock(mutex_);
    manager_ = nullptr;
    context_ = nullptr;
  }  // the manager and any reply left go here, on the thread they belong to
  {
    std::lock_guard lock(mutex_);
    ended_ = true;
  }
  state_changed_.notify_all();
}

}  // namespace ssokit::internal
