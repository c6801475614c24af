#include "core/link_waiters.hpp"

#include <utility>
#include <vector>

namespace ssokit::server {

LinkWaiters::LinkWaiters(TimerQueue& timers, std::size_t max_waiters) : timers_(timers), max_waiters_(max_waiters) {}

LinkWaiters::~LinkWaiters() {
  // Deadlines still queued refer to this object: drop them (their requests were answered at
  // shutdown, or their connections are gone with the server).
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& [id, waiter] : waiters_) timers_.cancel(waiter.deadline_timer);
}

LinkWaiters::Held LinkWaiters::hold(const std::string& key, TimerQueue::Deadline deadline, Check check) {
  WaiterId id = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closed_) return Held::kClosed;
    if (waiters_.size() >= max_waiters_) return Held::kFull;
    id = next_id_++;
    Waiter& waiter = waiters_[id];
    waiter.key = key;
    waiter.check = std::move(check);
    by_key_.emplace(key, id);
    waiter.deadline_timer = timers_.schedule(deadline, [this, id] { run_check(id, Wake::kDeadline); });
  }
  schedule_check(id, Wake::kChanged);
  return Held::kHeld;
}

void LinkWaiters::changed(const std::string& key) {
  std::vector<WaiterId> woken;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (key.empty()) {
      for (const auto& [id, waiter] : waiters_) woken.push_back(id);
    } else {
      const auto range = by_key_.equal_range(key);
      for (auto it = range.first; it != range.second; ++it) woken.push_back(it->second);
    }
  }
  for (const WaiterId id : woken) schedule_check(id, Wake::kChanged);
}

void LinkWaiters::release_all() {
  std::vector<WaiterId> all;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
    for (const auto& [id, waiter] : waiters_) all.push_back(id);
  }
  for (const WaiterId id : all) schedule_check(id, Wake::kShutdown);
}

std::size_t LinkWaiters::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return waiters_.size();
}

void LinkWaiters::schedule_check(WaiterId id, Wake wake) {
  timers_.schedule(std::chrono::steady_clock::now(), [this, id, wake] { run_check(id, wake); });
}

void LinkWaiters::run_check(WaiterId id, Wake wake) {
  Check check;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto found = waiters_.find(id);
    if (found == waiters_.end()) return;  // answered already
    check = found->second.check;
  }
  // Outside the lock: a check reads the store. Checks run one at a time on the queue's
  // thread, so no other check of this waiter runs meanwhile.
  const bool answered = check(wake) || wake != Wake::kChanged;
  if (!answered) return;
  std::lock_guard<std::mutex> lock(mutex_);
  const auto found = waiters_.find(id);
  if (found == waiters_.end()) return;
  timers_.cancel(found->second.deadline_timer);
  const auto range = by_key_.equal_range(found->second.key);
  for (auto it = range.first; it != range.second; ++it) {
    if (it->second == id) {
      by_key_.erase(it);
      break;
    }
  }
  waiters_.erase(found);
}

}  // namespace ssokit::server
