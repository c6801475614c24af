#include "core/timer_queue.hpp"

#include <utility>

namespace ssokit::server {

TimerQueue::TimerQueue() : thread_([this] { loop(); }) {}

TimerQueue::~TimerQueue() {
  stop();
}

void TimerQueue::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
  std::lock_guard<std::mutex> lock(mutex_);
  by_id_.clear();
  by_deadline_.clear();
}

TimerQueue::TimerId TimerQueue::schedule(Deadline deadline, std::function<void()> task) {
  std::lock_guard<std::mutex> lock(mutex_);
  const TimerId id = next_id_++;
  if (stopping_) return id;  // never runs
  const auto entry = by_deadline_.emplace(deadline, std::make_pair(id, std::move(task)));
  by_id_.emplace(id, entry);
  // Only a new earliest deadline changes how long the thread sleeps.
  if (entry == by_deadline_.begin()) changed_.notify_all();
  return id;
}

bool TimerQueue::cancel(TimerId id) {
  std::function<void()> dropped;  // destroyed outside the lock: it may own anything
  std::lock_guard<std::mutex> lock(mutex_);
  const auto found = by_id_.find(id);
  if (found == by_id_.end()) return false;
  dropped = std::move(found->second->second.second);
  by_deadline_.erase(found->second);
  by_id_.erase(found);
  return true;
}

std::size_t TimerQueue::pending() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return by_deadline_.size();
}

void TimerQueue::loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    if (by_deadline_.empty()) {
      changed_.wait(lock);
      continue;
    }
    const auto first = by_deadline_.begin();
    if (first->first > std::chrono::steady_clock::now()) {
      // A copy: while this waits, cancel() may erase the entry the deadline belongs to.
      const Deadline next = first->first;
      changed_.wait_until(lock, next);
      continue;
    }
    std::function<void()> task = std::move(first->second.second);
    by_id_.erase(first->second.first);
    by_deadline_.erase(first);
    lock.unlock();
    task();
    task = nullptr;  // whatever it owns goes before the lock is taken again
    lock.lock();
  }
}

}  // namespace ssokit::server
