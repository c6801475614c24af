// The server's limits on what a client creates: 429 too_many_requests on the client routes
// (/o/client/register, /o/client/token, OAuth-shaped) is kRateLimited and waited out like
// any other 429, within the call's deadline; 403 device_limit_reached is its own code.
#include "client_fixture.hpp"

namespace ssokit::testing {
namespace {

using ServerLimitsTest = ClientTest;

std::string too_many_requests() {
  return R"({"error":"too_many_requests","error_description":"too many creations from this address"})";
}

TEST_F(ServerLimitsTest, ARateLimitedRegistrationIsWaitedOutAndRetried) {
  transport_->respond("POST", "/o/client/register", 429, too_many_requests(), {{"Retry-After", "2"}});
  script_registration();
  script_service_token("POST", "token-1", now_ms(*platform_.clock));
  const auto slept_before = platform_.clock->slept();
  auto token = client().sign_in("alice");
  ASSERT_TRUE(token.ok()) << token.status().message();
  EXPECT_EQ(platform_.clock->slept() - slept_before, std::chrono::seconds(2));
  EXPECT_EQ(transport_->count("POST", "/o/client/register"), 2u);
}

TEST_F(ServerLimitsTest, ARateLimitedAccessTokenIsWaitedOutAndRetried) {
  transport_->respond("POST", "/o/client/register", 201, R"({"client_id":"cid","client_secret":"secret"})");
  transport_->respond("POST", "/o/client/token", 429, too_many_requests(), {{"Retry-After", "1"}});
  script_access_token("access-1");
  script_service_token("POST", "token-1", now_ms(*platform_.clock));
  auto token = client().sign_in("alice");
  ASSERT_TRUE(token.ok()) << token.status().message();
  EXPECT_EQ(transport_->count("POST", "/o/client/token"), 2u);
}

TEST_F(ServerLimitsTest, ARateLimitBeyondTheWaitLimitIsReturnedWithItsRetryAfter) {
  transport_->respond("POST", "/o/client/register", 429, too_many_requests(), {{"Retry-After", "600"}});
  auto token = client().sign_in("alice");
  ASSERT_EQ(token.status().code(), ErrorCode::kRateLimited) << token.status().message();
  EXPECT_EQ(token.status().retry_after(), std::chrono::seconds(600));
  ASSERT_TRUE(token.status().server_error());
  EXPECT_EQ(token.status().server_error()->code, "too_many_requests");
  EXPECT_EQ(token.status().server_error()->http_status, 429);
  EXPECT_EQ(transport_->count("POST", "/o/client/register"), 1u);
  EXPECT_EQ(transport_->count("POST", "/serviceToken"), 0u);
}

TEST_F(ServerLimitsTest, ARateLimitedAccessTokenRespectsTheCallsDeadline) {
  transport_->respond("POST", "/o/client/register", 201, R"({"client_id":"cid","client_secret":"secret"})");
  transport_->respond("POST", "/o/client/token", 429, too_many_requests(), {{"Retry-After", "5"}});
  auto token = client().sign_in("alice", CallOptions().timeout(std::chrono::seconds(3)));
  ASSERT_EQ(token.status().code(), ErrorCode::kRateLimited) << token.status().message();
  EXPECT_EQ(token.status().retry_after(), std::chrono::seconds(5));
  EXPECT_EQ(platform_.clock->slept().count(), 0) << "a wait past the deadline is not started";
}

TEST_F(ServerLimitsTest, AFullProfileRefusesASignInWithDeviceLimitReached) {
  script_registration();
  const std::string full = error_body(403, "device_limit_reached", "unlink_devices");
  transport_->respond("POST", "/serviceToken", 403, full);
  auto token = client().sign_in("alice");
  ASSERT_EQ(token.status().code(), ErrorCode::kDeviceLimitReached) << token.status().message();
  ASSERT_TRUE(token.status().server_error());
  EXPECT_EQ(token.status().server_error()->action, "unlink_devices");
  EXPECT_EQ(transport_->count("POST", "/serviceToken"), 1u) << "not retried: nothing changes until a device goes";
  EXPECT_FALSE(client().signed_in());
}

TEST_F(ServerLimitsTest, AFullProfileRefusesARedemptionWithDeviceLimitReached) {
  script_registration();
  transport_->respond("POST", "/serviceToken", 403, error_body(403, "device_limit_reached", "unlink_devices"));
  auto joined = client().redeem_link_code("BCDF-GHJK");
  ASSERT_EQ(joined.status().code(), ErrorCode::kDeviceLimitReached) << joined.status().message();
  EXPECT_EQ(to_string(joined.status().code()), "device_limit_reached");
  EXPECT_FALSE(client().signed_in());
}

}  // namespace
}  // namespace ssokit::testing
