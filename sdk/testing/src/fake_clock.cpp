#include "ssokit/testing/fake_clock.hpp"

namespace ssokit::testing {

// Starts at a fixed, known moment (and an arbitrary steady origin), not at "now".
FakeClock::FakeClock()
    : system_(std::chrono::system_clock::time_point(std::chrono::milliseconds(1'800'000'000'000))),
      steady_(std::chrono::steady_clock::time_point(std::chrono::hours(1000))) {}

std::chrono::system_clock::time_point FakeClock::system_now() const {
  std::lock_guard lock(mutex_);
  return system_;
}

std::chrono::steady_clock::time_point FakeClock::steady_now() const {
  std::lock_guard lock(mutex_);
  return steady_;
}

void FakeClock::sleep_for(std::chrono::milliseconds duration) {
  std::lock_guard lock(mutex_);
  system_ += duration;
  steady_ += duration;
  slept_ += duration;
}

std::chrono::milliseconds FakeClock::slept() const {
  std::lock_guard lock(mutex_);
  return slept_;
}

void FakeClock::advance(std::chrono::milliseconds by) {
  std::lock_guard lock(mutex_);
  system_ += by;
  steady_ += by;
}

void FakeClock::shift_system_clock(std::chrono::milliseconds by) {
  std::lock_guard lock(mutex_);
  system_ += by;
}

}  // namespace ssokit::testing
