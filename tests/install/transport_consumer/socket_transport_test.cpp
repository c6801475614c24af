// A test of the transport's own, beside the contract: the installed loopback servers and test
// helpers serve a team's tests too.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include <ssokit/testing/local_http_server.hpp>
#include <ssokit/testing/transport_test_support.hpp>

#include "socket_transport.hpp"

namespace {

using ssokit::testing::LocalHttpServer;
using ssokit::testing::RecordingHandler;
using ssokit::testing::ServerRequest;
using ssokit::testing::ServerResponse;

TEST(SocketTransport, SendsTheRequestAsGivenAndReturnsTheAnswer) {
  RecordingHandler recorder([](const ServerRequest&) {
    ServerResponse response;
    response.status = 201;
    response.headers = {{"X-Reply", "yes"}};
    response.body = "created";
    return response;
  });
  LocalHttpServer server(recorder.handler());
  auto transport = consumer::make_socket_transport();

  ssokit::HttpRequest request = ssokit::testing::with_method("POST", server.url("/things?kind=tv"), "{\"a\":1}");
  request.headers = {{"Content-Type", "application/json"}};
  const ssokit::TransportResult result =
      transport->send(request, ssokit::testing::within(std::chrono::milliseconds(5000)));

  ASSERT_TRUE(result.status.ok()) << result.status.message();
  EXPECT_EQ(result.response.status, 201);
  EXPECT_EQ(result.response.header("x-reply"), "yes");
  EXPECT_EQ(result.response.body, "created");
  const auto requests = recorder.requests();
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].path, "/things");
  EXPECT_EQ(requests[0].query, "kind=tv");
  EXPECT_EQ(requests[0].body, "{\"a\":1}");
  ASSERT_NE(requests[0].header("Content-Type"), nullptr);
  EXPECT_EQ(*requests[0].header("Content-Type"), "application/json");
}

}  // namespace
