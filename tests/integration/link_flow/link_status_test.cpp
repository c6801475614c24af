// SPEC §6.1: GET /api/{sp}/link/status, answered at once or held until the code changes.
#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "link_flow_helpers.hpp"
#include "sso_helpers.hpp"

namespace ssokit::testing::link_flow {
namespace {

using sso::expect_error;

TEST_F(LinkFlowTest, AFreshCodeIsWaitingWithItsNotAfterAndNoDevice) {
  const SignedIn phone = sign_in("phone", "alice");
  const HttpResponse made = call("POST", path("link"), token_headers(phone));
  ASSERT_EQ(made.status, 201) << made.body;
  EXPECT_EQ(made.json("approval"), "optional");
  const HttpResponse seen = status(phone, made.json("code").value_or(""));
  ASSERT_EQ(seen.status, 200) << seen.body;
  EXPECT_EQ(seen.json("status"), "WAITING");
  EXPECT_EQ(seen.json("notAfter"), made.json("notAfter"));
  EXPECT_FALSE(seen.has_json("device")) << seen.body;
}

TEST_F(LinkFlowTest, AHeldStatusAnswersWithinABlinkOfTheRedemption) {
  const SignedIn phone = sign_in("phone", "alice");
  const std::string code = create_link_code(phone);
  const auto started = Clock::now();
  auto held = status_later(phone, code, "20");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ASSERT_EQ(held.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout) << "answered before any change";
  const HttpResponse joined = redeem_as("tv", code);
  const auto redeemed = Clock::now();
  ASSERT_EQ(joined.status, 201) << joined.body;
  ASSERT_EQ(held.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  const HttpResponse seen = held.get();
  EXPECT_LT(ms_since(redeemed), 1000) << "the held request must wake on the redemption, not at its wait's end";
  EXPECT_GE(ms_since(started), 300);
  ASSERT_EQ(seen.status, 200) << seen.body;
  EXPECT_EQ(seen.json("status"), "REDEEMED");
  EXPECT_EQ(seen.json("device.id"), device_id("tv"));
  EXPECT_EQ(seen.json("device.deviceType"), "TV");
  EXPECT_EQ(seen.json("device.model"), "QE55");
  EXPECT_EQ(seen.json("device.os"), "Tizen");
  EXPECT_EQ(seen.json("device.osVersion"), "7.0");
  EXPECT_EQ(seen.json("device.type"), "sso");
  EXPECT_TRUE(seen.has_json("device.lastSeen"));
  // The same entry list shows.
  const HttpResponse listed = call("GET", path("list"), token_headers(phone));
  EXPECT_EQ(listed.json("devices." + device_id("tv") + ".model"), "QE55");
}

TEST_F(LinkFlowTest, ACodeNoLongerWaitingAnswersAtOnceWhateverTheWait) {
  const SignedIn phone = sign_in("phone", "alice");
  const std::string code = create_link_code(phone);
  join("tv", code);
  const auto started = Clock::now();
  const HttpResponse seen = status(phone, code, "30");
  EXPECT_LT(ms_since(started), 2000);
  EXPECT_EQ(seen.json("status"), "REDEEMED") << seen.body;
}

TEST_F(LinkFlowTest, AHeldStatusAnswersWaitingWhenItsWaitEnds) {
  const SignedIn phone = sign_in("phone", "alice");
  const std::string code = create_link_code(phone);
  const auto started = Clock::now();
  const HttpResponse seen = status(phone, code, "1");
  EXPECT_GE(ms_since(started), 900);
  EXPECT_LT(ms_since(started), 5000);
  ASSERT_EQ(seen.status, 200) << seen.body;
  EXPECT_EQ(seen.json("status"), "WAITING");
}

TEST_F(LinkFlowTest, AWaitOutsideZeroToSixtySecondsIsRefused) {
  const SignedIn phone = sign_in("phone", "alice");
  const std::string code = create_link_code(phone);
  for (const std::string wait : {"61", "-1", "abc", "1.5", "", "999"}) {
    const HttpResponse refused = call("GET", path("link/status") + "?wait=" + wait, about(phone, code));
    expect_error(refused, 400, "invalid_parameter_wait", "none");
  }
  EXPECT_EQ(status(phone, code, "0").json("status"), "WAITING");
  expect_error(redeem_as("tv", code, "61"), 400, "invalid_parameter_wait", "none");
}

TEST_F(LinkFlowTest, OnlyTheDeviceThatMadeTheCodeReadsItAndNothingTellsOtherCodesApart) {
  const SignedIn phone = sign_in("phone", "alice");
  const SignedIn tablet = sign_in("tablet", "alice");  // same profile, not the code's maker
  const std::string code = create_link_code(phone);
  expect_error(status(tablet, code), 400, "link_code_invalid", "get_new_link_code");
  expect_error(status(phone, code == "123456" ? "654321" : "123456"), 400, "link_code_invalid", "get_new_link_code");
  const HttpResponse missing = call("GET", path("link/status"), token_headers(phone));
  EXPECT_EQ(missing.status, 400) << missing.body;
  EXPECT_EQ(missing.json("error.code"), "header_missing");
  const HttpResponse no_token =
      call("GET", path("link/status"), {{"AP-Device-Identifier", fingerprint("phone")}, {"X-SSO-LINK", code}});
  EXPECT_EQ(no_token.status, 401) << no_token.body;
}

TEST_F(LinkFlowTest, ACodeRetiredByTheCapIsExpired) {
  const SignedIn phone = sign_in("phone", "alice");
  const std::string first = create_link_code(phone);
  for (int i = 0; i < 5; ++i) create_link_code(phone);  // the cap is 5 live codes
  const HttpResponse seen = status(phone, first, "10");
  ASSERT_EQ(seen.status, 200) << seen.body;
  EXPECT_EQ(seen.json("status"), "EXPIRED");
  EXPECT_FALSE(seen.has_json("device"));
}

class MaxWaitersTest : public LinkFlowTest {
 protected:
  std::vector<std::string> extra_args() const override { return {"--max-waiters", "2"}; }
};

TEST_F(MaxWaitersTest, HeldRequestsBeyondTheBoundAreRefusedWithRetryAfter) {
  const SignedIn phone = sign_in("phone", "alice");
  const std::string code = create_link_code(phone);
  auto first = status_later(phone, code, "10");
  auto second = status_later(phone, code, "10");
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const HttpResponse refused = status(phone, code, "10");
  expect_error(refused, 503, "too_many_waiters", "retry");
  EXPECT_FALSE(refused.header("retry-after").empty());
  EXPECT_EQ(status(phone, code).json("status"), "WAITING") << "a call that does not wait is not held";
  join("tv", code);
  EXPECT_EQ(first.get().json("status"), "REDEEMED");
  EXPECT_EQ(second.get().json("status"), "REDEEMED");
  EXPECT_EQ(status(phone, create_link_code(phone), "1").json("status"), "WAITING") << "room again";
}

TEST_F(MaxWaitersTest, AClientThatHangsUpGivesItsPlaceBackAtOnce) {
  const SignedIn phone = sign_in("phone", "alice");
  const std::string code = create_link_code(phone);
  for (int i = 0; i < 2; ++i) {
    // Held, then given up after 300 ms (curl's timeout closes the connection).
    auto given_up = std::async(std::launch::async, [&] {
      HttpRequest request{"GET", server().base_url() + path("link/status") + "?wait=30", about(phone, code), {}};
      request.headers.emplace_back("Authorization", "Bearer " + access_token());
      request.timeout_ms = 300;
      try {
        send(request);
        return false;
      } catch (const std::exception&) {
        return true;  // curl gave up and closed the connection
      }
    });
    EXPECT_TRUE(given_up.get()) << "answered before its wait ended";
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  // Both places are free again long before their 30-second waits end.
  auto first = status_later(phone, code, "10");
  auto second = status_later(phone, code, "10");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(first.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout);
  EXPECT_EQ(second.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout);
  join("tv", code);
  EXPECT_EQ(first.get().json("status"), "REDEEMED");
  EXPECT_EQ(second.get().json("status"), "REDEEMED");
}

TEST_F(LinkFlowTest, SigtermAnswersHeldRequestsAtOnceWithTheCurrentState) {
  const SignedIn phone = sign_in("phone", "alice");
  const std::string code = create_link_code(phone);
  auto held = status_later(phone, code, "60");
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const auto stopping = Clock::now();
  const int exit_status = server().terminate();
  ASSERT_EQ(held.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  const HttpResponse seen = held.get();
  EXPECT_LT(ms_since(stopping), 5000);
  ASSERT_EQ(seen.status, 200) << seen.body;
  EXPECT_EQ(seen.json("status"), "WAITING");
  EXPECT_EQ(exit_status, 0);
}

}  // namespace
}  // namespace ssokit::testing::link_flow
