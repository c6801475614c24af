// POST/DELETE /test/faults (SPEC §6.4): the next N calls of a route answer an error, arrive
// late, or lose their connection; then the route behaves as usual.
#include <chrono>
#include <future>
#include <thread>

#include "raw_socket.hpp"
#include "test_control_support.hpp"

namespace ssokit::testing::test_control {
namespace {

using namespace std::chrono_literals;
using Steady = std::chrono::steady_clock;

TEST_F(TestControlTest, AStatusFaultAnswersItsErrorForCountCallsThenTheRouteWorks) {
  const SignedIn phone = sign_in("phone", "alice");
  const HttpResponse added =
      add_fault(R"({"route":"POST /api/{sp}/link","status":503,"code":"internal_error","count":2})");
  ASSERT_EQ(added.status, 200) << added.body;
  EXPECT_EQ(added.json("status"), "OK");
  for (int i = 0; i < 2; ++i) {
    const HttpResponse faulted = link(phone);
    expect_error(faulted, 503, "internal_error");
    EXPECT_EQ(faulted.json("status"), "SERVICE_UNAVAILABLE");
    EXPECT_EQ(faulted.json("error.action"), "none");
    EXPECT_EQ(faulted.header("retry-after"), "1");
    EXPECT_EQ(list(phone).status, 200) << "another route is untouched";
  }
  const HttpResponse after = link(phone);
  EXPECT_EQ(after.status, 201) << after.body;
  EXPECT_EQ(listed_codes(phone.device_id).size(), 1u) << "the faulted calls made no code";

  const std::vector<HttpResponse> injected = log_lines(server().log(), "test control fault injected");
  ASSERT_EQ(injected.size(), 2u);
  EXPECT_EQ(injected[0].json("level"), "warn");
  EXPECT_EQ(injected[0].json("route"), "POST /api/{sp}/link");
  EXPECT_EQ(injected[0].json("fault"), "status 503");
}

TEST_F(TestControlTest, SpInTheRouteMatchesEveryServiceProvider) {
  const std::string other_access = new_access_token("other");
  ASSERT_EQ(add_fault(R"({"route":"GET /api/{sp}/list","status":429,"code":"too_many_requests","count":2})").status,
            200);
  const SignedIn phone = sign_in("phone", "alice");
  expect_error(list(phone), 429, "too_many_requests");
  const HttpResponse elsewhere = call("GET", "/api/other/list", {{"Authorization", "Bearer " + other_access}});
  expect_error(elsewhere, 429, "too_many_requests");
  EXPECT_EQ(elsewhere.json("error.action"), "retry");
  EXPECT_EQ(list(phone).status, 200);
}

TEST_F(TestControlTest, ADelayedAnswerArrivesLateWhileOtherConnectionsAreServed) {
  const SignedIn phone = sign_in("phone", "alice");
  ASSERT_EQ(add_fault(R"({"route":"GET /api/{sp}/list","delayMs":1500})").status, 200);
  const auto start = Steady::now();
  auto delayed = std::async(std::launch::async, [&] { return list(phone); });
  // The delayed call arrives first (it takes the fault); meanwhile others are answered.
  std::this_thread::sleep_for(200ms);
  const auto other_start = Steady::now();
  const HttpResponse meanwhile = refresh(phone);
  EXPECT_EQ(meanwhile.status, 200) << meanwhile.body;
  EXPECT_LT(Steady::now() - other_start, 1000ms);
  EXPECT_EQ(delayed.wait_for(0ms), std::future_status::timeout) << "the delayed call is still held";
  ASSERT_EQ(delayed.wait_for(10s), std::future_status::ready);
  const HttpResponse answer = delayed.get();
  EXPECT_GE(Steady::now() - start, 1500ms);
  EXPECT_EQ(answer.status, 200) << answer.body;
  EXPECT_TRUE(answer.has_json("devices." + phone.device_id)) << "the real handler answered: " << answer.body;
  EXPECT_EQ(list(phone).status, 200) << "count 1: the next call is not delayed";
}

TEST_F(TestControlTest, ADelayedWriteTakesEffect) {
  const SignedIn phone = sign_in("phone", "alice");
  ASSERT_EQ(add_fault(R"({"route":"POST /api/{sp}/link","delayMs":300})").status, 200);
  const auto start = Steady::now();
  const HttpResponse made = link(phone);
  EXPECT_GE(Steady::now() - start, 300ms);
  ASSERT_EQ(made.status, 201) << made.body;
  EXPECT_EQ(redeem("tv", made.json("code").value_or("")).status, 201);
}

TEST_F(TestControlTest, ADroppedCallClosesTheConnectionWithoutAnAnswer) {
  const SignedIn phone = sign_in("phone", "alice");
  ASSERT_EQ(add_fault(R"({"route":"GET /api/{sp}/list","drop":true,"count":2})").status, 200);
  // What a raw client sees: the connection closes and not one byte arrives.
  RawSocket socket(port());
  ASSERT_EQ(socket.send("GET /api/demo/list HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"), RawSocket::SendResult::kSent);
  EXPECT_TRUE(socket.wait_closed(5s));
  EXPECT_EQ(socket.received(), "");
  // And what an HTTP client sees.
  try {
    const HttpResponse answer = list(phone);
    ADD_FAILURE() << "an answer arrived: " << answer.status << " " << answer.body;
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("nothing"), std::string::npos) << e.what();
  }
  EXPECT_EQ(list(phone).status, 200);
}

TEST_F(TestControlTest, DeleteClearsEveryFault) {
  const SignedIn phone = sign_in("phone", "alice");
  ASSERT_EQ(add_fault(R"({"route":"POST /api/{sp}/link","status":500,"code":"internal_error","count":5})").status,
            200);
  ASSERT_EQ(add_fault(R"({"route":"GET /api/{sp}/list","drop":true,"count":5})").status, 200);
  expect_error(link(phone), 500, "internal_error");
  const HttpResponse cleared = test_call("DELETE", "/test/faults");
  ASSERT_EQ(cleared.status, 200) << cleared.body;
  EXPECT_EQ(link(phone).status, 201);
  EXPECT_EQ(list(phone).status, 200);
}

TEST_F(TestControlTest, BadFaultsAre400WithAClearMessage) {
  struct Case {
    std::string body;
    std::string says;
  };
  const std::vector<Case> cases = {
      {"not json", "JSON object"},
      {R"({"route":"POST /api/{sp}/link","status":503,"code":"no_such_code"})", "no_such_code"},
      {R"({"route":"POST /api/demo/link","drop":true})", "{sp}"},
      {R"({"route":"PUT /api/{sp}/link","drop":true})", "not a route"},
      {R"({"route":"POST /test/reset","drop":true})", "own routes"},
      {R"({"route":"POST /api/{sp}/link"})", "exactly one"},
      {R"({"route":"POST /api/{sp}/link","status":503})", "code is required"},
      {R"({"route":"POST /api/{sp}/link","status":299,"code":"internal_error"})", "status must be"},
      {R"({"route":"POST /api/{sp}/link","delayMs":0})", "delayMs"},
      {R"({"route":"POST /api/{sp}/link","drop":true,"count":0})", "count"},
      {R"({"route":"POST /api/{sp}/link","drop":true,"times":2})", "\"times\""},
  };
  for (const Case& c : cases) {
    const HttpResponse refused = add_fault(c.body);
    expect_error(refused, 400, "request_invalid");
    EXPECT_NE(refused.json("error.message").value_or("").find(c.says), std::string::npos)
        << c.body << " -> " << refused.body;
  }
  const SignedIn phone = sign_in("phone", "alice");
  EXPECT_EQ(link(phone).status, 201) << "no refused fault was queued";
}

}  // namespace
}  // namespace ssokit::testing::test_control
