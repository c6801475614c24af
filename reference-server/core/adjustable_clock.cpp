#include "core/adjustable_clock.hpp"

#include <stdexcept>

namespace ssokit::server {

Millis AdjustableClock::now_ms() const { return SystemClock().now_ms() + offset_ms(); }

void AdjustableClock::advance(Millis ms) {
  if (ms < 0) throw std::invalid_argument("the clock only moves forward");
  Millis offset = offset_ms_.load(std::memory_order_relaxed);
  do {
    if (ms > kMaxOffsetMs - offset) throw std::invalid_argument("the clock's offset would pass a century");
  } while (!offset_ms_.compare_exchange_weak(offset, offset + ms, std::memory_order_relaxed));
  changed();
}

void AdjustableClock::reset() {
  offset_ms_.store(0, std::memory_order_relaxed);
  changed();
}

void AdjustableClock::on_change(std::function<void()> listener) {
  std::lock_guard<std::mutex> lock(mutex_);
  listeners_.push_back(std::move(listener));
}

void AdjustableClock::changed() const {
  // A copy, so listeners run without the lock: they may read the clock or register another.
  std::vector<std::function<void()>> listeners;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    listeners = listeners_;
  }
  for (const auto& listener : listeners) listener();
}

}  // namespace ssokit::server
