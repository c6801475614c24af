#pragma once
// The worker threads of the *_async calls: a fixed pool with a queue. Destruction finishes
// the queued work (each callback runs exactly once), then joins.
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace ssokit::internal {

class Executor {
 public:
  explicit Executor(int threads);
  ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  void post(std::function<void()> task);
  // Whether the calling thread is one of this executor's workers.
  bool is_worker_thread() const;

 private:
  void work();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace ssokit::internal
