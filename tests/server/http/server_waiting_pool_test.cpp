// The waiting pool (ServerOptions::waits): requests that wait for the store run off the io
// threads, so a single io thread keeps answering other requests while they wait, and a stop
// still lets them finish and answers them.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <string>
#include <thread>

#include "http_test_support.hpp"

namespace ssokit::http::test {
namespace {

// A gate the waiting requests block on until the test opens it.
class Gate {
 public:
  void wait() {
    std::unique_lock<std::mutex> lock(mutex_);
    ++waiting_;
    changed_.notify_all();
    changed_.wait(lock, [this] { return open_; });
  }
  bool wait_for_waiters(int count) {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(5), [&] { return waiting_ >= count; });
  }
  void open() {
    std::lock_guard<std::mutex> lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int waiting_ = 0;
  bool open_ = false;
};

ServerOptions one_io_thread_and_a_pool(int waiting_threads) {
  ServerOptions options;
  options.threads = 1;
  options.waiting_threads = waiting_threads;
  options.waits = [](const Request& request) { return request.method == "POST"; };
  options.drain_timeout = std::chrono::milliseconds(5000);
  return options;
}

TEST(HttpServerWaitingPool, WritesWaitOnThePoolWhileTheOneIoThreadAnswersReads) {
  Gate gate;
  std::atomic<int> io_thread_reads{0};
  RunningServer server(
      [&](const Request& request) {
        if (request.method == "POST") {
          gate.wait();
          return text(201, "written " + request.body);
        }
        ++io_thread_reads;
        return text(200, "read");
      },
      one_io_thread_and_a_pool(4));
  // Three writes wait at once: with one io thread and no pool only one could.
  std::vector<std::future<CurlResult>> writes;
  for (int i = 0; i < 3; ++i) {
    writes.push_back(std::async(std::launch::async, [&server, i] {
      CurlClient client;
      return client.request("POST", server.url("/write"), std::to_string(i));
    }));
  }
  ASSERT_TRUE(gate.wait_for_waiters(3));
  CurlClient reader;
  const CurlResult read = reader.request("GET", server.url("/read"), std::nullopt, {}, 3000);
  EXPECT_EQ(read.code, CURLE_OK);
  EXPECT_EQ(read.status, 200);
  EXPECT_EQ(io_thread_reads.load(), 1);
  gate.open();
  for (int i = 0; i < 3; ++i) {
    const CurlResult written = writes[static_cast<std::size_t>(i)].get();
    EXPECT_EQ(written.code, CURLE_OK);
    EXPECT_EQ(written.status, 201);
    EXPECT_EQ(written.body, "written " + std::to_string(i));
  }
}

TEST(HttpServerWaitingPool, StopAnswersAWriteStillWaitingAndThenReturns) {
  Gate gate;
  RunningServer server(
      [&](const Request&) {
        gate.wait();
        return text(201, "written");
      },
      one_io_thread_and_a_pool(2));
  auto write = std::async(std::launch::async, [&server] {
    CurlClient client;
    return client.request("POST", server.url("/write"), std::string("x"));
  });
  ASSERT_TRUE(gate.wait_for_waiters(1));
  server.server().stop();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  gate.open();
  const CurlResult written = write.get();
  ASSERT_EQ(written.code, CURLE_OK) << curl_easy_strerror(written.code);
  EXPECT_EQ(written.status, 201);
  ASSERT_NE(written.header("Connection"), nullptr);
  EXPECT_EQ(*written.header("Connection"), "close");
  EXPECT_TRUE(server.wait_run_returned(std::chrono::milliseconds(3000)));
}

TEST(HttpServerWaitingPool, AWriteAnsweredAfterTheDrainTimeoutIsDroppedAndRunStillReturns) {
  Gate gate;
  ServerOptions options = one_io_thread_and_a_pool(1);
  options.drain_timeout = std::chrono::milliseconds(200);
  RunningServer server(
      [&](const Request&) {
        gate.wait();
        return text(201, "too late");
      },
      options);
  auto write = std::async(std::launch::async, [&server] {
    CurlClient client;
    return client.request("POST", server.url("/write"), std::string("x"), {}, 5000);
  });
  ASSERT_TRUE(gate.wait_for_waiters(1));
  server.server().stop();
  std::this_thread::sleep_for(std::chrono::milliseconds(400));  // past the drain timeout
  const CurlResult cut = write.get();  // the connection was closed without an answer
  EXPECT_NE(cut.code, CURLE_OK);
  gate.open();  // the handler returns; its answer has nowhere to go
  EXPECT_TRUE(server.wait_run_returned(std::chrono::milliseconds(3000)));
}

}  // namespace
}  // namespace ssokit::http::test
