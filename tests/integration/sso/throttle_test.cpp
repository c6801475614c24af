// SPEC §2: calls are throttled per device id (a burst, then a steady rate), answering 429
// too_many_requests (retry) with Retry-After.
#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

#include "metrics_text.hpp"
#include "sso_helpers.hpp"

namespace ssokit::testing::sso {
namespace {

class DeviceThrottleTest : public SsoTest {
  std::vector<std::string> extra_args() const override { return {"--device-rate", "3/1"}; }
};

TEST_F(DeviceThrottleTest, FourthRapidCallOfADeviceIsTooManyRequestsOthersUnaffected) {
  for (int i = 0; i < 3; ++i) {
    const HttpResponse ok = post_token("phone", {{"X-SSO-ID", "alice"}});
    ASSERT_EQ(ok.status, 201) << "call " << i << ": " << ok.body;
  }
  const HttpResponse limited = post_token("phone", {{"X-SSO-ID", "alice"}});
  expect_error(limited, 429, "too_many_requests", "retry");
  const std::string retry_after = limited.header("retry-after");
  ASSERT_FALSE(retry_after.empty());
  EXPECT_EQ(retry_after.find_first_not_of("0123456789"), std::string::npos) << retry_after;
  EXPECT_GT(std::atol(retry_after.c_str()), 0L);
  EXPECT_LE(std::atol(retry_after.c_str()), 1L);

  // Another device is unaffected.
  const HttpResponse tablet = post_token("tablet", {{"X-SSO-ID", "alice"}});
  EXPECT_EQ(tablet.status, 201) << tablet.body;

  EXPECT_GE(metric_sum(metrics(), "ssokit_rate_limited_total{"), 1.0);

  // After the advertised wait the device is served again.
  std::this_thread::sleep_for(std::chrono::milliseconds(1000 * std::atol(retry_after.c_str()) + 20));
  const HttpResponse again = post_token("phone", {{"X-SSO-ID", "alice"}});
  EXPECT_EQ(again.status, 201) << again.body;
}

TEST_F(DeviceThrottleTest, AuthenticatedCallsCountAgainstTheSameDevice) {
  const SignedIn phone = sign_in("phone", "alice");  // 1
  EXPECT_EQ(list(phone).status, 200);                // 2
  EXPECT_EQ(link(phone).status, 201);                // 3
  const HttpResponse limited = list(phone);          // 4
  expect_error(limited, 429, "too_many_requests", "retry");
  EXPECT_FALSE(limited.header("retry-after").empty());
}

}  // namespace
}  // namespace ssokit::testing::sso
