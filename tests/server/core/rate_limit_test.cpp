#include "core/rate_limit.hpp"

#include <gtest/gtest.h>

namespace ssokit::server {
namespace {

// Applies one event and returns whether it was allowed, updating `tat` as a store would.
bool take(Millis& tat, Millis now, const RateLimit& limit) {
  const RateDecision d = gcra(tat, now, limit);
  if (d.allowed) tat = d.new_tat;
  return d.allowed;
}

TEST(RateLimitTest, BurstThenSteadyRate) {
  const RateLimit limit{1000, 10};  // the device throttle default: 10 at once, then 1/s
  Millis tat = 0;
  const Millis t0 = 1'000'000;
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(take(tat, t0, limit)) << i;
  EXPECT_FALSE(take(tat, t0, limit));
  const RateDecision denied = gcra(tat, t0, limit);
  EXPECT_EQ(denied.retry_after_ms, 1000);
  EXPECT_FALSE(take(tat, t0 + 999, limit));
  EXPECT_TRUE(take(tat, t0 + 1000, limit));
  EXPECT_FALSE(take(tat, t0 + 1000, limit));
}

TEST(RateLimitTest, PerWindowSpreadsTheWindow) {
  const RateLimit limit = RateLimit::per_window(5, 600);
  EXPECT_EQ(limit.burst, 5);
  EXPECT_EQ(limit.interval_ms, 120'000);
  Millis tat = 0;
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(take(tat, 0, limit));
  EXPECT_FALSE(take(tat, 119'999, limit));
  EXPECT_TRUE(take(tat, 120'000, limit));
}

TEST(RateLimitTest, IdleKeyRefillsFully) {
  const RateLimit limit{1000, 3};
  Millis tat = 0;
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(take(tat, 0, limit));
  EXPECT_FALSE(take(tat, 0, limit));
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(take(tat, 1'000'000, limit)) << i;
  EXPECT_FALSE(take(tat, 1'000'000, limit));
}

TEST(RateLimitTest, LookingDoesNotCount) {
  const RateLimit limit{1000, 1};
  const Millis tat = 0;
  EXPECT_TRUE(gcra(tat, 5, limit).allowed);
  EXPECT_TRUE(gcra(tat, 5, limit).allowed);
}

TEST(RateLimitTest, AClockSteppingBackDoesNotLockAKeyOut) {
  const RateLimit limit{1000, 10};
  Millis tat = 0;
  const Millis t0 = 5'000'000;
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(take(tat, t0, limit));
  EXPECT_FALSE(take(tat, t0, limit));
  // Within a burst's length the key stays limited...
  EXPECT_FALSE(take(tat, t0 - 500, limit));
  // ...but a step back of more than a whole burst period is a clock step: start afresh.
  EXPECT_TRUE(take(tat, t0 - 60'000, limit));
}

TEST(RateLimitTest, RetryAfterRoundsUpToWholeSeconds) {
  EXPECT_EQ(retry_after_seconds(0), 1);
  EXPECT_EQ(retry_after_seconds(1), 1);
  EXPECT_EQ(retry_after_seconds(1000), 1);
  EXPECT_EQ(retry_after_seconds(1001), 2);
  EXPECT_EQ(retry_after_seconds(120'000), 120);
}

}  // namespace
}  // namespace ssokit::server
