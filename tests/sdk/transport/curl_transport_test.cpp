// make_curl_transport against local servers: round trips, connection reuse, deadlines,
// cancellation, and every way an answer can fail to arrive.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "ssokit/testing/loopback_servers.hpp"
#include "ssokit/testing/transport_contract.hpp"
#include "ssokit/testing/transport_test_support.hpp"
#include "ssokit/transport.hpp"

namespace ssokit {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;
using testing::CountingRelay;
using testing::Gate;
using ::testing::HasSubstr;
using testing::LocalHttpServer;
using testing::RawServer;
using testing::RefusingPort;
using testing::StalledListener;
using testing::RecordingHandler;
using testing::get;
using testing::since;
using testing::with_method;
using testing::within;

SSOKIT_TRANSPORT_CONTRACT(Curl, [] { return make_curl_transport(); });

TEST(CurlTransport, GetRoundTripKeepsHeadersAsSentAndReceived) {
  RecordingHandler recorder([](const testing::ServerRequest&) {
    testing::ServerResponse response;
    response.status = 200;
    response.headers = {{"X-Reply", "yes"}, {"X-Multi", "first"}, {"X-Multi", "second"}};
    response.body = "hello";
    return response;
  });
  LocalHttpServer server(recorder.handler());
  auto transport = make_curl_transport();

  HttpRequest request = get(server.url("/things/list?id=7&kind=tv"));
  request.headers = {{"X-Custom", "value one"}, {"X-Empty", ""}};
  const TransportResult result = transport->send(request, within(milliseconds(5000)));

  ASSERT_TRUE(result.status.ok()) << result.status.message();
  EXPECT_EQ(result.response.status, 200);
  EXPECT_EQ(result.response.body, "hello");
  EXPECT_EQ(result.response.header("x-reply"), "yes");
  EXPECT_EQ(result.response.header("X-REPLY"), "yes");
  EXPECT_EQ(result.response.header("Content-Length"), "5");
  EXPECT_EQ(result.response.header("X-Absent"), "");
  std::vector<std::string> multi;
  for (const HttpHeader& h : result.response.headers) {
    if (h.name == "X-Multi") multi.push_back(h.value);
  }
  EXPECT_THAT(multi, ::testing::ElementsAre("first", "second"));

  const auto requests = recorder.requests();
  ASSERT_EQ(requests.size(), 1U);
  const testing::ServerRequest& seen = requests[0];
  EXPECT_EQ(seen.method, "GET");
  EXPECT_EQ(seen.path, "/things/list");
  EXPECT_EQ(seen.query, "id=7&kind=tv");
  ASSERT_NE(seen.header("X-Custom"), nullptr);
  EXPECT_EQ(*seen.header("X-Custom"), "value one");
  ASSERT_NE(seen.header("X-Empty"), nullptr) << "an empty-valued header must still be sent";
  EXPECT_EQ(*seen.header("X-Empty"), "");
  // Nothing of curl's own beyond Host.
  EXPECT_EQ(seen.header("Accept"), nullptr);
  EXPECT_EQ(seen.header("Content-Type"), nullptr);
  EXPECT_EQ(seen.header("Expect"), nullptr);
  EXPECT_EQ(seen.header("User-Agent"), nullptr);
  EXPECT_TRUE(seen.body.empty());
}

TEST(CurlTransport, PostSendsBodyWithoutExpectOrInventedContentType) {
  RecordingHandler recorder([](const testing::ServerRequest& request) {
    testing::ServerResponse response;
    response.status = 201;
    response.headers = {{"Content-Type", "application/json"}};
    response.body = "echo:" + request.body;
    return response;
  });
  LocalHttpServer server(recorder.handler(), std::size_t{2} * 1024 * 1024);
  auto transport = make_curl_transport();

  HttpRequest with_type;
  with_type.method = "POST";
  with_type.url = server.url("/api/demo/link");
  with_type.headers = {{"Content-Type", "application/json"}};
  with_type.body = "{\"a\":1}";
  const TransportResult typed = transport->send(with_type, within(milliseconds(5000)));
  ASSERT_TRUE(typed.status.ok()) << typed.status.message();
  EXPECT_EQ(typed.response.status, 201);
  EXPECT_EQ(typed.response.body, "echo:{\"a\":1}");
  EXPECT_EQ(typed.response.header("content-type"), "application/json");

  // Over 1 MiB, so curl would ask "Expect: 100-continue" on its own; no Content-Type given.
  HttpRequest untyped;
  untyped.method = "POST";
  untyped.url = server.url("/api/demo/upload");
  untyped.body = std::string(std::size_t{1100} * 1024, 'x');
  const TransportResult plain = transport->send(untyped, within(milliseconds(5000)));
  ASSERT_TRUE(plain.status.ok()) << plain.status.message();
  EXPECT_EQ(plain.response.body, "echo:" + untyped.body);

  HttpRequest empty;
  empty.method = "POST";
  empty.url = server.url("/api/demo/empty");
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
  EXPECT_EQ(requests[1].header("Content-Type"), nullptr);

  EXPECT_EQ(requests[2].method, "POST");
  EXPECT_TRUE(requests[2].body.empty());
  ASSERT_NE(requests[2].header("Content-Length"), nullptr);
  EXPECT_EQ(*requests[2].header("Content-Length"), "0");
}

TEST(CurlTransport, OtherMethodsAreSentAsGiven) {
  RecordingHandler recorder([](const testing::ServerRequest&) {
    testing::ServerResponse response;
    response.body = "body";
    return response;
  });
  LocalHttpServer server(recorder.handler());
  auto transport = make_curl_transport();

  HttpRequest put;
  put.method = "PUT";
  put.url = server.url("/put");
  put.body = "new";
  HttpRequest del;
  del.method = "DELETE";
  del.url = server.url("/delete");
  HttpRequest head;
  head.method = "HEAD";
  head.url = server.url("/head");

  ASSERT_TRUE(transport->send(put, within(milliseconds(5000))).status.ok());
  ASSERT_TRUE(transport->send(del, within(milliseconds(5000))).status.ok());
  const TransportResult headed = transport->send(head, within(milliseconds(5000)));
  ASSERT_TRUE(headed.status.ok()) << headed.status.message();
  EXPECT_EQ(headed.response.status, 200);
  EXPECT_EQ(headed.response.body, "");
  EXPECT_EQ(headed.response.header("Content-Length"), "4");
  // The connection is still usable after a HEAD (no body was waited for).
  ASSERT_TRUE(transport->send(get(server.url("/after")), within(milliseconds(5000))).status.ok());

  const auto requests = recorder.requests();
  ASSERT_EQ(requests.size(), 4U);
  EXPECT_EQ(requests[0].method, "PUT");
  EXPECT_EQ(requests[0].body, "new");
  EXPECT_EQ(requests[1].method, "DELETE");
  EXPECT_TRUE(requests[1].body.empty());
  EXPECT_EQ(requests[2].method, "HEAD");
  EXPECT_EQ(requests[3].method, "GET");
}

// One pooled handle serves these calls in turn: its shared options are set once, so every
// per-call option (method, body, headers, timeout) must be set afresh and nothing carried over.
TEST(CurlTransport, ConsecutiveCallsOnOneHandleCarryNothingOver) {
  RecordingHandler recorder([](const testing::ServerRequest& request) {
    testing::ServerResponse response;
    response.body = request.method + ":" + request.body;
    return response;
  });
  LocalHttpServer server(recorder.handler());
  CurlTransportOptions options;
  options.max_connections = 1;  // every call on the same handle
  auto transport = make_curl_transport(options);

  HttpRequest post;
  post.method = "POST";
  post.url = server.url("/post");
  post.headers = {{"X-First", "1"}, {"Content-Type", "text/plain"}};
  post.body = "payload";
  HttpRequest plain_get = get(server.url("/get"));
  plain_get.headers = {{"X-Second", "2"}};
  HttpRequest head;
  head.method = "HEAD";
  head.url = server.url("/head");
  HttpRequest post_after_head = post;
  post_after_head.body = "again";

  std::vector<TransportResult> results;
  for (const HttpRequest* request : {&post, &plain_get, &head, &post_after_head, &plain_get, &plain_get}) {
    results.push_back(transport->send(*request, within(milliseconds(5000))));
    ASSERT_TRUE(results.back().status.ok()) << results.back().status.message();
  }
  EXPECT_EQ(results[0].response.body, "POST:payload");
  EXPECT_EQ(results[1].response.body, "GET:");
  EXPECT_EQ(results[2].response.body, "");
  EXPECT_EQ(results[3].response.body, "POST:again");  // after a HEAD, the body is read again
  EXPECT_EQ(results[5].response.body, "GET:");

  const auto requests = recorder.requests();
  ASSERT_EQ(requests.size(), 6U);
  EXPECT_EQ(requests[1].method, "GET");
  EXPECT_TRUE(requests[1].body.empty());
  EXPECT_EQ(requests[1].header("X-First"), nullptr);
  EXPECT_EQ(requests[1].header("Content-Type"), nullptr);
  EXPECT_EQ(requests[1].header("Content-Length"), nullptr);
  ASSERT_NE(requests[1].header("X-Second"), nullptr);
  EXPECT_EQ(requests[2].method, "HEAD");
  EXPECT_EQ(requests[2].header("X-Second"), nullptr);
  EXPECT_EQ(requests[3].method, "POST");
  EXPECT_EQ(requests[3].body, "again");
  ASSERT_NE(requests[3].header("X-First"), nullptr);
  for (std::size_t i : {4U, 5U}) {  // the same headers as the call before: the same lines again
    EXPECT_EQ(requests[i].method, "GET");
    ASSERT_NE(requests[i].header("X-Second"), nullptr);
    EXPECT_EQ(*requests[i].header("X-Second"), "2");
    EXPECT_EQ(requests[i].header("X-First"), nullptr);
  }
}

TEST(CurlTransport, OnlyTheFinalResponsesHeadersAreKept) {
  RawServer server([](int socket) {
    RawServer::read_head(socket);
    RawServer::send_all(socket,
                        "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
                        "HTTP/1.1 200 OK\r\nX-Final: 1\r\nX-Folded: one\r\n  two\r\nContent-Length: 2\r\n\r\nok");
  });
  auto transport = make_curl_transport();
  const TransportResult result = transport->send(get(server.url("/")), within(milliseconds(5000)));
  ASSERT_TRUE(result.status.ok()) << result.status.message();
  EXPECT_EQ(result.response.status, 200);
  EXPECT_EQ(result.response.body, "ok");
  EXPECT_EQ(result.response.header("Link"), "");
  EXPECT_EQ(result.response.header("X-Final"), "1");
  EXPECT_EQ(result.response.header("X-Folded"), "one two");
  EXPECT_EQ(result.response.headers.size(), 3U);
}

TEST(CurlTransport, HundredSequentialCallsUseOneConnection) {
  RecordingHandler recorder;
  LocalHttpServer server(recorder.handler());
  CountingRelay relay(server.port());
  auto transport = make_curl_transport();

  for (int i = 0; i < 100; ++i) {
    const TransportResult result =
        transport->send(get(relay.url("/call/" + std::to_string(i))), within(milliseconds(5000)));
    ASSERT_TRUE(result.status.ok()) << i << ": " << result.status.message();
    ASSERT_EQ(result.response.status, 200);
  }
  EXPECT_EQ(recorder.requests().size(), 100U);
  EXPECT_EQ(relay.connections(), 1);
}

TEST(CurlTransport, ConcurrentCallsAllSucceedOverAtMostMaxConnections) {
  RecordingHandler recorder([](const testing::ServerRequest& request) {
    testing::ServerResponse response;
    response.body = request.path;
    return response;
  });
  LocalHttpServer server(recorder.handler());
  CountingRelay relay(server.port());
  CurlTransportOptions options;
  options.max_connections = 4;  // fewer than the threads: some calls wait for a free one
  auto transport = make_curl_transport(options);

  constexpr int kThreads = 8;
  constexpr int kCallsPerThread = 25;
  std::atomic<int> succeeded{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCallsPerThread; ++i) {
        const std::string path = "/t" + std::to_string(t) + "/c" + std::to_string(i);
        const TransportResult result = transport->send(get(relay.url(path)), within(milliseconds(20000)));
        if (result.status.ok() && result.response.status == 200 && result.response.body == path) ++succeeded;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  EXPECT_EQ(succeeded.load(), kThreads * kCallsPerThread);
  EXPECT_EQ(recorder.requests().size(), static_cast<std::size_t>(kThreads * kCallsPerThread));
  EXPECT_GE(relay.connections(), 1);
  EXPECT_LE(relay.connections(), 4);
}

TEST(CurlTransport, WaitingForAFreeConnectionHonoursDeadlineAndCancel) {
  Gate gate;
  LocalHttpServer server([&](const testing::ServerRequest& request) {
    if (request.path == "/slow") gate.wait();
    return testing::ServerResponse{};
  });
  CurlTransportOptions options;
  options.max_connections = 1;
  auto transport = make_curl_transport(options);

  std::thread busy([&] { transport->send(get(server.url("/slow")), within(milliseconds(10000))); });
  std::this_thread::sleep_for(milliseconds(200));  // the one handle is now in use

  const TransportResult timed_out = transport->send(get(server.url("/fast")), within(milliseconds(200)));
  EXPECT_EQ(timed_out.status.code(), ErrorCode::kTimeout) << timed_out.status.message();
  EXPECT_TRUE(timed_out.not_sent);

  TransportCall call = within(milliseconds(10000));
  auto flag = std::make_shared<std::atomic<bool>>(false);
  call.cancelled = flag;
  std::thread canceller([flag] {
    std::this_thread::sleep_for(milliseconds(100));
    flag->store(true);
  });
  const auto start = steady_clock::now();
  const TransportResult cancelled = transport->send(get(server.url("/fast")), call);
  canceller.join();
  EXPECT_EQ(cancelled.status.code(), ErrorCode::kCancelled) << cancelled.status.message();
  EXPECT_TRUE(cancelled.not_sent);
  EXPECT_LT(since(start), milliseconds(1000));

  gate.open();
  busy.join();
  // With the handle back, a call goes through.
  EXPECT_TRUE(transport->send(get(server.url("/fast")), within(milliseconds(5000))).status.ok());
}

TEST(CurlTransport, FailedTlsHandshakeIsANetworkErrorNotSent) {
  // Plain HTTP where TLS is expected: the handshake fails before any request byte is sent.
  RawServer server([](int socket) { RawServer::send_all(socket, "HTTP/1.1 400 Bad Request\r\n\r\n"); });
  const std::string url = "https://127.0.0.1:" + std::to_string(server.port()) + "/tls";
  const TransportResult result = make_curl_transport()->send(get(url), within(milliseconds(5000)));
  EXPECT_EQ(result.status.code(), ErrorCode::kNetworkError);
  EXPECT_TRUE(result.not_sent) << result.status.message();

  CurlTransportOptions options;
  options.ca_bundle = "/nonexistent/ca.pem";
  const TransportResult no_ca = make_curl_transport(options)->send(get(url), within(milliseconds(5000)));
  EXPECT_EQ(no_ca.status.code(), ErrorCode::kNetworkError);
  EXPECT_TRUE(no_ca.not_sent) << no_ca.status.message();
}

TEST(CurlTransport, ConnectTimeoutIsANetworkErrorButTheDeadlineIsATimeout) {
  StalledListener stalled;
  CurlTransportOptions options;
  options.connect_timeout = milliseconds(200);
  auto transport = make_curl_transport(options);

  // The connect timeout ends the attempt early: a connection failure, and the call has time
  // left to try again.
  auto start = steady_clock::now();
  const TransportResult early = transport->send(get(stalled.url("/x")), within(milliseconds(5000)));
  EXPECT_EQ(early.status.code(), ErrorCode::kNetworkError) << early.status.message();
  EXPECT_TRUE(early.not_sent);
  EXPECT_LT(since(start), milliseconds(2000));

  // The deadline comes first: the call is over.
  start = steady_clock::now();
  const TransportResult late = make_curl_transport()->send(get(stalled.url("/x")), within(milliseconds(200)));
  EXPECT_EQ(late.status.code(), ErrorCode::kTimeout) << late.status.message();
  EXPECT_TRUE(late.not_sent);
  EXPECT_LT(since(start), milliseconds(2000));
}

TEST(CurlTransport, ClosedWithoutAnswerIsANetworkErrorThatMayHaveBeenSent) {
  RawServer server([](int socket) { RawServer::read_head(socket); });
  auto transport = make_curl_transport();
  HttpRequest request;
  request.method = "POST";
  request.url = server.url("/closed");
  request.body = "once";
  const TransportResult result = transport->send(request, within(milliseconds(5000)));
  EXPECT_EQ(result.status.code(), ErrorCode::kNetworkError);
  EXPECT_FALSE(result.not_sent);
}

TEST(CurlTransport, ProxyIsTheOptionNeverTheEnvironment) {
  RecordingHandler recorder;
  LocalHttpServer server(recorder.handler());
  CountingRelay proxy(server.port());  // forwards whatever it gets: a stand-in proxy

  ::setenv("http_proxy", proxy.url("").c_str(), 1);
  ::setenv("ALL_PROXY", proxy.url("").c_str(), 1);
  auto direct = make_curl_transport();
  const TransportResult plain = direct->send(get(server.url("/direct")), within(milliseconds(5000)));
  ::unsetenv("http_proxy");
  ::unsetenv("ALL_PROXY");
  ASSERT_TRUE(plain.status.ok()) << plain.status.message();
  EXPECT_EQ(proxy.connections(), 0) << "the environment's proxy must be ignored";

  CurlTransportOptions options;
  options.proxy = proxy.url("");
  auto proxied = make_curl_transport(options);
  const TransportResult via = proxied->send(get("http://sso.example.test/via"), within(milliseconds(5000)));
  ASSERT_TRUE(via.status.ok()) << via.status.message();
  EXPECT_EQ(proxy.connections(), 1);
  const auto requests = recorder.requests();
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_EQ(requests[1].target, "http://sso.example.test/via") << "a proxy gets the absolute URL";
}

}  // namespace
}  // namespace ssokit
