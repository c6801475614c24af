// TimerQueue: many deadlines on one thread, in order, cancellable.
#include "core/timer_queue.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

namespace ssokit::server {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

TEST(TimerQueue, RunsTasksInDeadlineOrderWhateverTheOrderTheyCameIn) {
  TimerQueue timers;
  std::mutex mutex;
  std::vector<int> ran;
  std::promise<void> all;
  const auto start = Clock::now();
  for (int i : {3, 1, 2}) {
    timers.schedule(start + i * 20ms, [&, i] {
      std::lock_guard<std::mutex> lock(mutex);
      ran.push_back(i);
      if (ran.size() == 3) all.set_value();
    });
  }
  ASSERT_EQ(all.get_future().wait_for(2s), std::future_status::ready);
  EXPECT_EQ(ran, (std::vector<int>{1, 2, 3}));
  EXPECT_GE(Clock::now() - start, 60ms);
}

TEST(TimerQueue, AnEarlierDeadlineWakesTheThreadThatSleepsForALaterOne) {
  TimerQueue timers;
  timers.schedule(Clock::now() + 10s, [] {});
  std::promise<Clock::time_point> ran;
  const auto start = Clock::now();
  timers.schedule(start + 30ms, [&] { ran.set_value(Clock::now()); });
  auto future = ran.get_future();
  ASSERT_EQ(future.wait_for(2s), std::future_status::ready);
  EXPECT_LT(future.get() - start, 500ms);
  EXPECT_EQ(timers.pending(), 1u);
}

TEST(TimerQueue, ACancelledTaskNeverRunsAndCancellingTwiceSaysSo) {
  TimerQueue timers;
  std::atomic<int> runs{0};
  const auto id = timers.schedule(Clock::now() + 50ms, [&] { ++runs; });
  EXPECT_TRUE(timers.cancel(id));
  EXPECT_FALSE(timers.cancel(id));
  std::this_thread::sleep_for(120ms);
  EXPECT_EQ(runs.load(), 0);
  EXPECT_EQ(timers.pending(), 0u);
}

TEST(TimerQueue, ATaskThatRanCannotBeCancelled) {
  TimerQueue timers;
  std::promise<void> ran;
  const auto id = timers.schedule(Clock::now(), [&] { ran.set_value(); });
  ASSERT_EQ(ran.get_future().wait_for(2s), std::future_status::ready);
  EXPECT_FALSE(timers.cancel(id));
}

TEST(TimerQueue, DestroyingTheQueueDropsPendingTasksWithoutRunningThem) {
  std::atomic<int> runs{0};
  {
    TimerQueue timers;
    for (int i = 0; i < 1000; ++i) timers.schedule(Clock::now() + 1h, [&] { ++runs; });
    EXPECT_EQ(timers.pending(), 1000u);
  }
  EXPECT_EQ(runs.load(), 0);
}

}  // namespace
}  // namespace ssokit::server
