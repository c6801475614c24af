// Requests and responses through a real server on 127.0.0.1, with libcurl as the client.
#include <gtest/gtest.h>

#include <atomic>
#include <ctime>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "http_test_support.hpp"

namespace ssokit::http::test {
namespace {

// Requests the handler saw, for later inspection from the test thread.
class Seen {
 public:
  void add(const Request& request) {
    std::lock_guard<std::mutex> lock(mutex_);
    requests_.push_back(request);
  }
  std::vector<Request> all() {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }
  Request last() {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_.empty() ? Request{} : requests_.back();
  }
  std::size_t count() {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_.size();
  }

 private:
  std::mutex mutex_;
  std::vector<Request> requests_;
};

ServerOptions small_options() {
  ServerOptions options;
  options.threads = 4;
  return options;
}

TEST(HttpServer, GetReachesTheHandlerWithPathQueryAndHeaders) {
  Seen seen;
  RunningServer server(
      [&](const Request& request) {
        seen.add(request);
        Response r = text(200, "hello");
        r.set_header("X-Reply", "yes");
        return r;
      },
      small_options());
  CurlClient client;
  const auto result = client.request("GET", server.url("/api/demo/list?x=1&y=a%20b?c"), std::nullopt,
                                     {"X-Custom-Thing: Value 1", "x-lower: v"});
  ASSERT_EQ(result.code, CURLE_OK) << curl_easy_strerror(result.code);
  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(result.body, "hello");
  ASSERT_NE(result.header("X-Reply"), nullptr);
  EXPECT_EQ(*result.header("X-Reply"), "yes");

  ASSERT_EQ(seen.count(), 1u);
  const Request request = seen.last();
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.target, "/api/demo/list?x=1&y=a%20b?c");
  EXPECT_EQ(request.path, "/api/demo/list");
  EXPECT_EQ(request.query, "x=1&y=a%20b?c");  // split on the first '?'
  EXPECT_EQ(request.remote_address, "127.0.0.1");
  EXPECT_EQ(request.problem, RequestProblem::kNone);
  EXPECT_TRUE(request.body.empty());
  ASSERT_NE(request.header("x-custom-thing"), nullptr);
  EXPECT_EQ(*request.header("X-CUSTOM-THING"), "Value 1");
  // Names arrive as sent.
  bool found_as_sent = false;
  for (const Header& h : request.headers) found_as_sent = found_as_sent || h.name == "X-Custom-Thing";
  EXPECT_TRUE(found_as_sent);
  ASSERT_NE(request.header("Host"), nullptr);
}

TEST(HttpServer, PathWithoutQueryHasEmptyQuery) {
  Seen seen;
  RunningServer server([&](const Request& request) { seen.add(request); return text(200, ""); },
                       small_options());
  CurlClient client;
  ASSERT_EQ(client.request("GET", server.url("/healthz")).code, CURLE_OK);
  EXPECT_EQ(seen.last().path, "/healthz");
  EXPECT_EQ(seen.last().query, "");
}

TEST(HttpServer, PostBodyAndHeadersReachTheHandler) {
  Seen seen;
  RunningServer server(
      [&](const Request& request) {
        seen.add(request);
        Response r;
        r.status = 201;
        r.set_header("Content-Type", "application/json");
        r.body = "{\"echo\":" + std::to_string(request.body.size()) + "}";
        return r;
      },
      small_options());
  CurlClient client;
  const std::string body = "{\"client_name\":\"tv\",\"n\":1}";
  const auto result =
      client.request("POST", server.url("/register"), body, {"Content-Type: application/json"});
  ASSERT_EQ(result.code, CURLE_OK);
  EXPECT_EQ(result.status, 201);
  EXPECT_EQ(result.body, "{\"echo\":" + std::to_string(body.size()) + "}");
  const Request request = seen.last();
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.body, body);
  ASSERT_NE(request.header("content-type"), nullptr);
  EXPECT_EQ(*request.header("content-type"), "application/json");
}

TEST(HttpServer, EveryResponseCarriesDateServerAndContentLength) {
  RunningServer server([](const Request&) { return text(200, "12345678"); }, small_options());
  CurlClient client;
  const std::time_t before = std::time(nullptr);
  const auto result = client.request("GET", server.url("/"));
  const std::time_t after = std::time(nullptr);
  ASSERT_EQ(result.code, CURLE_OK);
  ASSERT_NE(result.header("Date"), nullptr);
  ASSERT_NE(result.header("Server"), nullptr);
  ASSERT_NE(result.header("Content-Length"), nullptr);
  EXPECT_EQ(*result.header("Server"), "ssokit-server");
  EXPECT_EQ(*result.header("Content-Length"), "8");
  const std::string& date = *result.header("Date");
  EXPECT_EQ(date.size(), 29u) << date;  // "Sun, 06 Nov 1994 08:49:37 GMT"
  EXPECT_EQ(date.substr(date.size() - 4), " GMT");
  const std::time_t parsed = curl_getdate(date.c_str(), nullptr);
  EXPECT_GE(parsed, before - 1);
  EXPECT_LE(parsed, after + 1);
  EXPECT_EQ(result.header("Connection"), nullptr);  // HTTP/1.1 keep-alive is implicit
}

TEST(HttpServer, HandlerSuppliedDateAndEmptyBodiesAreRespected) {
  RunningServer server(
      [](const Request& request) {
        Response r;
        if (request.path == "/dated") {
          r.set_header("Date", "Sun, 06 Nov 1994 08:49:37 GMT");
        } else {
          r.status = 204;
        }
        return r;
      },
      small_options());
  CurlClient client;
  const auto dated = client.request("GET", server.url("/dated"));
  ASSERT_EQ(dated.code, CURLE_OK);
  ASSERT_NE(dated.header("Date"), nullptr);
  EXPECT_EQ(*dated.header("Date"), "Sun, 06 Nov 1994 08:49:37 GMT");
  ASSERT_NE(dated.header("Content-Length"), nullptr);
  EXPECT_EQ(*dated.header("Content-Length"), "0");
  int dates = 0;
  for (const Header& h : dated.headers) dates += ascii_iequals(h.name, "Date") ? 1 : 0;
  EXPECT_EQ(dates, 1);

  const auto empty = client.request("GET", server.url("/none"));
  ASSERT_EQ(empty.code, CURLE_OK);
  EXPECT_EQ(empty.status, 204);
  EXPECT_EQ(empty.header("Content-Length"), nullptr);
  EXPECT_NE(empty.header("Date"), nullptr);
}

TEST(HttpServer, HeadGetsContentLengthButNoBody) {
  RunningServer server([](const Request&) { return text(200, "0123456789"); }, small_options());
  RawSocket socket(server.port());
  ASSERT_TRUE(socket.send("HEAD /x HTTP/1.1\r\nHost: t\r\n\r\nGET /x HTTP/1.1\r\nHost: t\r\n\r\n"));
  // The HEAD answer has no body: the next bytes are the GET's status line.
  const auto start = std::chrono::steady_clock::now();
  auto complete = [&] {
    const std::string& got = socket.pending();
    return got.find("HTTP/1.1 200", 1) != std::string::npos && got.size() >= 10 &&
           got.compare(got.size() - 10, 10, "0123456789") == 0;
  };
  while (!complete() && !socket.closed() && elapsed_since(start) < 5000ms) socket.receive_once(100ms);
  const std::string& all = socket.pending();
  const std::size_t second = all.find("HTTP/1.1 200", 1);
  ASSERT_NE(second, std::string::npos) << all;
  const std::string head_response = all.substr(0, second);
  EXPECT_EQ(header_of(head_response, "Content-Length").value_or(""), "10");
  EXPECT_EQ(body_of(head_response), "");
  EXPECT_EQ(body_of(all.substr(second)), "0123456789");
}

TEST(HttpServer, KeepAliveServesFiftyRequestsOnOneConnection) {
  std::atomic<int> calls{0};
  RunningServer server(
      [&](const Request& request) {
        ++calls;
        return text(200, request.path);
      },
      small_options());
  CurlClient client;
  long connects = 0;
  for (int i = 0; i < 50; ++i) {
    const std::string path = "/seq/" + std::to_string(i);
    const auto result = client.request(i % 2 == 0 ? "GET" : "POST", server.url(path),
                                       i % 2 == 0 ? std::nullopt : std::optional<std::string>("b"));
    ASSERT_EQ(result.code, CURLE_OK) << i;
    ASSERT_EQ(result.body, path);
    connects += result.new_connections;
  }
  EXPECT_EQ(connects, 1);
  EXPECT_EQ(calls.load(), 50);
}

TEST(HttpServer, ConcurrentClientsAreAllAnswered) {
  constexpr int kThreads = 8;
  constexpr int kRequests = 50;
  std::atomic<int> calls{0};
  RunningServer server(
      [&](const Request& request) {
        ++calls;
        return text(200, request.path + "|" + request.body);
      },
      small_options());
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      CurlClient client;
      for (int i = 0; i < kRequests; ++i) {
        const std::string path = "/c/" + std::to_string(t) + "/" + std::to_string(i);
        const auto result = client.request("POST", server.url(path), "body" + std::to_string(i));
        if (result.code == CURLE_OK && result.status == 200 &&
            result.body == path + "|body" + std::to_string(i)) {
          ++ok;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ok.load(), kThreads * kRequests);
  EXPECT_EQ(calls.load(), kThreads * kRequests);
}

TEST(HttpServer, HandlerExceptionGivesBare500AndServerKeepsWorking) {
  RunningServer server(
      [](const Request& request) -> Response {
        if (request.path == "/throw") throw std::runtime_error("boom");
        if (request.path == "/throw-int") throw 42;
        return text(200, "fine");
      },
      small_options());
  CurlClient client;
  const auto failed = client.request("GET", server.url("/throw"));
  ASSERT_EQ(failed.code, CURLE_OK);
  EXPECT_EQ(failed.status, 500);
  ASSERT_NE(failed.header("Content-Type"), nullptr);
  EXPECT_EQ(failed.header("Content-Type")->rfind("text/plain", 0), 0u);
  EXPECT_NE(failed.header("Date"), nullptr);
  EXPECT_EQ(failed.body.find("boom"), std::string::npos);  // nothing of the exception leaks

  const auto next = client.request("GET", server.url("/ok"));
  ASSERT_EQ(next.code, CURLE_OK);
  EXPECT_EQ(next.status, 200);
  EXPECT_EQ(next.body, "fine");

  EXPECT_EQ(client.request("GET", server.url("/throw-int")).status, 500);
  CurlClient other;
  EXPECT_EQ(other.request("GET", server.url("/ok")).status, 200);
}

TEST(HttpServer, HandlerConnectionCloseClosesAndUnsafeHeadersAreDropped) {
  RunningServer server(
      [](const Request& request) {
        Response r = text(200, "x");
        if (request.path == "/close") r.set_header("Connection", "close");
        r.headers.push_back({"X-Injected", "a\r\nSet-Cookie: evil=1"});
        r.headers.push_back({"Bad Name", "v"});
        r.headers.push_back({"X-Fine", "ok"});
        return r;
      },
      small_options());
  CurlClient client;
  const auto first = client.request("GET", server.url("/close"));
  ASSERT_EQ(first.code, CURLE_OK);
  ASSERT_NE(first.header("Connection"), nullptr);
  EXPECT_EQ(*first.header("Connection"), "close");
  EXPECT_EQ(first.header("Set-Cookie"), nullptr);
  EXPECT_EQ(first.header("X-Injected"), nullptr);
  ASSERT_NE(first.header("X-Fine"), nullptr);
  const auto second = client.request("GET", server.url("/open"));
  ASSERT_EQ(second.code, CURLE_OK);
  EXPECT_EQ(first.new_connections + second.new_connections, 2);
}

TEST(HttpServer, ExpectContinueIsAnsweredWithoutTheClientWaiting) {
  RunningServer server([](const Request& request) { return text(200, std::to_string(request.body.size())); },
                       small_options());
  CurlClient client;
  client.set_extra_options([](CURL* easy) { curl_easy_setopt(easy, CURLOPT_EXPECT_100_TIMEOUT_MS, 5000L); });
  const std::string body(20000, 'z');
  const auto start = std::chrono::steady_clock::now();
  const auto result = client.request("POST", server.url("/upload"), body, {"Expect: 100-continue"});
  ASSERT_EQ(result.code, CURLE_OK);
  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(result.body, "20000");
  EXPECT_LT(elapsed_since(start), 2500ms);  // curl would have waited 5 s for a 100 that never came
}

TEST(HttpServer, Http10KeepAliveOnlyWhenAsked) {
  RunningServer server([](const Request& request) { return text(200, request.path); }, small_options());
  {
    RawSocket socket(server.port());
    ASSERT_TRUE(socket.send("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
    const auto first = socket.read_response();
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(first->rfind("HTTP/1.0 200", 0), 0u) << *first;
    EXPECT_EQ(header_of(*first, "Connection").value_or(""), "keep-alive");
    ASSERT_TRUE(socket.send("GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
    const auto second = socket.read_response();
    ASSERT_TRUE(second.has_value());
    EXPECT_EQ(body_of(*second), "/b");
  }
  {
    RawSocket socket(server.port());
    ASSERT_TRUE(socket.send("GET /c HTTP/1.0\r\n\r\n"));
    const auto only = socket.read_response();
    ASSERT_TRUE(only.has_value());
    EXPECT_EQ(body_of(*only), "/c");
    EXPECT_EQ(header_of(*only, "Connection").value_or(""), "close");
    EXPECT_TRUE(socket.wait_closed(2000ms));
  }
}

TEST(HttpServer, PipelinedRequestsAreAnsweredInOrder) {
  RunningServer server(
      [](const Request& request) {
        if (request.path == "/1") std::this_thread::sleep_for(50ms);  // a slow first one
        return text(200, request.path + ":" + request.body);
      },
      small_options());
  RawSocket socket(server.port());
  ASSERT_TRUE(socket.send(
      "GET /1 HTTP/1.1\r\nHost: t\r\n\r\n"
      "POST /2 HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc"
      "GET /3 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"));
  const auto r1 = socket.read_response();
  const auto r2 = socket.read_response();
  const auto r3 = socket.read_response();
  ASSERT_TRUE(r1 && r2 && r3);
  EXPECT_EQ(body_of(*r1), "/1:");
  EXPECT_EQ(body_of(*r2), "/2:abc");
  EXPECT_EQ(body_of(*r3), "/3:");
  EXPECT_EQ(header_of(*r3, "Connection").value_or(""), "close");
  EXPECT_TRUE(socket.wait_closed(2000ms));
}

TEST(HttpServer, ChunkedRequestBodyIsReassembled) {
  Seen seen;
  RunningServer server([&](const Request& request) { seen.add(request); return text(200, "ok"); },
                       small_options());
  RawSocket socket(server.port());
  ASSERT_TRUE(socket.send(
      "POST /chunked HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"));
  const auto response = socket.read_response();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(status_of(*response), 200);
  EXPECT_EQ(seen.last().body, "hello world");
}

}  // namespace
}  // namespace ssokit::http::test
