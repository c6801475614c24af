#pragma once
// Both clocks under the test's control: jump past an expiry, or put the wall clock hours off.
#include <chrono>
#include <mutex>

#include "ssokit/platform.hpp"

namespace ssokit::testing {

class FakeClock final : public Clock {
 public:
  FakeClock();
  std::chrono::system_clock::time_point system_now() const override;
  std::chrono::steady_clock::time_point steady_now() const override;

  // Returns at once, moving both clocks forward, and remembers the total slept.
  void sleep_for(std::chrono::milliseconds duration) override;
  std::chrono::milliseconds slept() const;

  // Moves both clocks forward.
  void advance(std::chrono::milliseconds by);
  // Moves only the wall clock (a TV whose clock is wrong, or NTP stepping it).
  void shift_system_clock(std::chrono::milliseconds by);

 private:
  mutable std::mutex mutex_;
  std::chrono::system_clock::time_point system_;
  std::chrono::steady_clock::time_point steady_;
  std::chrono::milliseconds slept_{0};
};

}  // namespace ssokit::testing
