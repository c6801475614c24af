// core/periodic_task: the housekeeping's timer thread runs its task every period and stops at
// once when destroyed.
#include "core/periodic_task.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace ssokit::server {
namespace {

using namespace std::chrono_literals;

TEST(PeriodicTaskTest, RunsEveryPeriod) {
  std::atomic<int> runs{0};
  {
    PeriodicTask task(10ms, [&] { ++runs; });
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (runs.load() < 3 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
  }
  EXPECT_GE(runs.load(), 3);
}

TEST(PeriodicTaskTest, DestructionDoesNotWaitForTheNextPeriod) {
  std::atomic<int> runs{0};
  const auto started = std::chrono::steady_clock::now();
  {
    PeriodicTask task(1h, [&] { ++runs; });
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  EXPECT_EQ(runs.load(), 0);  // the first run is one period away
}

}  // namespace
}  // namespace ssokit::server
