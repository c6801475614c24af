// listen(), run(), stop() and the destructor of the HTTP server.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <stdexcept>
#include <string>
#include <thread>

#include "http_test_support.hpp"

namespace ssokit::http::test {
namespace {

Response ok(std::string body) {
  Response r;
  r.set_header("Content-Type", "text/plain");
  r.body = std::move(body);
  return r;
}

ServerOptions lifecycle_options() {
  ServerOptions options;
  options.threads = 4;
  options.drain_timeout = 5000ms;
  return options;
}

TEST(HttpServerLifecycle, StopLetsTheInFlightRequestFinishThenRunReturns) {
  std::atomic<bool> entered{false};
  RunningServer server(
      [&](const Request& request) {
        if (request.path == "/slow") {
          entered = true;
          std::this_thread::sleep_for(300ms);
          return ok("slow done");
        }
        return ok("quick");
      },
      lifecycle_options());
  const std::string url = server.url("/slow");
  auto slow = std::async(std::launch::async, [url] {
    CurlClient client;
    return client.request("GET", url);
  });
  const auto wait_start = std::chrono::steady_clock::now();
  while (!entered && elapsed_since(wait_start) < 5000ms) std::this_thread::sleep_for(5ms);
  ASSERT_TRUE(entered);

  const auto stop_start = std::chrono::steady_clock::now();
  server.server().stop();
  // No longer accepting, at once, although the slow request is still being handled.
  EXPECT_EQ(connect_errno(server.port()), ECONNREFUSED);

  const CurlResult result = slow.get();
  ASSERT_EQ(result.code, CURLE_OK) << curl_easy_strerror(result.code);
  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(result.body, "slow done");
  ASSERT_NE(result.header("Connection"), nullptr);
  EXPECT_EQ(*result.header("Connection"), "close");

  EXPECT_TRUE(server.wait_run_returned(3000ms));
  EXPECT_LT(elapsed_since(stop_start), 2000ms);
  EXPECT_EQ(connect_errno(server.port()), ECONNREFUSED);
  server.server().stop();  // again: harmless
}

TEST(HttpServerLifecycle, StopClosesIdleKeepAliveConnectionsAtOnce) {
  ServerOptions options = lifecycle_options();
  options.idle_timeout = 60000ms;
  RunningServer server([](const Request&) { return ok("x"); }, options);
  RawSocket idle(server.port());
  ASSERT_TRUE(idle.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n"));
  ASSERT_TRUE(idle.read_response().has_value());
  RawSocket silent(server.port());  // connected, never sent anything

  const auto start = std::chrono::steady_clock::now();
  server.server().stop();
  EXPECT_TRUE(server.wait_run_returned(3000ms));
  EXPECT_LT(elapsed_since(start), 1000ms);
  EXPECT_TRUE(idle.wait_closed(1000ms));
  EXPECT_TRUE(silent.wait_closed(1000ms));
}

TEST(HttpServerLifecycle, DrainTimeoutBoundsAStuckRequest) {
  ServerOptions options = lifecycle_options();
  options.read_timeout = 30000ms;
  options.drain_timeout = 300ms;
  RunningServer server([](const Request&) { return ok("x"); }, options);
  RawSocket stuck(server.port());
  ASSERT_TRUE(stuck.send("POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc"));
  std::this_thread::sleep_for(100ms);  // let the server start reading it

  const auto start = std::chrono::steady_clock::now();
  server.server().stop();
  EXPECT_TRUE(server.wait_run_returned(3000ms));
  const auto took = elapsed_since(start);
  EXPECT_GE(took, 250ms);
  EXPECT_LT(took, 2000ms);
  EXPECT_TRUE(stuck.wait_closed(1000ms));
}

TEST(HttpServerLifecycle, StopFromAnotherThreadUnderLoad) {
  RunningServer server([](const Request& request) { return ok(request.path); }, lifecycle_options());
  std::atomic<bool> done{false};
  std::atomic<int> answered{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&] {
      CurlClient client;
      while (!done) {
        const auto result = client.request("GET", server.url("/load"), std::nullopt, {}, 2000);
        if (result.code == CURLE_OK && result.status == 200) ++answered;
        if (result.code != CURLE_OK) break;  // refused: the server stopped
      }
    });
  }
  std::this_thread::sleep_for(200ms);
  std::thread stopper([&] { server.server().stop(); });
  stopper.join();
  EXPECT_TRUE(server.wait_run_returned(5000ms));
  done = true;
  for (auto& client : clients) client.join();
  EXPECT_GT(answered.load(), 0);
}

TEST(HttpServerLifecycle, ListenOnAPortInUseThrowsWithAClearMessage) {
  RunningServer first([](const Request&) { return ok("x"); }, lifecycle_options());
  ServerOptions options;
  options.address = "127.0.0.1";
  options.port = first.port();
  Server second(options, [](const Request&) { return ok("y"); });
  try {
    second.listen();
    FAIL() << "listen() on a port in use succeeded";
  } catch (const std::runtime_error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("127.0.0.1:" + std::to_string(first.port())), std::string::npos) << message;
    EXPECT_NE(message.find("in use"), std::string::npos) << message;
  }
  // The first server is unaffected.
  CurlClient client;
  EXPECT_EQ(client.request("GET", first.url("/")).status, 200);
}

TEST(HttpServerLifecycle, ListenOnABadAddressThrows) {
  ServerOptions options;
  options.address = "not an address";
  options.port = 0;
  Server server(options, [](const Request&) { return ok("x"); });
  EXPECT_THROW(server.listen(), std::runtime_error);
}

TEST(HttpServerLifecycle, PortZeroPicksAFreePort) {
  ServerOptions options;
  options.port = 0;
  Server server(options, [](const Request&) { return ok("x"); });
  EXPECT_EQ(server.port(), 0);
  server.listen();
  EXPECT_NE(server.port(), 0);
}

TEST(HttpServerLifecycle, DestructorIsSafeInEveryState) {
  auto handler = [](const Request&) { return ok("x"); };
  ServerOptions options;
  options.port = 0;
  { Server never_listened(options, handler); }
  {
    Server listened(options, handler);
    listened.listen();
  }
  {
    Server stopped(options, handler);
    stopped.listen();
    stopped.stop();
  }
  {
    Server stopped_first(options, handler);
    stopped_first.listen();
    stopped_first.stop();
    stopped_first.run();  // returns at once
  }
  {
    Server not_listening(options, handler);
    EXPECT_THROW(not_listening.run(), std::logic_error);
  }
  {
    // Destroyed while run() is still serving on another thread: it stops and waits.
    auto server = std::make_unique<Server>(options, handler);
    server->listen();
    Server* raw = server.get();
    std::thread runner([raw] { raw->run(); });
    std::this_thread::sleep_for(50ms);
    server.reset();
    runner.join();
  }
}

TEST(HttpServerLifecycle, StopBeforeRunMakesRunReturnImmediately) {
  ServerOptions options;
  options.port = 0;
  Server server(options, [](const Request&) { return ok("x"); });
  server.listen();
  const auto port = server.port();
  server.stop();
  EXPECT_EQ(connect_errno(port), ECONNREFUSED);
  const auto start = std::chrono::steady_clock::now();
  server.run();
  EXPECT_LT(elapsed_since(start), 1000ms);
}

}  // namespace
}  // namespace ssokit::http::test
