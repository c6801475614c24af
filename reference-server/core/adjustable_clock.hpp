#pragma once
// The server's clock under `serve --test-control` (SPEC §6.4): system time plus an offset
// that CI moves forward, so token, code, limit and profile lifetimes pass without waiting.
// Without the flag nobody moves it and it reads as the system clock.
#include <atomic>
#include <functional>
#include <mutex>
#include <vector>

#include "core/clock.hpp"

namespace ssokit::server {

class AdjustableClock final : public Clock {
 public:
  // The offset's bound: a century, far beyond any lifetime, and far from overflowing a time.
  static constexpr Millis kMaxOffsetMs = 100LL * 365 * 24 * 3600 * 1000;

  Millis now_ms() const override;
  Millis offset_ms() const { return offset_ms_.load(std::memory_order_relaxed); }

  // Moves the clock forward by `ms` (cumulative). Time never runs backwards for the core:
  // a negative `ms`, or one that takes the offset past kMaxOffsetMs, throws
  // std::invalid_argument and changes nothing.
  void advance(Millis ms);
  // Back to system time (offset 0): POST /test/reset.
  void reset();

  // `listener` runs after every advance() and reset(), on the thread that moved the clock,
  // with no lock held (it may read the clock): waiters whose deadline is on this clock
  // re-check it then. Listeners stay for the clock's life; register them at start.
  void on_change(std::function<void()> listener);

 private:
  void changed() const;

  // Read on every now_ms() (several per request), written only by test control: an atomic,
  // not the listeners' mutex.
  std::atomic<Millis> offset_ms_{0};
  mutable std::mutex mutex_;
  std::vector<std::function<void()>> listeners_;  // guarded by mutex_
};

}  // namespace ssokit::server
