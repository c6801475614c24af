#pragma once
// Requests held until a link code changes (SPEC §6.1's GET link/status?wait, §6.2's
// redemption with ?wait), bounded by --max-waiters.
//
// A waiter is a key (SsoService::wait_key), a deadline and a check. No thread waits: the
// entries wait in a map, their deadlines in the TimerQueue, and every check runs on the
// queue's thread, one at a time. A check answers its request (the HTTP layer's LaterResponse)
// and returns true, or keeps the request held by returning false, which it may only do when
// woken by a change: at the deadline and at shutdown it must answer with what it finds.
//
// Wake-ups come from the store (Store::watch_link_codes): a change of one code wakes the
// waiters on its key, an empty key (a lost notification connection, a moved test clock)
// wakes them all. Each check reads the state again, so a spurious wake-up costs a read.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/timer_queue.hpp"

namespace ssokit::server {

class LinkWaiters {
 public:
  enum class Wake {
    kChanged,   // the key changed (or might have): look; return false to keep waiting
    kDeadline,  // the wait is over: answer
    kShutdown,  // the server stops: answer with the current state (SPEC §6.1)
  };
  using Check = std::function<bool(Wake)>;

  enum class Held {
    kHeld,
    kFull,    // --max-waiters requests are held: answer 503 too_many_waiters
    kClosed,  // the server is stopping: answer at once
  };

  LinkWaiters(TimerQueue& timers, std::size_t max_waiters);
  ~LinkWaiters();
  LinkWaiters(const LinkWaiters&) = delete;
  LinkWaiters& operator=(const LinkWaiters&) = delete;

  // Holds a request until `check` answers it. The check runs once soon after (kChanged), so
  // a change between the caller's own look and this call is not missed.
  Held hold(const std::string& key, TimerQueue::Deadline deadline, Check check);
  // The code under `key` changed; "" for every code.
  void changed(const std::string& key);
  // Shutdown: every held request is answered (kShutdown), and later holds are refused.
  void release_all();
  std::size_t size() const;

 private:
  struct Waiter {
    std::string key;
    Check check;
    TimerQueue::TimerId deadline_timer = 0;
  };
  using WaiterId = std::uint64_t;

  // On the queue's thread: run the waiter's check, forget it once answered.
  void run_check(WaiterId id, Wake wake);
  void schedule_check(WaiterId id, Wake wake);

  TimerQueue& timers_;
  const std::size_t max_waiters_;
  mutable std::mutex mutex_;
  std::unordered_map<WaiterId, Waiter> waiters_;
  std::unordered_multimap<std::string, WaiterId> by_key_;
  WaiterId next_id_ = 1;
  bool closed_ = false;
};

}  // namespace ssokit::server
