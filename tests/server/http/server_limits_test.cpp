// Size limits, malformed input and timeouts of the HTTP server.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "http_test_support.hpp"

namespace ssokit::http::test {
namespace {

constexpr std::size_t kMaxBody = 1024;
constexpr std::size_t kMaxHeader = 2048;

struct Observed {
  std::mutex mutex;
  std::vector<Request> requests;

  void add(const Request& request) {
    std::lock_guard<std::mutex> lock(mutex);
    requests.push_back(request);
  }
  std::size_t count() {
    std::lock_guard<std::mutex> lock(mutex);
    return requests.size();
  }
  Request last() {
    std::lock_guard<std::mutex> lock(mutex);
    return requests.empty() ? Request{} : requests.back();
  }
};

// Answers like the API layer would: an error status per problem.
Handler problem_aware(Observed& observed) {
  return [&observed](const Request& request) {
    observed.add(request);
    Response r;
    r.set_header("Content-Type", "application/json");
    switch (request.problem) {
      case RequestProblem::kNone:
        r.status = 200;
        r.body = "{\"size\":" + std::to_string(request.body.size()) + "}";
        break;
      case RequestProblem::kBodyTooLarge:
        r.status = 413;
        r.body = "{\"error\":\"body_too_large\"}";
        break;
      case RequestProblem::kHeaderTooLarge:
        r.status = 431;
        r.body = "{\"error\":\"header_too_large\"}";
        break;
      case RequestProblem::kMalformed:
        r.status = 400;
        r.body = "{\"error\":\"malformed\"}";
        break;
    }
    return r;
  };
}

ServerOptions limit_options() {
  ServerOptions options;
  options.threads = 2;
  options.max_body_bytes = kMaxBody;
  options.max_header_bytes = kMaxHeader;
  return options;
}

TEST(HttpServerLimits, BodyExactlyAtTheLimitIsAccepted) {
  Observed observed;
  RunningServer server(problem_aware(observed), limit_options());
  CurlClient client;
  const auto result = client.request("POST", server.url("/upload"), std::string(kMaxBody, 'a'));
  ASSERT_EQ(result.code, CURLE_OK);
  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(result.body, "{\"size\":1024}");
  EXPECT_EQ(observed.last().problem, RequestProblem::kNone);
  EXPECT_EQ(observed.last().body.size(), kMaxBody);
}

TEST(HttpServerLimits, OneByteOverTheBodyLimitIsBodyTooLarge) {
  Observed observed;
  RunningServer server(problem_aware(observed), limit_options());
  CurlClient client;
  const auto result = client.request("POST", server.url("/upload?x=1"), std::string(kMaxBody + 1, 'a'),
                                     {"Expect:", "X-Trace: t1"});
  ASSERT_EQ(result.code, CURLE_OK) << curl_easy_strerror(result.code);
  EXPECT_EQ(result.status, 413);
  EXPECT_EQ(result.body, "{\"error\":\"body_too_large\"}");
  ASSERT_NE(result.header("Connection"), nullptr);
  EXPECT_EQ(*result.header("Connection"), "close");
  EXPECT_NE(result.header("Date"), nullptr);
  const Request seen = observed.last();
  EXPECT_EQ(seen.problem, RequestProblem::kBodyTooLarge);
  // The header was complete, so the handler still knows what was asked.
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.path, "/upload");
  EXPECT_EQ(seen.query, "x=1");
  ASSERT_NE(seen.header("x-trace"), nullptr);
  EXPECT_EQ(seen.remote_address, "127.0.0.1");

  // With Expect: 100-continue the body is refused before it is sent.
  const auto expecting = client.request("POST", server.url("/upload"), std::string(kMaxBody + 1, 'a'),
                                        {"Expect: 100-continue"});
  ASSERT_EQ(expecting.code, CURLE_OK);
  EXPECT_EQ(expecting.status, 413);
}

TEST(HttpServerLimits, HugeDeclaredBodyIsAnsweredWithoutReadingIt) {
  Observed observed;
  RunningServer server(problem_aware(observed), limit_options());
  RawSocket socket(server.port());
  ASSERT_TRUE(socket.send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 1000000000\r\n\r\n"));
  ASSERT_TRUE(socket.send(std::string(64 * 1024, 'x')));
  const auto start = std::chrono::steady_clock::now();
  const auto response = socket.read_response(3000ms);
  ASSERT_TRUE(response.has_value()) << socket.pending();
  EXPECT_EQ(status_of(*response), 413);
  EXPECT_EQ(header_of(*response, "Connection").value_or(""), "close");
  EXPECT_TRUE(socket.wait_closed(3000ms));
  EXPECT_LT(elapsed_since(start), 2500ms);
  EXPECT_EQ(observed.last().problem, RequestProblem::kBodyTooLarge);
}

TEST(HttpServerLimits, ChunkedBodyGrowingPastTheLimitIsBodyTooLarge) {
  Observed observed;
  RunningServer server(problem_aware(observed), limit_options());
  {
    RawSocket socket(server.port());
    std::string request = "POST /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n";
    request += "400\r\n" + std::string(kMaxBody, 'a') + "\r\n";  // exactly the limit so far
    request += "1\r\nb\r\n0\r\n\r\n";                             // one more byte
    ASSERT_TRUE(socket.send(request));
    const auto response = socket.read_response();
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(status_of(*response), 413);
    EXPECT_TRUE(socket.wait_closed(3000ms));
    EXPECT_EQ(observed.last().problem, RequestProblem::kBodyTooLarge);
  }
  {
    RawSocket socket(server.port());
    std::string request = "POST /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n";
    request += "200\r\n" + std::string(512, 'a') + "\r\n200\r\n" + std::string(512, 'b') + "\r\n0\r\n\r\n";
    ASSERT_TRUE(socket.send(request));
    const auto response = socket.read_response();
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(status_of(*response), 200);
    EXPECT_EQ(body_of(*response), "{\"size\":1024}");
  }
}

TEST(HttpServerLimits, OversizedHeaderIsHeaderTooLarge) {
  Observed observed;
  RunningServer server(problem_aware(observed), limit_options());
  CurlClient client;
  const auto result =
      client.request("GET", server.url("/big"), std::nullopt, {"X-Big: " + std::string(kMaxHeader, 'h')});
  ASSERT_EQ(result.code, CURLE_OK) << curl_easy_strerror(result.code);
  EXPECT_EQ(result.status, 431);
  ASSERT_NE(result.header("Connection"), nullptr);
  EXPECT_EQ(*result.header("Connection"), "close");
  EXPECT_EQ(observed.last().problem, RequestProblem::kHeaderTooLarge);
  EXPECT_EQ(observed.last().remote_address, "127.0.0.1");

  // A header comfortably under the limit is fine, on a fresh connection.
  const auto fine =
      client.request("GET", server.url("/small"), std::nullopt, {"X-Big: " + std::string(kMaxHeader / 2, 'h')});
  ASSERT_EQ(fine.code, CURLE_OK);
  EXPECT_EQ(fine.status, 200);
}

TEST(HttpServerLimits, GarbageIsMalformedAnsweredAndClosed) {
  Observed observed;
  RunningServer server(problem_aware(observed), limit_options());
  RawSocket socket(server.port());
  ASSERT_TRUE(socket.send(std::string("\x01\x02\xff garbage \x7f\r\n\r\n", 16)));
  const auto response = socket.read_response();
  ASSERT_TRUE(response.has_value()) << socket.pending();
  EXPECT_EQ(status_of(*response), 400);
  EXPECT_EQ(body_of(*response), "{\"error\":\"malformed\"}");
  EXPECT_EQ(header_of(*response, "Connection").value_or(""), "close");
  EXPECT_TRUE(header_of(*response, "Date").has_value());
  EXPECT_TRUE(socket.wait_closed(3000ms));
  EXPECT_EQ(observed.last().problem, RequestProblem::kMalformed);
}

TEST(HttpServerLimits, BadContentLengthIsMalformed) {
  Observed observed;
  RunningServer server(problem_aware(observed), limit_options());
  RawSocket socket(server.port());
  ASSERT_TRUE(socket.send("POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 12abc\r\n\r\n"));
  const auto response = socket.read_response();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(status_of(*response), 400);
  EXPECT_TRUE(socket.wait_closed(3000ms));
  EXPECT_EQ(observed.last().problem, RequestProblem::kMalformed);
}

TEST(HttpServerLimits, HandlerThrowingOnAProblemGetsADefaultAnswer) {
  RunningServer server([](const Request&) -> Response { throw std::runtime_error("no"); }, limit_options());
  RawSocket socket(server.port());
  ASSERT_TRUE(socket.send("NOT HTTP AT ALL\r\n\r\n"));
  const auto response = socket.read_response();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(status_of(*response), 400);
  EXPECT_TRUE(socket.wait_closed(3000ms));
}

TEST(HttpServerLimits, SlowClientIsCutOffAfterReadTimeout) {
  Observed observed;
  ServerOptions options = limit_options();
  options.read_timeout = 300ms;
  options.idle_timeout = 10000ms;
  RunningServer server(problem_aware(observed), options);
  RawSocket socket(server.port());
  const auto start = std::chrono::steady_clock::now();
  const std::string partial = "GET /slow HTTP/1.1\r\nHost: t\r\nX-Drip: abcdefghijklmnopqrstuvwxyz";
  // One byte every 50 ms: every read makes progress, yet the request never completes in time.
  for (char c : partial) {
    if (!socket.send(std::string(1, c))) break;
    socket.receive_once(50ms);
    if (socket.closed()) break;
  }
  EXPECT_TRUE(socket.wait_closed(3000ms));
  const auto took = elapsed_since(start);
  EXPECT_GE(took, 250ms);
  EXPECT_LT(took, 1500ms);
  EXPECT_EQ(observed.count(), 0u);
  EXPECT_EQ(socket.pending(), "");  // cut off, not answered
}

TEST(HttpServerLimits, SlowSecondRequestOnAKeptAliveConnectionIsCutOffToo) {
  Observed observed;
  ServerOptions options = limit_options();
  options.read_timeout = 300ms;
  options.idle_timeout = 10000ms;
  RunningServer server(problem_aware(observed), options);
  RawSocket socket(server.port());
  ASSERT_TRUE(socket.send("GET /1 HTTP/1.1\r\nHost: t\r\n\r\n"));
  ASSERT_TRUE(socket.read_response().has_value());
  std::this_thread::sleep_for(400ms);  // idle, longer than read_timeout but within idle_timeout
  ASSERT_TRUE(socket.send("GET /2 HTTP/1.1\r\n"));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(socket.wait_closed(3000ms));
  const auto took = elapsed_since(start);
  EXPECT_GE(took, 200ms);
  EXPECT_LT(took, 1500ms);
  EXPECT_EQ(observed.count(), 1u);
}

TEST(HttpServerLimits, SilentNewConnectionIsClosedAfterReadTimeout) {
  Observed observed;
  ServerOptions options = limit_options();
  options.read_timeout = 300ms;
  options.idle_timeout = 10000ms;
  RunningServer server(problem_aware(observed), options);
  RawSocket socket(server.port());
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(socket.wait_closed(3000ms));
  EXPECT_LT(elapsed_since(start), 1500ms);
}

TEST(HttpServerLimits, IdleKeepAliveConnectionIsClosedAfterIdleTimeout) {
  Observed observed;
  ServerOptions options = limit_options();
  options.read_timeout = 5000ms;
  options.idle_timeout = 300ms;
  RunningServer server(problem_aware(observed), options);
  RawSocket socket(server.port());
  ASSERT_TRUE(socket.send("GET /x HTTP/1.1\r\nHost: t\r\n\r\n"));
  const auto response = socket.read_response();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(status_of(*response), 200);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(socket.wait_closed(3000ms));
  const auto took = elapsed_since(start);
  EXPECT_GE(took, 250ms);
  EXPECT_LT(took, 1500ms);

  // A connection that keeps talking within the idle timeout stays open.
  RawSocket busy(server.port());
  for (int i = 0; i < 4; ++i) {
    std::this_thread::sleep_for(150ms);
    ASSERT_TRUE(busy.send("GET /again HTTP/1.1\r\nHost: t\r\n\r\n"));
    ASSERT_TRUE(busy.read_response().has_value()) << i;
  }
}

}  // namespace
}  // namespace ssokit::http::test
