// Held requests (Response::later, SPEC §6.1): the connection waits for an answer completed
// later from another thread, with no io thread blocked meanwhile; a connection that closes
// abandons its held answer; a dropped answer closes the connection without a response.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "http_test_support.hpp"

namespace ssokit::http::test {
namespace {

// The held answers handed out so far, for the test to complete.
class HeldAnswers {
 public:
  Response hold() {
    auto later = std::make_shared<LaterResponse>();
    std::lock_guard<std::mutex> lock(mutex_);
    held_.push_back(later);
    return Response::held(later);
  }
  std::size_t count() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return held_.size();
  }
  bool wait_for(std::size_t count) const {
    const auto until = std::chrono::steady_clock::now() + 5s;
    while (this->count() < count) {
      if (std::chrono::steady_clock::now() > until) return false;
      std::this_thread::sleep_for(5ms);
    }
    return true;
  }
  std::shared_ptr<LaterResponse> at(std::size_t i) const {
    std::lock_guard<std::mutex> lock(mutex_);
    return held_.at(i);
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<LaterResponse>> held_;
};

ServerOptions one_io_thread() {
  ServerOptions options;
  options.threads = 1;
  options.drain_timeout = 2s;
  return options;
}

TEST(HttpServerHeld, AHeldRequestIsAnsweredWhenCompletedWhileTheOneIoThreadServesOthers) {
  HeldAnswers held;
  RunningServer server(
      [&](const Request& request) { return request.path == "/hold" ? held.hold() : text(200, "quick"); },
      one_io_thread());
  std::thread waiter_thread;
  CurlResult waited;
  waiter_thread = std::thread([&] { waited = CurlClient().request("GET", server.url("/hold")); });
  ASSERT_TRUE(held.wait_for(1));
  // The single io thread is free: other requests are answered while one is held.
  for (int i = 0; i < 3; ++i) EXPECT_EQ(CurlClient().request("GET", server.url("/other")).body, "quick");
  const auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(held.at(0)->complete(text(202, "decided")));
  waiter_thread.join();
  EXPECT_EQ(waited.code, CURLE_OK);
  EXPECT_EQ(waited.status, 202);
  EXPECT_EQ(waited.body, "decided");
  EXPECT_LT(elapsed_since(started), 1000ms);
  EXPECT_FALSE(held.at(0)->complete(text(500, "twice"))) << "the first completion wins";
}

TEST(HttpServerHeld, AnAnswerCompletedBeforeTheServerChainsOntoItIsSentAtOnce) {
  RunningServer server(
      [&](const Request&) {
        auto later = std::make_shared<LaterResponse>();
        later->complete(text(200, "already"));
        return Response::held(later);
      },
      one_io_thread());
  CurlClient client;
  const CurlResult first = client.request("GET", server.url("/x"));
  EXPECT_EQ(first.body, "already");
  const CurlResult second = client.request("GET", server.url("/x"));
  EXPECT_EQ(second.body, "already");
  EXPECT_EQ(second.new_connections, 0) << "the connection stays usable after a held answer";
}

TEST(HttpServerHeld, ClosingTheServerAbandonsAnswersNobodyCompletes) {
  HeldAnswers held;
  ServerOptions options = one_io_thread();
  options.drain_timeout = 300ms;
  auto server = std::make_unique<RunningServer>([&](const Request&) { return held.hold(); }, options);
  std::thread client([&] { CurlClient().request("GET", server->url("/hold"), std::nullopt, {}, 5000); });
  ASSERT_TRUE(held.wait_for(1));
  server->server().stop();
  EXPECT_TRUE(server->wait_run_returned(3000ms)) << "a held answer must not keep the server running past the drain";
  client.join();
  EXPECT_TRUE(held.at(0)->settled()) << "the closed connection abandoned it";
  EXPECT_FALSE(held.at(0)->complete(text(200, "late"))) << "completing an abandoned answer does nothing";
}

TEST(HttpServerHeld, AStopLetsAHeldRequestThatIsCompletedInTimeBeAnswered) {
  HeldAnswers held;
  RunningServer server([&](const Request&) { return held.hold(); }, one_io_thread());
  CurlResult waited;
  std::thread client([&] { waited = CurlClient().request("GET", server.url("/hold")); });
  ASSERT_TRUE(held.wait_for(1));
  server.server().stop();
  std::this_thread::sleep_for(50ms);
  held.at(0)->complete(text(200, "current state"));
  client.join();
  EXPECT_EQ(waited.status, 200);
  EXPECT_EQ(waited.body, "current state");
  EXPECT_TRUE(server.wait_run_returned(3000ms));
}

TEST(HttpServerHeld, AClientThatHangsUpAbandonsItsHeldAnswerAtOnce) {
  HeldAnswers held;
  std::atomic<bool> told{false};
  RunningServer server(
      [&](const Request&) {
        Response response = held.hold();
        response.later->on_abandon([&] { told = true; });
        return response;
      },
      one_io_thread());
  {
    RawSocket client(server.port());
    ASSERT_TRUE(client.send("GET /hold HTTP/1.1\r\nHost: x\r\n\r\n"));
    ASSERT_TRUE(held.wait_for(1));
  }  // the client closes its connection without waiting for the answer
  const auto until = std::chrono::steady_clock::now() + 2s;
  while (!told && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(5ms);
  EXPECT_TRUE(told) << "the server did not notice the hang-up";
  EXPECT_TRUE(held.at(0)->settled());
}

TEST(HttpServerHeld, APipelinedRequestDoesNotEndTheHeldOneAndIsAnsweredAfterIt) {
  HeldAnswers held;
  RunningServer server([&](const Request& request) { return request.path == "/hold" ? held.hold() : text(200, "next"); },
                       one_io_thread());
  RawSocket client(server.port());
  ASSERT_TRUE(client.send("GET /hold HTTP/1.1\r\nHost: x\r\n\r\nGET /next HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_TRUE(held.wait_for(1));
  std::this_thread::sleep_for(100ms);
  EXPECT_FALSE(held.at(0)->settled()) << "bytes of the next request are not a hang-up";
  ASSERT_TRUE(held.at(0)->complete(text(200, "held")));
  const auto first = client.read_response();
  const auto second = client.read_response();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(body_of(*first), "held");
  EXPECT_EQ(body_of(*second), "next");
}

TEST(HttpServerHeld, ADroppedAnswerClosesTheConnectionWithoutAResponse) {
  RunningServer server(
      [&](const Request&) {
        Response r;
        r.drop = true;
        return r;
      },
      one_io_thread());
  const CurlResult result = CurlClient().request("GET", server.url("/x"));
  EXPECT_EQ(result.code, CURLE_GOT_NOTHING);
  EXPECT_EQ(result.status, 0);
}

}  // namespace
}  // namespace ssokit::http::test
