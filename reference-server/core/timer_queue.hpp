#pragma once
// Deadlines for many waiters on one thread (held requests, SPEC §6.1; delayed answers of test
// control, §6.4): 10,000 held requests cost 10,000 entries here, not 10,000 threads.
// Tasks run on the queue's thread, one at a time, in deadline order; they should be quick
// (complete an answer, post work elsewhere).
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace ssokit::server {

class TimerQueue {
 public:
  using Deadline = std::chrono::steady_clock::time_point;
  using TimerId = std::uint64_t;

  TimerQueue();
  // Stops the thread; tasks not yet due are dropped without running.
  ~TimerQueue();
  // The same, before the destructor: once it returns no task runs (a running one finished).
  // Later schedule() calls are dropped. Idempotent.
  void stop();
  TimerQueue(const TimerQueue&) = delete;
  TimerQueue& operator=(const TimerQueue&) = delete;

  // Runs `task` at `deadline` (at once, on the queue's thread, when it has passed).
  TimerId schedule(Deadline deadline, std::function<void()> task);
  // True when the task was still pending and now never runs; false when it ran (or runs now).
  bool cancel(TimerId id);
  std::size_t pending() const;

 private:
  void loop();

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::multimap<Deadline, std::pair<TimerId, std::function<void()>>> by_deadline_;
  std::unordered_map<TimerId, std::multimap<Deadline, std::pair<TimerId, std::function<void()>>>::iterator> by_id_;
  TimerId next_id_ = 1;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once the rest is ready
};

}  // namespace ssokit::server
