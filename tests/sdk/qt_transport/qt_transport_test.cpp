// make_qt_transport against the loopback servers (ssokit::transport_contract): the transport
// contract, round trips, deadlines, cancellation, and every way an answer can fail to arrive,
// with the curl transport's outcomes (tests/sdk/transport/curl_transport_test.cpp) wherever
// Qt allows the same.
#include <dirent.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "ssokit/qt_transport.hpp"
#include "ssokit/testing/loopback_servers.hpp"
#include "ssokit/testing/transport_contract.hpp"
#include "ssokit/testing/transport_test_support.hpp"

namespace ssokit {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;
using testing::CountingRelay;
using testing::Gate;
using ::testing::HasSubstr;
using testing::LocalHttpServer;
using ::testing::Not;
using testing::RawServer;
using testing::RefusingPort;
using testing::StalledListener;
using testing::RecordingHandler;
using testing::get;
using testing::since;
using testing::with_method;
using testing::within;

SSOKIT_TRANSPORT_CONTRACT(Qt, [] { return make_qt_transport(); });

// Threads of this process, from /proc: what a transport's worker must give back.
int thread_count() {
  DIR* tasks = ::opendir("/proc/self/task");
  if (tasks == nullptr) return -1;
  int count = 0;
  while (const dirent* entry = ::readdir(tasks)) {
    if (entry->d_name[0] != '.') ++count;
  }
  ::closedir(tasks);
  return count;
}

// The thread count once it is down to `at_most` or has not changed for 100 ms (two seconds at
// most): QThread's wait() returns when the thread's work is done, a moment before the system
// thread is gone.
int thread_count_settled_to(int at_most) {
  const auto until = steady_clock::now() + milliseconds(2000);
  int count = thread_count();
  auto unchanged_since = steady_clock::now();
  while (count > at_most && steady_clock::now() < until && since(unchanged_since) < milliseconds(100)) {
    std::this_thread::sleep_for(milliseconds(5));
    const int now = thread_count();
    if (now != count) unchanged_since = steady_clock::now();
    count = now;
  }
  return count;
}

TEST(QtTransport, GetRoundTripKeepsHeadersAsSentAndReceived) {
  RecordingHandler recorder([](const testing::ServerRequest&) {
    testing::ServerResponse response;
    response.status = 200;
    response.headers = {{"X-Reply", "yes"}, {"X-Multi", "first"}, {"X-Multi", "second"}};
    response.body = "hello";
    return response;
  });
  LocalHttpServer server(recorder.handler());
  auto transport = make_qt_transport();

  HttpRequest request = get(server.url("/things/list?id=7&kind=tv&code=a%2Fb%20c"));
  request.headers = {{"X-Custom", "value one"}, {"X-Empty", ""}, {"User-Agent", "ssokit-test/1"}};
  const TransportResult result = transport->send(request, within(milliseconds(5000)));

  ASSERT_TRUE(result.status.ok()) << result.status.message();
  EXPECT_EQ(result.response.status, 200);
  EXPECT_EQ(result.response.body, "hello");
  EXPECT_EQ(result.response.header("x-reply"), "yes");
  EXPECT_EQ(result.response.header("X-REPLY"), "yes");
  EXPECT_EQ(result.response.header("Content-Length"), "5");
  EXPECT_EQ(result.response.header("X-Absent"), "");
  // Qt keeps a repeated response header once, its values joined.
  EXPECT_EQ(result.response.header("X-Multi"), "first, second");

  const auto requests = recorder.requests();
  ASSERT_EQ(requests.size(), 1U);
  const testing::ServerRequest& seen = requests[0];
  EXPECT_EQ(seen.method, "GET");
  EXPECT_EQ(seen.path, "/things/list");
  EXPECT_EQ(seen.query, "id=7&kind=tv&code=a%2Fb%20c");
  ASSERT_NE(seen.header("X-Custom"), nullptr);
  EXPECT_EQ(*seen.header("X-Custom"), "value one");
  ASSERT_NE(seen.header("X-Empty"), nullptr) << "an empty-valued header must still be sent";
  EXPECT_EQ(*seen.header("X-Empty"), "");
  ASSERT_NE(seen.header("User-Agent"), nullptr);
  EXPECT_EQ(*seen.header("User-Agent"), "ssokit-test/1");
  // Nothing invented that changes what the server answers.
  EXPECT_EQ(seen.header("Accept"), nullptr);
  EXPECT_EQ(seen.header("Content-Type"), nullptr);
  EXPECT_EQ(seen.header("Content-Length"), nullptr);
  EXPECT_EQ(seen.header("Expect"), nullptr);
  EXPECT_EQ(seen.header("Cookie"), nullptr);
  EXPECT_EQ(seen.header("Cache-Control"), nullptr);
  EXPECT_EQ(seen.header("Pragma"), nullptr);
  ASSERT_NE(seen.header("Accept-Encoding"), nullptr);
  EXPECT_EQ(*seen.header("Accept-Encoding"), "identity") << "Qt would otherwise ask for gzip";
  EXPECT_TRUE(seen.body.empty());
}

TEST(QtTransport, RepeatedRequestHeadersAreSentJoined) {
  RecordingHandler recorder;
  LocalHttpServer server(recorder.handler());
  auto transport = make_qt_transport();

  HttpRequest request = get(server.url("/x"));
  request.headers = {{"X-List", "a"}, {"Accept-Encoding", "gzip"}, {"x-list", "b"}};
  ASSERT_TRUE(transport->send(request, within(milliseconds(5000))).status.ok());

  const auto requests = recorder.requests();
  ASSERT_EQ(requests.size(), 1U);
  ASSERT_NE(requests[0].header("X-List"), nullptr);
  EXPECT_EQ(*requests[0].header("X-List"), "a, b");
  ASSERT_NE(requests[0].header("Accept-Encoding"), nullptr);
  EXPECT_EQ(*requests[0].header("Accept-Encoding"), "gzip") << "the request's own is sent as given";
}

TEST(QtTransport, PostSendsBodyWithoutInventedContentType) {
  RecordingHandler recorder([](const testing::ServerRequest& request) {
    testing::ServerResponse response;
    response.status = 201;
    response.headers = {{"Content-Type", "application/json"}};
    response.body = "echo:" + request.body;
    return response;
  });
  LocalHttpServer server(recorder.handler(), std::size_t{2} * 1024 * 1024);
  auto transport = make_qt_transport();

  HttpRequest with_type = with_method("POST", server.url("/api/demo/link"), "{\"a\":1}");
  with_type.headers = {{"Content-Type", "application/json"}};
  const TransportResult typed = transport->send(with_type, within(milliseconds(5000)));
  ASSERT_TRUE(typed.status.ok()) << typed.status.message();
  EXPECT_EQ(typed.response.status, 201);
  EXPECT_EQ(typed.response.body, "echo:{\"a\":1}");
  EXPECT_EQ(typed.response.header("content-type"), "application/json");

  const HttpRequest untyped = with_method("POST", server.url("/api/demo/upload"), std::string(std::size_t{1100} * 1024, 'x'));
  const TransportResult plain = transport->send(untyped, within(milliseconds(5000)));
  ASSERT_TRUE(plain.status.ok()) << plain.status.message();
  EXPECT_EQ(plain.response.body, "echo:" + untyped.body);

  // Qt's own POST would send the query as the body here.
  const HttpRequest empty = with_method("POST", server.url("/api/demo/empty?grant=x"));
  ASSERT_TRUE(transport->send(empty, within(milliseconds(5000))).status.ok());

  const auto requests = recorder.requests();
  ASSERT_EQ(requests.size(), 3U);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].path, "/api/demo/link");
  EXPECT_EQ(requests[0].body, "{\"a\":1}");
  ASSERT_NE(requests[0].header("Content-Type"), nullptr);
  EXPECT_EQ(*requests[0].header("Content-Type"), "application/json");
  ASSERT_NE(requests[0].header("Content-Length"), nullptr);
  EXPECT_EQ(*requests[0].header("Content-Length"), "7");

  EXPECT_EQ(requests[1].body, untyped.body);
  EXPECT_EQ(requests[1].header("Expect"), nullptr);
  EXPECT_EQ(requests[1].header("Content-Type"), nullptr) << "Qt's POST would invent a form Content-Type";

  EXPECT_EQ(requests[2].method, "POST");
  EXPECT_EQ(requests[2].query, "grant=x");
  EXPECT_TRUE(requests[2].body.empty());
  EXPECT_EQ(requests[2].header("Content-Type"), nullptr);
  ASSERT_NE(requests[2].header("Content-Length"), nullptr);
  EXPECT_EQ(*requests[2].header("Content-Length"), "0");
}

TEST(QtTransport, OtherMethodsAreSentAsGiven) {
  RecordingHandler recorder([](const testing::ServerRequest& request) {
    testing::ServerResponse response;
    response.body = request.method == "HEAD" ? "body" : request.method + ":" + request.body;
    return response;
  });
  LocalHttpServer server(recorder.handler());
  auto transport = make_qt_transport();

  const TransportResult put = transport->send(with_method("PUT", server.url("/put"), "new"), within(milliseconds(5000)));
  ASSERT_TRUE(put.status.ok()) << put.status.message();
  EXPECT_EQ(put.response.body, "PUT:new");
  const TransportResult patch =
      transport->send(with_method("PATCH", server.url("/patch"), "bit"), within(milliseconds(5000)));
  ASSERT_TRUE(patch.status.ok()) << patch.status.message();
  EXPECT_EQ(patch.response.body, "PATCH:bit");
  const TransportResult del = transport->send(with_method("DELETE", server.url("/delete")), within(milliseconds(5000)));
  ASSERT_TRUE(del.status.ok()) << del.status.message();
  EXPECT_EQ(del.response.body, "DELETE:");
  const TransportResult headed = transport->send(with_method("HEAD", server.url("/head")), within(milliseconds(5000)));
  ASSERT_TRUE(headed.status.ok()) << headed.status.message();
  EXPECT_EQ(headed.response.status, 200);
  EXPECT_EQ(headed.response.body, "");
  EXPECT_EQ(headed.response.header("Content-Length"), "4");
  // The transport (and its connection) is still good after a HEAD: no body was waited for.
  const TransportResult after = transport->send(get(server.url("/after")), within(milliseconds(5000)));
  ASSERT_TRUE(after.status.ok()) << after.status.message();
  EXPECT_EQ(after.response.body, "GET:");

  const auto requests = recorder.requests();
  ASSERT_EQ(requests.size(), 5U);
  EXPECT_EQ(requests[0].method, "PUT");
  EXPECT_EQ(requests[0].body, "new");
  EXPECT_EQ(requests[1].method, "PATCH");
  EXPECT_EQ(requests[1].body, "bit");
  EXPECT_EQ(requests[2].method, "DELETE");
  EXPECT_TRUE(requests[2].body.empty());
  EXPECT_EQ(requests[3].method, "HEAD");
  EXPECT_EQ(requests[4].method, "GET");
}

TEST(QtTransport, CookiesAreNeitherKeptNorSent) {
  RecordingHandler recorder([](const testing::ServerRequest&) {
    testing::ServerResponse response;
    response.headers = {{"Set-Cookie", "a=1; Path=/"}, {"Set-Cookie", "b=2; Path=/"}};
    return response;
  });
  LocalHttpServer server(recorder.handler());
  auto transport = make_qt_transport();

  const TransportResult first = transport->send(get(server.url("/first")), within(milliseconds(5000)));
  ASSERT_TRUE(first.status.ok()) << first.status.message();
  std::vector<std::string> cookies;
  for (const HttpHeader& header : first.response.headers) {
    if (header.name == "Set-Cookie") cookies.push_back(header.value);
  }
  EXPECT_THAT(cookies, ::testing::ElementsAre("a=1; Path=/", "b=2; Path=/"));
  ASSERT_TRUE(transport->send(get(server.url("/second")), within(milliseconds(5000))).status.ok());

  const auto requests = recorder.requests();
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_EQ(requests[1].header("Cookie"), nullptr) << "the SDK keeps its own state; no cookie jar";
}

TEST(QtTransport, AnInterimAnswerIsNotTakenForTheResponse) {
  // Qt Network 6.4 skips a 100 Continue but ends the reply at any other 1xx, the final answer
  // still unread on the connection: the transport reports that the answer did not arrive whole.
  std::atomic<int> heads{0};
  RawServer server([&](int socket) {
    for (int i = 0; i < 2 && !RawServer::read_head(socket).empty(); ++i) {
      ++heads;
      RawServer::send_all(socket,
                          "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
                          "HTTP/1.1 200 OK\r\nX-Final: 1\r\nContent-Length: 5\r\n\r\nfinal");
    }
  });
  auto transport = make_qt_transport();
  const TransportResult result = transport->send(get(server.url("/")), within(milliseconds(5000)));
  EXPECT_EQ(result.status.code(), ErrorCode::kNetworkError);
  EXPECT_FALSE(result.not_sent);
  EXPECT_THAT(result.status.message(), HasSubstr("1xx"));
  EXPECT_EQ(result.response.status, 0);

  // Qt keeps the connection, the unread answer on it: whatever the next call gets there, it
  // must not be that leftover taken for its own answer.
  const TransportResult next = transport->send(get(server.url("/next")), within(milliseconds(5000)));
  EXPECT_FALSE(next.status.ok() && next.response.body == "final") << "a stale answer was taken for the next call's";
  EXPECT_EQ(heads.load(), 2);
}

TEST(QtTransport, A100ContinueIsSkippedAndFoldedLinesAreJoined) {
  RawServer server([](int socket) {
    RawServer::read_head(socket);
    RawServer::send_all(socket,
                        "HTTP/1.1 100 Continue\r\n\r\n"
                        "HTTP/1.1 200 OK\r\nX-Final: 1\r\nX-Folded: one\r\n  two\r\nContent-Length: 2\r\n\r\nok");
  });
  auto transport = make_qt_transport();
  const TransportResult result = transport->send(get(server.url("/")), within(milliseconds(5000)));
  ASSERT_TRUE(result.status.ok()) << result.status.message();
  EXPECT_EQ(result.response.status, 200);
  EXPECT_EQ(result.response.body, "ok");
  EXPECT_EQ(result.response.header("X-Final"), "1");
  EXPECT_EQ(result.response.header("X-Folded"), "one two");
  EXPECT_EQ(result.response.headers.size(), 3U);
}

TEST(QtTransport, ConcurrentCallsFromEightThreadsAllSucceed) {
  RecordingHandler recorder([](const testing::ServerRequest& request) {
    testing::ServerResponse response;
    response.body = request.path;
    return response;
  });
  LocalHttpServer server(recorder.handler());
  auto transport = make_qt_transport();

  constexpr int kThreads = 8;
  constexpr int kCallsPerThread = 25;
  std::atomic<int> succeeded{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCallsPerThread; ++i) {
        const std::string path = "/t" + std::to_string(t) + "/c" + std::to_string(i);
        const TransportResult result = transport->send(get(server.url(path)), within(milliseconds(20000)));
        if (result.status.ok() && result.response.status == 200 && result.response.body == path) ++succeeded;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  EXPECT_EQ(succeeded.load(), kThreads * kCallsPerThread);
  EXPECT_EQ(recorder.requests().size(), static_cast<std::size_t>(kThreads * kCallsPerThread));
}

TEST(QtTransport, DeadlineWhileConnectingIsATimeout) {
  StalledListener stalled;
  auto transport = make_qt_transport();
  const auto start = steady_clock::now();
  const TransportResult result = transport->send(get(stalled.url("/x")), within(milliseconds(200)));
  EXPECT_EQ(result.status.code(), ErrorCode::kTimeout) << result.status.message();
  // not_sent is false: once Qt has the request, "nothing was sent" cannot be known for sure.
  EXPECT_GE(since(start), milliseconds(190));
  EXPECT_LT(since(start), milliseconds(2000));
}

TEST(QtTransport, FailedTlsHandshakeIsANetworkErrorNotSent) {
  // Plain HTTP where TLS is expected: the handshake fails before any request byte is sent.
  RawServer server([](int socket) { RawServer::send_all(socket, "HTTP/1.1 400 Bad Request\r\n\r\n"); });
  const std::string url = "https://127.0.0.1:" + std::to_string(server.port()) + "/tls";
  const TransportResult result = make_qt_transport()->send(get(url), within(milliseconds(5000)));
  EXPECT_EQ(result.status.code(), ErrorCode::kNetworkError);
  EXPECT_TRUE(result.not_sent) << result.status.message();

  QtTransportOptions options;
  options.ca_bundle = "/nonexistent/ca.pem";
  const TransportResult no_ca = make_qt_transport(options)->send(get(url), within(milliseconds(5000)));
  EXPECT_EQ(no_ca.status.code(), ErrorCode::kNetworkError);
  EXPECT_TRUE(no_ca.not_sent) << no_ca.status.message();
  EXPECT_THAT(no_ca.status.message(), HasSubstr("CA bundle"));
}

TEST(QtTransport, ClosedWithoutAnswerIsANetworkErrorThatMayHaveBeenSent) {
  std::atomic<int> seen{0};  // Qt 6.4 sends the request a second time before it gives up
  RawServer server([&](int socket) {
    if (!RawServer::read_head(socket).empty()) ++seen;
  });
  auto transport = make_qt_transport();
  const TransportResult result =
      transport->send(with_method("POST", server.url("/closed"), "once"), within(milliseconds(5000)));
  EXPECT_EQ(result.status.code(), ErrorCode::kNetworkError);
  EXPECT_FALSE(result.not_sent);
  EXPECT_GE(seen.load(), 1);
}

TEST(QtTransport, TheEnvironmentsProxyIsIgnored) {
  RecordingHandler recorder;
  LocalHttpServer server(recorder.handler());
  CountingRelay proxy(server.port());  // forwards whatever it gets: a stand-in proxy

  ::setenv("http_proxy", proxy.url("").c_str(), 1);
  ::setenv("ALL_PROXY", proxy.url("").c_str(), 1);
  auto transport = make_qt_transport();
  const TransportResult plain = transport->send(get(server.url("/direct")), within(milliseconds(5000)));
  ::unsetenv("http_proxy");
  ::unsetenv("ALL_PROXY");
  ASSERT_TRUE(plain.status.ok()) << plain.status.message();
  EXPECT_EQ(proxy.connections(), 0) << "the environment's proxy must be ignored";
  EXPECT_EQ(recorder.requests().size(), 1U);
}

TEST(QtTransport, DestroyingTheTransportStopsItsThreads) {
  RecordingHandler recorder;
  LocalHttpServer server(recorder.handler());
  {
    // Warm up once: Qt's one-time state (plugins, global thread pools) is not the transport's.
    auto warm_up = make_qt_transport();
    ASSERT_TRUE(warm_up->send(get(server.url("/warm")), within(milliseconds(5000))).status.ok());
  }
  const int baseline = thread_count_settled_to(0);
  ASSERT_GT(baseline, 0);

  for (int i = 0; i < 5; ++i) {
    auto idle = make_qt_transport();
    EXPECT_GT(thread_count(), baseline) << "the worker thread runs";
  }  // each destroyed at once, never used
  EXPECT_LE(thread_count_settled_to(baseline), baseline);

  {
    auto used = make_qt_transport();
    for (int i = 0; i < 10; ++i) {
      ASSERT_TRUE(used->send(get(server.url("/used")), within(milliseconds(5000))).status.ok());
    }
    EXPECT_GE(thread_count(), baseline + 2) << "the worker and Qt's HTTP thread run";
  }  // destroyed with a kept-alive connection open
  EXPECT_LE(thread_count_settled_to(baseline), baseline);
  EXPECT_EQ(recorder.requests().size(), 11U);
}

}  // namespace
}  // namespace ssokit
