// The server's log writer (api/request_log): whole lines from many threads, none lost, and a
// bound on the lines waiting when the output stalls (a log collector that stopped reading).
#include "api/request_log.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace ssokit::api {
namespace {

// A pipe whose read end the test drains when it chooses; counts the lines it read.
class Pipe {
 public:
  Pipe() {
    if (::pipe2(fds_, O_CLOEXEC) != 0) ADD_FAILURE() << "pipe2 failed";
  }
  ~Pipe() {
    ::close(fds_[1]);
    if (reader_.joinable()) reader_.join();
    ::close(fds_[0]);
  }
  int write_end() const { return fds_[1]; }
  // Reads until the write end is closed (by the destructor), on a thread of its own.
  void start_draining() {
    reader_ = std::thread([this] {
      char buffer[65536];
      for (ssize_t got; (got = ::read(fds_[0], buffer, sizeof buffer)) > 0;) {
        for (ssize_t i = 0; i < got; ++i) {
          if (buffer[i] == '\n') lines_.fetch_add(1);
        }
        bytes_.fetch_add(static_cast<std::size_t>(got));
      }
    });
  }
  // Waits (up to 30 s) until `lines` lines were read.
  bool wait_for_lines(int lines) {
    const auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (lines_.load() < lines && std::chrono::steady_clock::now() < limit) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return lines_.load() >= lines;
  }
  int lines() const { return lines_.load(); }

 private:
  int fds_[2] = {-1, -1};
  std::thread reader_;
  std::atomic<int> lines_{0};
  std::atomic<std::size_t> bytes_{0};
};

void log_lines(const Logger& logger, int count, std::size_t size) {
  const std::string message(size, 'x');
  for (int i = 0; i < count; ++i) logger.log(LogLevel::kInfo, message, {field("n", static_cast<long long>(i))});
}

TEST(Logger, LinesFromManyThreadsAllArriveWhole) {
  Pipe out;
  out.start_draining();
  const Logger logger(LogLevel::kInfo, out.write_end());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) threads.emplace_back([&] { log_lines(logger, 2000, 100); });
  for (std::thread& thread : threads) thread.join();
  EXPECT_TRUE(out.wait_for_lines(8000)) << out.lines() << " of 8000 lines arrived";
  EXPECT_EQ(logger.pending_bytes(), 0u);
}

TEST(Logger, AStalledOutputMakesWritersWaitInsteadOfGrowingWithoutBound) {
  Pipe out;
  ASSERT_GT(::fcntl(out.write_end(), F_SETPIPE_SZ, 4096), 0);
  const Logger logger(LogLevel::kInfo, out.write_end());
  constexpr std::size_t kLineBytes = 2048;
  constexpr int kLinesPerThread = 1500;  // 4 threads: about 12 MB, three times the bound
  std::atomic<int> finished{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      log_lines(logger, kLinesPerThread, kLineBytes);
      finished.fetch_add(1);
    });
  }
  // Nobody reads: one thread blocks in write(), the others pile lines up to the bound.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_LE(logger.pending_bytes(), Logger::kMaxPendingBytes + kLineBytes + 256)
      << "the lines waiting for a stalled output must stay bounded";
  EXPECT_EQ(finished.load(), 0) << "with the output stalled, writers past the bound wait";

  out.start_draining();
  for (std::thread& thread : threads) thread.join();
  EXPECT_TRUE(out.wait_for_lines(4 * kLinesPerThread)) << out.lines() << " lines arrived";
}

}  // namespace
}  // namespace ssokit::api
