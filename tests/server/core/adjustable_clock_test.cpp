// AdjustableClock (SPEC §6.4): system time plus an offset that only moves forward, and the
// listeners that held requests use to re-check their deadlines.
#include "core/adjustable_clock.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

namespace ssokit::server {
namespace {

constexpr Millis kHour = 3600 * 1000;

// now_ms() of `clock` minus system time, within the few ms between the two reads.
void expect_ahead_by(const AdjustableClock& clock, Millis offset) {
  const Millis before = SystemClock().now_ms();
  const Millis now = clock.now_ms();
  const Millis after = SystemClock().now_ms();
  EXPECT_GE(now, before + offset);
  EXPECT_LE(now, after + offset);
}

TEST(AdjustableClock, ReadsAsTheSystemClockUntilMoved) {
  AdjustableClock clock;
  EXPECT_EQ(clock.offset_ms(), 0);
  expect_ahead_by(clock, 0);
}

TEST(AdjustableClock, AdvancesAddUp) {
  AdjustableClock clock;
  clock.advance(kHour);
  clock.advance(30 * 1000);
  EXPECT_EQ(clock.offset_ms(), kHour + 30 * 1000);
  expect_ahead_by(clock, kHour + 30 * 1000);
  clock.advance(0);
  EXPECT_EQ(clock.offset_ms(), kHour + 30 * 1000);
}

TEST(AdjustableClock, NeverRunsBackwards) {
  AdjustableClock clock;
  clock.advance(kHour);
  EXPECT_THROW(clock.advance(-1), std::invalid_argument);
  EXPECT_EQ(clock.offset_ms(), kHour);
}

TEST(AdjustableClock, RefusesAnOffsetPastACentury) {
  AdjustableClock clock;
  clock.advance(AdjustableClock::kMaxOffsetMs - 5);
  EXPECT_THROW(clock.advance(6), std::invalid_argument);
  EXPECT_EQ(clock.offset_ms(), AdjustableClock::kMaxOffsetMs - 5);
  clock.advance(5);
  EXPECT_EQ(clock.offset_ms(), AdjustableClock::kMaxOffsetMs);
}

TEST(AdjustableClock, ResetGoesBackToSystemTime) {
  AdjustableClock clock;
  clock.advance(kHour);
  clock.reset();
  EXPECT_EQ(clock.offset_ms(), 0);
  expect_ahead_by(clock, 0);
}

TEST(AdjustableClock, ListenersRunAfterEveryChangeAndSeeTheNewTime) {
  AdjustableClock clock;
  std::vector<Millis> seen_by_first;
  int second_calls = 0;
  clock.on_change([&] { seen_by_first.push_back(clock.offset_ms()); });
  clock.on_change([&] { ++second_calls; });
  clock.advance(1000);
  clock.advance(2000);
  clock.reset();
  EXPECT_EQ(seen_by_first, (std::vector<Millis>{1000, 3000, 0}));
  EXPECT_EQ(second_calls, 3);
}

TEST(AdjustableClock, ARefusedAdvanceCallsNoListener) {
  AdjustableClock clock;
  int calls = 0;
  clock.on_change([&] { ++calls; });
  EXPECT_THROW(clock.advance(-5), std::invalid_argument);
  EXPECT_EQ(calls, 0);
}

TEST(AdjustableClock, AListenerMayRegisterAnotherWithoutDeadlock) {
  AdjustableClock clock;
  int later_calls = 0;
  bool registered = false;
  clock.on_change([&] {
    if (registered) return;
    registered = true;
    clock.on_change([&] { ++later_calls; });
  });
  clock.advance(1);
  EXPECT_EQ(later_calls, 0);  // registered during the call: runs from the next change
  clock.advance(1);
  EXPECT_EQ(later_calls, 1);
}

TEST(AdjustableClock, ConcurrentAdvancesAndReadsLoseNothing) {
  AdjustableClock clock;
  std::atomic<int> notified{0};
  clock.on_change([&] { notified.fetch_add(1); });
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) {
        clock.advance(1);
        static_cast<void>(clock.now_ms());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(clock.offset_ms(), 4000);
  EXPECT_EQ(notified.load(), 4000);
}

}  // namespace
}  // namespace ssokit::server
