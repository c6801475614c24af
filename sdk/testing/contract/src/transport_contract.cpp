// The transport contract (ssokit/testing/transport_contract.hpp): what make_curl_transport,
// make_qt_transport and any transport an app team writes guarantee, written once. Each test
// binary instantiates it with its transport (SSOKIT_TRANSPORT_CONTRACT). What each test
// asks of a transport, and why, is in docs/transport-adapter.md. Only public headers here:
// the suite is installed and built against by code outside the SDK.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "ssokit/testing/loopback_servers.hpp"
#include "ssokit/testing/transport_contract.hpp"
#include "ssokit/testing/transport_test_support.hpp"
#include "ssokit/transport_support.hpp"

namespace ssokit::testing {

bool link_transport_contract_tests() { return true; }

namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;
using ::testing::HasSubstr;
using ::testing::Not;

TEST_P(TransportContract, ErrorStatusesAndRedirectsAreResponses) {
  RecordingHandler recorder([](const testing::ServerRequest& request) {
    testing::ServerResponse response;
    if (request.path == "/missing") {
      response.status = 404;
      response.body = "{\"error\":\"not_found\"}";
    } else if (request.path == "/down") {
      response.status = 503;
      response.headers = {{"Retry-After", "30"}};
    } else if (request.path == "/denied") {
      response.status = 401;
      response.headers = {{"WWW-Authenticate", "Bearer realm=\"sso\""}};
      response.body = "{\"error\":\"invalid_access_token\"}";
    } else if (request.path == "/bad") {
      response.status = 400;
      response.body = "{\"error\":\"header_invalid\"}";
    } else {
      response.status = 302;
      response.headers = {{"Location", "/elsewhere"}};
    }
    return response;
  });
  LocalHttpServer server(recorder.handler());
  auto transport = make();

  const TransportResult missing = transport->send(get(server.url("/missing")), within(milliseconds(5000)));
  ASSERT_TRUE(missing.status.ok()) << missing.status.message();
  EXPECT_EQ(missing.response.status, 404);
  EXPECT_EQ(missing.response.body, "{\"error\":\"not_found\"}");

  const TransportResult down = transport->send(get(server.url("/down")), within(milliseconds(5000)));
  ASSERT_TRUE(down.status.ok()) << down.status.message();
  EXPECT_EQ(down.response.status, 503);
  EXPECT_EQ(down.response.header("retry-after"), "30");

  const TransportResult denied = transport->send(get(server.url("/denied")), within(milliseconds(5000)));
  ASSERT_TRUE(denied.status.ok()) << denied.status.message();
  EXPECT_EQ(denied.response.status, 401);
  EXPECT_EQ(denied.response.body, "{\"error\":\"invalid_access_token\"}");
  EXPECT_EQ(denied.response.header("WWW-Authenticate"), "Bearer realm=\"sso\"");

  const TransportResult bad = transport->send(with_method("POST", server.url("/bad"), "x"), within(milliseconds(5000)));
  ASSERT_TRUE(bad.status.ok()) << bad.status.message();
  EXPECT_EQ(bad.response.status, 400);
  EXPECT_EQ(bad.response.body, "{\"error\":\"header_invalid\"}");

  const TransportResult moved = transport->send(get(server.url("/moved")), within(milliseconds(5000)));
  ASSERT_TRUE(moved.status.ok()) << moved.status.message();
  EXPECT_EQ(moved.response.status, 302);
  EXPECT_EQ(moved.response.header("Location"), "/elsewhere");
  EXPECT_EQ(recorder.requests().size(), 5U) << "redirects are not followed";
}

TEST_P(TransportContract, ExpiredDeadlineOrSetCancelFlagSendsNothing) {
  RecordingHandler recorder;
  LocalHttpServer server(recorder.handler());
  CountingRelay relay(server.port());
  auto transport = make();

  TransportCall expired;
  expired.deadline = steady_clock::now() - milliseconds(1);
  const TransportResult late = transport->send(get(relay.url("/late")), expired);
  EXPECT_EQ(late.status.code(), ErrorCode::kTimeout);
  EXPECT_TRUE(late.not_sent);

  TransportCall cancelled = within(milliseconds(5000));
  cancelled.cancelled = std::make_shared<std::atomic<bool>>(true);
  const TransportResult dropped = transport->send(get(relay.url("/dropped")), cancelled);
  EXPECT_EQ(dropped.status.code(), ErrorCode::kCancelled);
  EXPECT_TRUE(dropped.not_sent);

  // A call that goes through afterwards proves the relay counts what reaches it.
  ASSERT_TRUE(transport->send(get(relay.url("/sent")), within(milliseconds(5000))).status.ok());
  EXPECT_EQ(relay.connections(), 1);
  const auto requests = recorder.requests();
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_EQ(requests[0].path, "/sent");
}

TEST_P(TransportContract, DeadlinePassingWhileTheServerThinksIsATimeout) {
  Gate gate;
  LocalHttpServer server([&](const testing::ServerRequest&) {
    gate.wait();
    return testing::ServerResponse{};
  });
  auto transport = make();

  const auto start = steady_clock::now();
  const TransportResult result = transport->send(get(server.url("/slow")), within(milliseconds(300)));
  const milliseconds took = since(start);
  gate.open();

  EXPECT_EQ(result.status.code(), ErrorCode::kTimeout) << result.status.message();
  EXPECT_FALSE(result.not_sent) << "the request had reached the server";
  EXPECT_GE(took, milliseconds(290));
  EXPECT_LT(took, milliseconds(2000));
}

TEST_P(TransportContract, CancelFromAnotherThreadEndsASlowCallQuickly) {
  Gate gate;
  LocalHttpServer server([&](const testing::ServerRequest& request) {
    if (request.path == "/slow") gate.wait();
    return testing::ServerResponse{};
  });
  auto transport = make();

  auto flag = std::make_shared<std::atomic<bool>>(false);
  TransportCall call = within(milliseconds(10000));
  call.cancelled = flag;
  steady_clock::time_point cancelled_at;
  std::thread canceller([flag, &cancelled_at] {
    std::this_thread::sleep_for(milliseconds(210));
    cancelled_at = steady_clock::now();
    flag->store(true);
  });
  const TransportResult result = transport->send(get(server.url("/slow")), call);
  const auto returned_at = steady_clock::now();
  canceller.join();
  gate.open();

  EXPECT_EQ(result.status.code(), ErrorCode::kCancelled) << result.status.message();
  EXPECT_FALSE(result.not_sent);
  // Noticed within a few polls of the flag (kCancelPollInterval).
  EXPECT_LT(std::chrono::duration_cast<milliseconds>(returned_at - cancelled_at), 6 * kCancelPollInterval);

  // The transport is still good for the next call.
  const TransportResult next = transport->send(get(server.url("/fast")), within(milliseconds(5000)));
  EXPECT_TRUE(next.status.ok()) << next.status.message();
}

TEST_P(TransportContract, RefusedConnectionIsANetworkErrorNotSent) {
  RefusingPort port;
  auto transport = make();
  const TransportResult result = transport->send(get(port.url("/x")), within(milliseconds(5000)));
  EXPECT_EQ(result.status.code(), ErrorCode::kNetworkError);
  EXPECT_TRUE(result.not_sent);
  EXPECT_THAT(result.status.message(), HasSubstr("could not connect"));
}

TEST_P(TransportContract, AnswerCutShortIsANetworkErrorThatMayHaveBeenSent) {
  RawServer server([](int socket) {
    RawServer::read_head(socket);
    RawServer::send_all(socket, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789");
  });
  auto transport = make();
  HttpRequest request = get(server.url("/cut?secret=hunter2"));
  request.headers = {{"Authorization", "Bearer top-secret"}};
  const TransportResult result = transport->send(request, within(milliseconds(5000)));
  EXPECT_EQ(result.status.code(), ErrorCode::kNetworkError);
  EXPECT_FALSE(result.not_sent);
  EXPECT_TRUE(result.response.body.empty()) << "a partial body is not an answer";
  EXPECT_THAT(result.status.message(), Not(HasSubstr("hunter2")));
  EXPECT_THAT(result.status.message(), Not(HasSubstr("top-secret")));
  EXPECT_THAT(result.status.message(), Not(HasSubstr("/cut")));
  EXPECT_THAT(result.status.message(), Not(HasSubstr("127.0.0.1")));
}

TEST_P(TransportContract, ResponseOverTheLimitIsRefused) {
  constexpr std::size_t limit = kMaxResponseBytes;
  LocalHttpServer server([](const testing::ServerRequest& request) {
    testing::ServerResponse response;
    // With Content-Length: refused before the body; just under: accepted.
    response.body = std::string(request.path == "/huge" ? limit + 1 : limit - 4096, 'z');
    return response;
  });
  // Without Content-Length (until the connection closes): refused as the bytes arrive.
  RawServer endless([](int socket) {
    RawServer::read_head(socket);
    if (!RawServer::send_all(socket, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n")) return;
    const std::string chunk(std::size_t{64} * 1024, 'y');
    for (int i = 0; i < 100 && RawServer::send_all(socket, chunk); ++i) {
    }
  });
  auto transport = make();

  const TransportResult huge = transport->send(get(server.url("/huge")), within(milliseconds(10000)));
  EXPECT_EQ(huge.status.code(), ErrorCode::kNetworkError);
  EXPECT_THAT(huge.status.message(), HasSubstr("response too large"));
  EXPECT_TRUE(huge.response.body.empty());

  const TransportResult streamed = transport->send(get(endless.url("/")), within(milliseconds(10000)));
  EXPECT_EQ(streamed.status.code(), ErrorCode::kNetworkError);
  EXPECT_THAT(streamed.status.message(), HasSubstr("response too large"));

  const TransportResult fits = transport->send(get(server.url("/fits")), within(milliseconds(10000)));
  ASSERT_TRUE(fits.status.ok()) << fits.status.message();
  EXPECT_EQ(fits.response.body.size(), limit - 4096);
}

TEST_P(TransportContract, RequestsThatCannotBeSentAsGivenAreRefused) {
  RecordingHandler recorder;
  LocalHttpServer server(recorder.handler());
  auto transport = make();

  HttpRequest smuggling = get(server.url("/x"));
  smuggling.headers = {{"X-Name", "value\r\nX-Injected: 1"}};
  const TransportResult smuggled = transport->send(smuggling, within(milliseconds(5000)));
  EXPECT_EQ(smuggled.status.code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(smuggled.not_sent);
  EXPECT_THAT(smuggled.status.message(), Not(HasSubstr("X-Injected")));

  HttpRequest bare_newline = get(server.url("/x"));
  bare_newline.headers = {{"X-Name", "value\nX-Injected: 1"}};
  EXPECT_EQ(transport->send(bare_newline, within(milliseconds(5000))).status.code(), ErrorCode::kInvalidArgument);

  HttpRequest bad_name = get(server.url("/x"));
  bad_name.headers = {{"Bad Name", "v"}};
  EXPECT_EQ(transport->send(bad_name, within(milliseconds(5000))).status.code(), ErrorCode::kInvalidArgument);

  HttpRequest empty_name = get(server.url("/x"));
  empty_name.headers = {{"", "v"}};
  EXPECT_EQ(transport->send(empty_name, within(milliseconds(5000))).status.code(), ErrorCode::kInvalidArgument);

  HttpRequest bad_method = get(server.url("/x"));
  bad_method.method = "GET /other";
  EXPECT_EQ(transport->send(bad_method, within(milliseconds(5000))).status.code(), ErrorCode::kInvalidArgument);

  EXPECT_EQ(transport->send(get(""), within(milliseconds(5000))).status.code(), ErrorCode::kInvalidArgument);

  const TransportResult file = transport->send(get("file:///etc/passwd"), within(milliseconds(5000)));
  EXPECT_EQ(file.status.code(), ErrorCode::kNetworkError);
  EXPECT_TRUE(file.not_sent);
  EXPECT_TRUE(file.response.body.empty());
  EXPECT_EQ(transport->send(get("http://"), within(milliseconds(5000))).status.code(), ErrorCode::kNetworkError);
  EXPECT_TRUE(recorder.requests().empty());
}

TEST_P(TransportContract, ACallInFlightKeepsTheTransportAlive) {
  Gate gate;
  LocalHttpServer server([&](const testing::ServerRequest&) {
    gate.wait();
    testing::ServerResponse response;
    response.body = "late";
    return response;
  });
  std::shared_ptr<HttpTransport> transport = make();
  HttpTransport* raw = transport.get();
  TransportResult result;
  std::thread caller([&] { result = raw->send(get(server.url("/slow")), within(milliseconds(10000))); });
  std::this_thread::sleep_for(milliseconds(200));
  transport.reset();  // the last owner lets go while the call waits for its answer
  gate.open();
  caller.join();
  EXPECT_TRUE(result.status.ok()) << result.status.message();
  EXPECT_EQ(result.response.body, "late");
}

}  // namespace
}  // namespace ssokit::testing
