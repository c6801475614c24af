#include "core/rate_counter.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace ssokit::server {
namespace {

constexpr Millis kT0 = 1'000'000;

TEST(LocalRateCounterTest, CountsAsTheStoreWould) {
  LocalRateCounter counter;
  const RateLimit limit{1000, 2};  // 2 at once, then 1/s
  EXPECT_TRUE(counter.consume("k", limit, kT0).allowed);
  EXPECT_TRUE(counter.consume("k", limit, kT0).allowed);
  const RateDecision denied = counter.consume("k", limit, kT0);
  EXPECT_FALSE(denied.allowed);
  EXPECT_EQ(denied.retry_after_ms, 1000);
  EXPECT_FALSE(counter.consume("k", limit, kT0 + 999).allowed);  // a denial counts nothing
  EXPECT_TRUE(counter.consume("k", limit, kT0 + 1000).allowed);
  EXPECT_FALSE(counter.consume("k", limit, kT0 + 1000).allowed);
  EXPECT_TRUE(counter.consume("other", limit, kT0 + 1000).allowed);  // keys are independent
}

TEST(LocalRateCounterTest, ConcurrentConsumersNeverOvershootTheBurst) {
  LocalRateCounter counter;
  const RateLimit limit{60'000, 50};
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        if (counter.consume("shared", limit, kT0).allowed) ++allowed;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(allowed.load(), 50);
}

TEST(LocalRateCounterTest, AFloodOfDistinctKeysStaysWithinTheCapacity) {
  LocalRateCounter counter(1600);
  const RateLimit limit{1000, 10};
  for (int i = 0; i < 100'000; ++i) {
    ASSERT_TRUE(counter.consume("device:" + std::to_string(i), limit, kT0).allowed) << i;
  }
  EXPECT_LE(counter.size(), 1600u + 16u);  // each of the 16 shards holds at most its share
}

TEST(LocalRateCounterTest, DeadKeysMakeRoomBeforeLiveOnesAreForgotten) {
  LocalRateCounter counter(3200);  // 201 keys a shard
  const RateLimit short_lived{1000, 1};
  // About 150 keys a shard, dead one second later.
  for (int i = 0; i < 2400; ++i) ASSERT_TRUE(counter.consume("old" + std::to_string(i), short_lived, kT0).allowed);
  const RateLimit one_a_minute{60'000, 1};
  ASSERT_TRUE(counter.consume("live", one_a_minute, kT0 + 5000).allowed);
  // As many new keys again: every shard fills up and drops its dead keys, not "live".
  for (int i = 0; i < 2400; ++i) {
    ASSERT_TRUE(counter.consume("new" + std::to_string(i), short_lived, kT0 + 5000).allowed);
  }
  EXPECT_EQ(counter.size(), 2400u + 1u);  // the old keys went, every new one and "live" stayed
  EXPECT_FALSE(counter.consume("live", one_a_minute, kT0 + 5000).allowed);
}

}  // namespace
}  // namespace ssokit::server
