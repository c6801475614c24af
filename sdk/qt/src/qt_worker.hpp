#pragma once
// The transport's one worker thread: a QThread running an event loop, with the
// QNetworkAccessManager created on it and used only there (Qt's network objects belong to
// the thread that made them). Callers hand it tasks with post(); it never makes them wait on
// an event loop of their own.
#include <QThread>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>

#include "qt_tls.hpp"

class QNetworkAccessManager;

namespace ssokit::internal {

// What a task finds on the worker thread; both objects live and die there.
struct QtWorkerContext {
  QNetworkAccessManager& manager;
  QtTlsConfig& tls;
};

// Subclassed only to own run(): no signals or slots of its own, so no moc.
class QtWorker final : public QThread {
 public:
  using Task = std::function<void(QtWorkerContext&)>;

  QtWorker(bool verify_peer, std::string ca_bundle);
  // Ends the event loop and joins the thread. Never call it on the worker thread itself.
  ~QtWorker() override;
  QtWorker(const QtWorker&) = delete;
  QtWorker& operator=(const QtWorker&) = delete;

  // Starts the thread and waits until its network manager exists; false when the thread
  // could not be started.
  bool start_and_wait();
  // Queues `task` to run on the worker thread; false when the worker is not running. Safe
  // from any thread.
  bool post(Task task);

 protected:
  void run() override;

 private:
  const bool verify_peer_;
  const std::string ca_bundle_;
  std::mutex mutex_;
  std::condition_variable state_changed_;
  // Set while run() is in its event loop: what post() queues tasks to. Guarded by mutex_,
  // so a task is never queued to a manager that is going away.
  QNetworkAccessManager* manager_ = nullptr;
  QtWorkerContext* context_ = nullptr;
  bool ended_ = false;  // run() returned (or never ran)
};

}  // namespace ssokit::internal
