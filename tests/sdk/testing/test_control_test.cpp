// TestControl (ssokit::testing) on a scripted transport: the requests it makes of the /test/
// routes (SPEC §6.4, docs/api.md §11) and how it reads their answers and errors.
#include "ssokit/testing/test_control.hpp"

#include <gtest/gtest.h>

#include <memory>

#include "ssokit/testing/fake_transport.hpp"

namespace ssokit::testing {
namespace {

class TestControlTest : public ::testing::Test {
 protected:
  std::shared_ptr<FakeTransport> transport_ = std::make_shared<FakeTransport>();
  TestControl control_{"http://127.0.0.1:8081/", transport_};

  HttpRequest last() const { return transport_->requests().back(); }
  static std::string header_of(const HttpRequest& request, const std::string& name) {
    for (const HttpHeader& header : request.headers) {
      if (header.name == name) return header.value;
    }
    return "";
  }
};

TEST_F(TestControlTest, ReadsAndAdvancesTheClock) {
  transport_->respond("GET", "/test/clock", 200, R"({"now":1796677070225,"offsetSeconds":0})");
  transport_->respond("POST", "/test/clock", 200, R"({"now":1796680790263,"offsetSeconds":3720})");
  auto now = control_.clock();
  ASSERT_TRUE(now.ok()) << now.status().message();
  EXPECT_EQ(now->now, ServerTime(std::chrono::milliseconds(1796677070225)));
  EXPECT_EQ(now->offset, std::chrono::seconds(0));
  EXPECT_EQ(last().url, "http://127.0.0.1:8081/test/clock");

  auto moved = control_.advance_clock(std::chrono::hours(1) + std::chrono::minutes(2));
  ASSERT_TRUE(moved.ok()) << moved.status().message();
  EXPECT_EQ(moved->offset, std::chrono::seconds(3720));
  EXPECT_EQ(last().body, R"({"advanceSeconds":3720})");
  EXPECT_EQ(header_of(last(), "Content-Type"), "application/json");
}

TEST_F(TestControlTest, ListsTheLinkCodesOfADeviceWithItsIdEncoded) {
  transport_->respond("GET", "/test/link-codes", 200,
                      R"({"codes":[{"code":"682307","notAfter":1796681390558,"approval":"optional"},)"
                      R"({"code":"SWHBBPHP","notAfter":1796681390999,"approval":"required"}]})");
  auto codes = control_.link_codes("demo", "a+b/c=");
  ASSERT_TRUE(codes.ok()) << codes.status().message();
  ASSERT_EQ(codes->size(), 2u);
  EXPECT_EQ((*codes)[0].code, "682307");
  EXPECT_FALSE((*codes)[0].approval_required);
  EXPECT_EQ(codes->back().code, "SWHBBPHP");
  EXPECT_EQ(codes->back().not_after, ServerTime(std::chrono::milliseconds(1796681390999)));
  EXPECT_TRUE(codes->back().approval_required);
  EXPECT_EQ(last().url, "http://127.0.0.1:8081/test/link-codes?sp=demo&device=a%2Bb%2Fc%3D");
}

TEST_F(TestControlTest, SendsEachKindOfFault) {
  transport_->set_fallback([](const HttpRequest&) {
    TransportResult result;
    result.response.status = 200;
    result.response.body = R"({"status":"OK"})";
    return result;
  });
  ASSERT_TRUE(control_.add_fault(ServerFault::error("POST /api/{sp}/link", 503, "internal_error", 2)).ok());
  EXPECT_EQ(last().body, R"({"route":"POST /api/{sp}/link","status":503,"code":"internal_error","count":2})");
  ASSERT_TRUE(control_.add_fault(ServerFault::delayed("GET /api/{sp}/list", std::chrono::milliseconds(1500))).ok());
  EXPECT_EQ(last().body, R"({"route":"GET /api/{sp}/list","delayMs":1500,"count":1})");
  ASSERT_TRUE(control_.add_fault(ServerFault::dropped("GET /api/{sp}/link/status", 3)).ok());
  EXPECT_EQ(last().body, R"({"route":"GET /api/{sp}/link/status","drop":true,"count":3})");
  EXPECT_EQ(last().method, "POST");
  EXPECT_EQ(url_path(last().url), "/test/faults");

  ASSERT_TRUE(control_.clear_faults().ok());
  EXPECT_EQ(last().method, "DELETE");
  EXPECT_EQ(url_path(last().url), "/test/faults");
  ASSERT_TRUE(control_.reset().ok());
  EXPECT_EQ(last().method, "POST");
  EXPECT_EQ(url_path(last().url), "/test/reset");
}

TEST_F(TestControlTest, ReadsTheRecordedRequests) {
  transport_->respond("GET", "/test/requests", 200,
                      R"({"requests":[{"method":"GET","route":"/api/{sp}/list","status":200,"trace":"8dea","headers":)"
                      R"({"Accept":"application/json","AD-Service-Token":"[redacted]"}},)"
                      R"({"method":"GET","route":"/api/{sp}/list","status":0,"trace":"28ac","headers":{}}]})");
  auto requests = control_.requests(2);
  ASSERT_TRUE(requests.ok()) << requests.status().message();
  EXPECT_EQ(last().url, "http://127.0.0.1:8081/test/requests?limit=2");
  ASSERT_EQ(requests->size(), 2u);
  EXPECT_EQ((*requests)[0].method, "GET");
  EXPECT_EQ((*requests)[0].route, "/api/{sp}/list");
  EXPECT_EQ((*requests)[0].status, 200);
  EXPECT_EQ((*requests)[0].trace, "8dea");
  EXPECT_EQ((*requests)[0].headers.at("AD-Service-Token"), "[redacted]");
  EXPECT_EQ((*requests)[1].status, 0);  // dropped without an answer

  transport_->respond("GET", "/test/requests", 200, R"({"requests":[]})");
  ASSERT_TRUE(control_.requests().ok());
  EXPECT_EQ(last().url, "http://127.0.0.1:8081/test/requests");
}

TEST_F(TestControlTest, AServerWithoutTestControlSaysHowToStartIt) {
  transport_->respond("GET", "/test/link-codes", 404,
                      R"({"status":"NOT_FOUND","error":{"status":404,"code":"resource_not_found","message":"No such)"
                      R"( resource","action":"none","trace":"t-1"}})");
  auto codes = control_.link_codes("demo", "ZGV2");
  EXPECT_EQ(codes.status().code(), ErrorCode::kBadRequest);
  EXPECT_EQ(codes.status().message(),
            "GET /test/link-codes answered 404: start the server with `ssokit-server serve --test-control`");
  ASSERT_TRUE(codes.status().server_error());
  EXPECT_EQ(codes.status().server_error()->trace, "t-1");
}

TEST_F(TestControlTest, TheServersRefusalIsItsErrorObject) {
  transport_->respond(
      "POST", "/test/faults", 400,
      R"({"status":"BAD_REQUEST","error":{"status":400,"code":"request_invalid","message":)"
      R"("route \"POST /api/{sp}/lnk\" is not a route of this server","action":"check_request_body"}})");
  const Status status = control_.add_fault(ServerFault::dropped("POST /api/{sp}/lnk"));
  EXPECT_EQ(status.code(), ErrorCode::kBadRequest);
  EXPECT_EQ(status.server_error()->code, "request_invalid");
  EXPECT_NE(status.message().find("is not a route of this server"), std::string::npos) << status.message();
}

TEST_F(TestControlTest, AnswersItCannotReadAreBadResponses) {
  transport_->respond("GET", "/test/clock", 200, "<html>proxy</html>");
  transport_->respond("GET", "/test/link-codes", 200, R"({"codes":[{"notAfter":1}]})");
  transport_->respond("POST", "/test/reset", 200, "");
  EXPECT_EQ(control_.clock().status().message(), "bad test clock answer: body is not JSON");
  EXPECT_EQ(control_.link_codes("demo", "ZGV2").status().message(),
            "bad test link codes answer: codes.*.code is missing");
  EXPECT_EQ(control_.reset().code(), ErrorCode::kBadResponse);
}

TEST_F(TestControlTest, ANetworkFailureIsReturnedAsIs) {
  transport_->fail("GET", "/test/clock", Status(ErrorCode::kNetworkError, "connection refused"), true);
  EXPECT_EQ(control_.clock().status().code(), ErrorCode::kNetworkError);
}

}  // namespace
}  // namespace ssokit::testing
