// GET /test/requests and POST /test/reset (SPEC §6.4): the last requests answered, with every
// token, secret, code and device id redacted; a reset clears faults, the record and the clock
// offset and keeps stored data.
#include "test_control_support.hpp"
#include "text.hpp"

namespace ssokit::testing::test_control {
namespace {

TEST_F(TestControlTest, RecordsMethodRouteStatusTraceAndRedactedHeaders) {
  const SignedIn phone = sign_in("phone", "alice-the-sso-id");
  const HttpResponse made = link(phone);
  ASSERT_EQ(made.status, 201);
  const std::string code = made.json("code").value_or("");
  Headers redeem_headers = {{"AP-Device-Identifier", fingerprint("tv")},
                            {"X-SSO-LINK", code},
                            {"X-Device-Info", device_info("TV", "Bravia", "Android TV", "12")},
                            {"X-Roku-Reserved-Roku-Connect-Token", "eyJhbGciOiJub25lIn0.e30.roku"},
                            {"Cookie", "session=cookie-secret"}};
  const HttpResponse joined = call("POST", path("serviceToken"), redeem_headers);
  ASSERT_EQ(joined.status, 201) << joined.body;
  const HttpResponse listed = list(phone);
  test_call("GET", "/test/clock");  // /test/ calls are not recorded

  const std::vector<RecordedCall> calls = recorded();
  // The client registration and access token of the fixture, then this test's calls.
  ASSERT_GE(calls.size(), 4u);
  const std::vector<RecordedCall> last(calls.end() - 4, calls.end());
  EXPECT_EQ(last[0].method, "POST");
  EXPECT_EQ(last[0].route, "/api/{sp}/serviceToken");
  EXPECT_EQ(last[0].status, 201);
  EXPECT_EQ(last[1].route, "/api/{sp}/link");
  EXPECT_EQ(last[1].trace, made.header("x-trace-id"));
  EXPECT_EQ(last[2].route, "/api/{sp}/serviceToken");
  EXPECT_EQ(last[2].trace, joined.header("x-trace-id"));
  EXPECT_EQ(last[3].method, "GET");
  EXPECT_EQ(last[3].route, "/api/{sp}/list");
  EXPECT_EQ(last[3].status, 200);
  EXPECT_EQ(last[3].trace, listed.header("x-trace-id"));
  EXPECT_TRUE(is_uuid(last[3].trace));

  for (const char* name : {"authorization", "ap-device-identifier", "x-sso-id"}) {
    EXPECT_EQ(last[0].headers.at(name), "[redacted]") << name;
  }
  for (const char* name : {"authorization", "ap-device-identifier", "ad-service-token"}) {
    EXPECT_EQ(last[1].headers.at(name), "[redacted]") << name;
  }
  for (const char* name : {"authorization", "ap-device-identifier", "x-sso-link", "x-roku-reserved-roku-connect-token",
                           "cookie"}) {
    EXPECT_EQ(last[2].headers.at(name), "[redacted]") << name;
  }
  EXPECT_EQ(last[2].headers.at("x-device-info"), device_info("TV", "Bravia", "Android TV", "12"))
      << "device metadata stays readable";
  EXPECT_FALSE(last[2].headers.at("host").empty());

  // Not one secret anywhere in the answer.
  const std::string body = test_call("GET", "/test/requests").body;
  for (const std::string& secret : {access_token(), phone.service_token, joined.json("serviceToken").value_or("-"),
                                    phone.device_id, device_id("tv"), code, std::string("alice-the-sso-id"),
                                    std::string("cookie-secret"), std::string("eyJhbGciOiJub25lIn0.e30.roku")}) {
    ASSERT_FALSE(secret.empty());
    EXPECT_EQ(body.find(secret), std::string::npos) << "found " << secret;
  }
}

TEST_F(TestControlTest, RecordsFaultedAndDroppedAnswersWithTheirStatus) {
  const SignedIn phone = sign_in("phone", "alice");
  ASSERT_EQ(add_fault(R"({"route":"POST /api/{sp}/link","status":503,"code":"internal_error"})").status, 200);
  ASSERT_EQ(add_fault(R"({"route":"GET /api/{sp}/list","drop":true})").status, 200);
  EXPECT_EQ(link(phone).status, 503);
  EXPECT_THROW(list(phone), std::runtime_error);
  const std::vector<RecordedCall> calls = recorded(2);
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].route, "/api/{sp}/link");
  EXPECT_EQ(calls[0].status, 503);
  EXPECT_EQ(calls[1].route, "/api/{sp}/list");
  EXPECT_EQ(calls[1].status, 0) << "closed without an answer";
}

TEST_F(TestControlTest, LimitGivesTheLastNOldestFirst) {
  const SignedIn phone = sign_in("phone", "alice");
  link(phone);
  list(phone);
  call("GET", "/api/demo/nothing");
  const std::vector<RecordedCall> two = recorded(2);
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[0].route, "/api/{sp}/list");
  EXPECT_EQ(two[1].route, "(none)");
  EXPECT_EQ(two[1].status, 404);
  EXPECT_EQ(recorded(1000).size(), recorded().size());
  for (const char* limit : {"0", "-1", "abc", "1001", "", "2.5"}) {
    expect_error(test_call("GET", std::string("/test/requests?limit=") + limit), 400, "request_invalid");
  }
}

TEST_F(TestControlTest, ResetClearsFaultsRecordsAndTheOffsetAndKeepsStoredData) {
  const SignedIn phone = sign_in("phone", "alice");
  const std::string code = create_link_code(phone);
  ASSERT_EQ(add_fault(R"({"route":"GET /api/{sp}/list","status":500,"code":"internal_error","count":3})").status,
            200);
  ASSERT_EQ(advance(120).status, 200);
  ASSERT_FALSE(recorded().empty());

  const HttpResponse reset = test_call("POST", "/test/reset");
  ASSERT_EQ(reset.status, 200) << reset.body;
  EXPECT_EQ(reset.json("status"), "OK");
  EXPECT_EQ(test_call("GET", "/test/clock").json("offsetSeconds"), "0");
  EXPECT_TRUE(recorded().empty());
  const HttpResponse listed = list(phone);
  EXPECT_EQ(listed.status, 200) << "the fault is gone: " << listed.body;
  EXPECT_TRUE(listed.has_json("devices." + phone.device_id)) << "stored data stays";
  EXPECT_EQ(redeem("tv", code).status, 201) << "the stored code still redeems";
}

}  // namespace
}  // namespace ssokit::testing::test_control
