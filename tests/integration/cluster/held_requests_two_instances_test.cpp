// SPEC §6.1 and §6.2 across instances: a request held on one instance wakes when the code
// changes through another (PostgreSQL LISTEN/NOTIFY), well within a blink.
#include <algorithm>
#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>

#include "api_test.hpp"
#include "sso_helpers.hpp"

namespace ssokit::testing {
namespace {

using Clock = std::chrono::steady_clock;

long long ms_since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

class HeldAcrossInstancesTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    second_ = start_another_instance(server(), data_dir() + "-b", server_args());
  }
  void TearDown() override {
    second_.reset();
    ApiTest::TearDown();
  }
  // A call to one instance; held calls run on a thread of their own.
  HttpResponse on(const std::string& base_url, const std::string& method, const std::string& target, Headers headers,
                  std::optional<std::string> body = std::nullopt) {
    if (std::none_of(headers.begin(), headers.end(), [](const auto& h) { return h.first == "Authorization"; })) {
      headers.emplace_back("Authorization", "Bearer " + access_token());
    }
    return send({method, base_url + target, headers, body});
  }
  static Headers about(const SignedIn& device, const std::string& code) {
    Headers headers = token_headers(device);
    headers.emplace_back("X-SSO-LINK", code);
    return headers;
  }
  const std::string& a() { return server().base_url(); }
  const std::string& b() { return second_->base_url(); }

  std::unique_ptr<ServerProcess> second_;
};

TEST_F(HeldAcrossInstancesTest, AStatusHeldOnOneInstanceWakesWhenTheCodeIsRedeemedOnTheOther) {
  const SignedIn phone = sign_in("phone", "alice");
  const std::string code = create_link_code(phone);
  auto held = std::async(std::launch::async,
                         [&] { return on(a(), "GET", path("link/status") + "?wait=20", about(phone, code)); });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const auto redeeming = Clock::now();
  const HttpResponse joined =
      on(b(), "POST", path("serviceToken"), {{"AP-Device-Identifier", fingerprint("tv")}, {"X-SSO-LINK", code}});
  ASSERT_EQ(joined.status, 201) << joined.body;
  ASSERT_EQ(held.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  const HttpResponse seen = held.get();
  EXPECT_LT(ms_since(redeeming), 1000) << "woken by the other instance's notification, not by the wait's end";
  EXPECT_EQ(seen.json("status"), "REDEEMED") << seen.body;
  EXPECT_EQ(seen.json("device.id"), device_id("tv"));
}

TEST_F(HeldAcrossInstancesTest, ARedemptionHeldOnOneInstanceGetsItsTokenWhenTheOtherApproves) {
  const SignedIn phone = sign_in("phone", "alice");
  Headers json = token_headers(phone);
  json.emplace_back("Content-Type", "application/json");
  const HttpResponse made = on(a(), "POST", path("link"), json, R"({"approval":"required"})");
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string code = made.json("code").value_or("");
  const Headers tv = {{"AP-Device-Identifier", fingerprint("tv")}, {"X-SSO-LINK", code}};
  ASSERT_EQ(on(a(), "POST", path("serviceToken"), tv).status, 202);
  auto held = std::async(std::launch::async, [&] { return on(a(), "POST", path("serviceToken") + "?wait=20", tv); });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const auto approving = Clock::now();
  ASSERT_EQ(on(b(), "POST", path("link/approve"), about(phone, code)).status, 200);
  ASSERT_EQ(held.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  const HttpResponse granted = held.get();
  EXPECT_LT(ms_since(approving), 1000);
  ASSERT_EQ(granted.status, 201) << granted.body;
  EXPECT_EQ(sso::sub_of(granted.json("serviceToken").value_or("")), sso::sub_of(phone.service_token));
}

}  // namespace
}  // namespace ssokit::testing
