// POST/GET /test/clock (SPEC §6.4): the server's clock moves forward, never back, and token,
// code and limit lifetimes and the Date header follow it.
#include <ctime>
#include <future>

#include "clock.hpp"
#include "test_control_support.hpp"

namespace ssokit::testing::test_control {
namespace {

TEST_F(TestControlTest, GetClockTellsNowAndTheOffset) {
  const HttpResponse clock = test_call("GET", "/test/clock");
  ASSERT_EQ(clock.status, 200) << clock.body;
  EXPECT_EQ(clock.json("offsetSeconds"), "0");
  EXPECT_NEAR(std::stod(clock.json("now").value_or("0")), static_cast<double>(now_ms()), 5000.0);
  EXPECT_EQ(clock.header("content-type"), "application/json; charset=utf-8");
}

TEST_F(TestControlTest, AdvancesAddUpAndTheAnswerHasTheGetShape) {
  const HttpResponse first = advance(3600);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.json("offsetSeconds"), "3600");
  EXPECT_NEAR(std::stod(first.json("now").value_or("0")), static_cast<double>(now_ms() + 3600 * 1000), 5000.0);
  const HttpResponse second = advance(60);
  EXPECT_EQ(second.json("offsetSeconds"), "3660");
  const HttpResponse read = test_call("GET", "/test/clock");
  EXPECT_EQ(read.json("offsetSeconds"), "3660");
  EXPECT_NEAR(std::stod(read.json("now").value_or("0")), static_cast<double>(now_ms() + 3660 * 1000), 5000.0);
}

TEST_F(TestControlTest, NeverRunsBackwardsAndRefusesBadBodies) {
  ASSERT_EQ(advance(100).status, 200);
  const HttpResponse backwards = advance(-10);
  expect_error(backwards, 400, "request_invalid");
  EXPECT_NE(backwards.json("error.message").value_or("").find("backwards"), std::string::npos);
  expect_error(test_call("POST", "/test/clock", "{\"advanceSeconds\":1.5}"), 400, "request_invalid");
  expect_error(test_call("POST", "/test/clock", "{\"advanceSeconds\":\"60\"}"), 400, "request_invalid");
  expect_error(test_call("POST", "/test/clock", "{}"), 400, "request_invalid");
  expect_error(test_call("POST", "/test/clock", "not json"), 400, "request_invalid");
  expect_error(test_call("POST", "/test/clock"), 400, "request_invalid");
  expect_error(advance(400LL * 365 * 24 * 3600), 400, "request_invalid");
  EXPECT_EQ(test_call("GET", "/test/clock").json("offsetSeconds"), "100") << "a refused move changes nothing";
}

TEST_F(TestControlTest, TheDateHeaderFollowsTheClock) {
  ASSERT_EQ(advance(2 * 86400).status, 200);
  const long long expected = static_cast<long long>(std::time(nullptr)) + 2 * 86400;
  for (const HttpResponse& response :
       {send({"GET", server().base_url() + "/healthz", {}, std::nullopt}), test_call("GET", "/test/clock"),
        call("GET", "/api/demo/nothing")}) {
    EXPECT_NEAR(static_cast<double>(parse_http_date(response.header("date"))), static_cast<double>(expected), 5.0)
        << response.header("date");
  }
  ASSERT_EQ(test_call("POST", "/test/reset").status, 200);
  const HttpResponse after_reset = send({"GET", server().base_url() + "/healthz", {}, std::nullopt});
  EXPECT_NEAR(static_cast<double>(parse_http_date(after_reset.header("date"))),
              static_cast<double>(std::time(nullptr)), 5.0);
}

TEST_F(TestControlTest, ALinkCodeExpiresWhenTheClockPassesItsLifetime) {
  const SignedIn phone = sign_in("phone", "alice");
  const std::string first = create_link_code(phone);
  const std::string second = create_link_code(phone);
  ASSERT_EQ(advance(599).status, 200);  // the default lifetime is 600 s
  const HttpResponse in_time = redeem("tv", first);
  EXPECT_EQ(in_time.status, 201) << in_time.body;
  ASSERT_EQ(advance(2).status, 200);
  expect_error(redeem("tablet", second), 400, "link_code_invalid");
}

class ShortTokens : public TestControlTest {
 protected:
  std::vector<std::string> more_args() const override {
    return {"--service-token-ttl", "100", "--refresh-grace", "300"};
  }
};

TEST_F(ShortTokens, AServiceTokenExpiresThenPassesTheRefreshGrace) {
  const SignedIn phone = sign_in("phone", "alice");
  ASSERT_EQ(list(phone).status, 200);
  ASSERT_EQ(advance(100 + 61).status, 200);  // past exp and the 60 s skew
  expect_error(list(phone), 401, "token_expired");
  const HttpResponse refreshed = refresh(phone);
  ASSERT_EQ(refreshed.status, 200) << "within the grace: " << refreshed.body;
  EXPECT_NEAR(std::stod(refreshed.json("notAfter").value_or("0")), static_cast<double>(now_ms() + 261 * 1000),
              5000.0)
      << "the new token's lifetime starts at the moved now";

  const SignedIn tablet = sign_in("tablet", "alice");
  ASSERT_EQ(advance(100 + 300).status, 200);  // the tablet's token: past exp + grace
  expect_error(refresh(tablet), 401, "token_expired");
}

TEST_F(TestControlTest, AHeldStatusRequestSeesItsCodeExpireWhenTheClockMoves) {
  const SignedIn phone = sign_in("phone", "alice");
  const HttpResponse made = link(phone);
  ASSERT_EQ(made.status, 201) << made.body;
  Headers headers = token_headers(phone);
  headers.emplace_back("X-SSO-LINK", made.json("code").value_or(""));
  auto status = std::async(std::launch::async, [&] { return call("GET", path("link/status?wait=30"), headers); });
  ASSERT_EQ(status.wait_for(std::chrono::milliseconds(300)), std::future_status::timeout) << "held while WAITING";
  ASSERT_EQ(advance(601).status, 200);
  ASSERT_EQ(status.wait_for(std::chrono::seconds(5)), std::future_status::ready) << "answered once the clock moved";
  const HttpResponse answer = status.get();
  EXPECT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(answer.json("status"), "EXPIRED");
}

}  // namespace
}  // namespace ssokit::testing::test_control
