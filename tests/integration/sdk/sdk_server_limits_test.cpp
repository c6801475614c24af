// The SDK against the server's limits on what a client creates (SPEC §2, §6.3): 429
// too_many_requests on the client routes (/o/client/register and /o/client/token answer it
// OAuth-shaped) is kRateLimited, waited out within the call's deadline when short; 403
// device_limit_reached is kDeviceLimitReached. And the service token's opaque `sub`: the same
// for every device of a profile, whatever way it joined, never the id that was sent.
#include "api_test.hpp"
#include "json_text.hpp"
#include "jwt.hpp"
#include "metrics_text.hpp"
#include "ssokit/ssokit.hpp"
#include "ssokit/testing/fake_platform.hpp"

namespace ssokit::testing {
namespace {

using std::chrono::seconds;

// A client on the real clocks and libcurl, with its own device id and in-memory store.
SsoClient make_client(const ServerProcess& server, FakePlatform& device) {
  ClientOptions options;
  options.server = server.base_url();
  options.service_provider = "demo";
  options.software_statement = server.software_statement("demo");
  options.platform = device.services();
  options.platform.clock = nullptr;  // the server's Retry-After is real seconds
  auto client = SsoClient::create(std::move(options));
  EXPECT_TRUE(client.ok()) << client.status().message();
  return std::move(client).value();
}

std::string sub_of(const ServiceToken& token) {
  return as_json(jwt_payload_json(token.value)).json("sub").value_or("");
}

// The fixture registers a client and gets its token from 127.0.0.1 before each test: two of
// the address's creations.
class SdkAddressRateTest : public ApiTest {
 protected:
  std::vector<std::string> extra_args() const override { return {"--address-rate", "3/600"}; }
};

TEST_F(SdkAddressRateTest, ALimitedRegistrationOrAccessTokenIsRateLimitedWithTheServersRetryAfter) {
  // The third creation (this registration) passes; the access token after it is refused.
  FakePlatform first_device("YWRkcmVzcy0x");
  SsoClient first = make_client(server(), first_device);
  auto token = first.sign_in("alice");
  ASSERT_EQ(token.status().code(), ErrorCode::kRateLimited) << token.status().message();
  ASSERT_TRUE(token.status().server_error());
  EXPECT_EQ(token.status().server_error()->code, "too_many_requests");
  EXPECT_EQ(token.status().http_status(), 429);
  // 600 s for 3: one more in 200 s, beyond the 30 s the SDK waits by itself.
  EXPECT_GT(token.status().retry_after(), seconds(30));
  EXPECT_LE(token.status().retry_after(), std::chrono::hours(1));
  EXPECT_EQ(first_device.store->contents().count("client_id"), 1u) << "the registration went through";

  // A new installation: its registration is refused the same way.
  FakePlatform second_device("YWRkcmVzcy0y");
  SsoClient second = make_client(server(), second_device);
  auto refused = second.sign_in("alice");
  ASSERT_EQ(refused.status().code(), ErrorCode::kRateLimited) << refused.status().message();
  EXPECT_EQ(refused.status().server_error()->code, "too_many_requests");
  EXPECT_EQ(second_device.store->contents().count("client_id"), 0u);
}

class SdkShortAddressRateTest : public ApiTest {
 protected:
  // One creation every 3 s after a burst of 3: short enough for the SDK to wait out.
  std::vector<std::string> extra_args() const override { return {"--address-rate", "3/9"}; }
};

TEST_F(SdkShortAddressRateTest, TheSdkWaitsOutAShortLimitOnTheClientRoutes) {
  FakePlatform device("c2hvcnQtbGltaXQ=");
  SsoClient client = make_client(server(), device);
  auto token = client.sign_in("alice", CallOptions().timeout(seconds(30)));
  ASSERT_TRUE(token.ok()) << token.status().message();
  const std::string metrics = call("GET", "/metrics").body;
  EXPECT_GE(metric_value(metrics, "ssokit_rate_limited_total{limit=\"address_create\"}").value_or(0), 1.0) << metrics;
}

class SdkDeviceLimitTest : public ApiTest {
 protected:
  std::vector<std::string> extra_args() const override { return {"--max-devices", "1"}; }
};

TEST_F(SdkDeviceLimitTest, AFullProfileRefusesSignInAndRedemptionWithDeviceLimitReached) {
  FakePlatform phone_device("ZnVsbC1waG9uZQ==");
  FakePlatform tv_device("ZnVsbC10dg==");
  SsoClient phone = make_client(server(), phone_device);
  SsoClient tv = make_client(server(), tv_device);
  ASSERT_TRUE(phone.sign_in("alice").ok());
  ASSERT_TRUE(phone.sign_in("alice").ok()) << "a device already in the profile is not a new one";

  auto signed_in = tv.sign_in("alice");
  ASSERT_EQ(signed_in.status().code(), ErrorCode::kDeviceLimitReached) << signed_in.status().message();
  ASSERT_TRUE(signed_in.status().server_error());
  EXPECT_EQ(signed_in.status().server_error()->code, "device_limit_reached");
  EXPECT_EQ(signed_in.status().server_error()->action, "unlink_devices");
  EXPECT_EQ(signed_in.status().http_status(), 403);

  auto code = phone.create_link_code();
  ASSERT_TRUE(code.ok()) << code.status().message();
  auto joined = tv.redeem_link_code(code->value);
  EXPECT_EQ(joined.status().code(), ErrorCode::kDeviceLimitReached) << joined.status().message();
  EXPECT_FALSE(tv.signed_in());
}

using SdkSubjectTest = ApiTest;

TEST_F(SdkSubjectTest, EveryDeviceOfAProfileGetsTheSameOpaqueSub) {
  FakePlatform phone_device("c3ViLXBob25l");
  FakePlatform tv_device("c3ViLXR2");
  FakePlatform other_device("c3ViLW90aGVy");
  SsoClient phone = make_client(server(), phone_device);
  SsoClient tv = make_client(server(), tv_device);
  SsoClient other = make_client(server(), other_device);

  auto phone_token = phone.sign_in("alice@example.com");
  ASSERT_TRUE(phone_token.ok()) << phone_token.status().message();
  const std::string sub = sub_of(*phone_token);
  EXPECT_FALSE(sub.empty());
  EXPECT_NE(sub, "alice@example.com");

  auto code = phone.create_link_code();
  ASSERT_TRUE(code.ok()) << code.status().message();
  auto tv_token = tv.redeem_link_code(code->value);
  ASSERT_TRUE(tv_token.ok()) << tv_token.status().message();
  EXPECT_EQ(sub_of(*tv_token), sub) << "joined by code, same profile";
  auto refreshed = tv.service_token(CallOptions());
  ASSERT_TRUE(refreshed.ok());
  EXPECT_EQ(sub_of(*refreshed), sub);

  auto other_token = other.sign_in("bob@example.com");
  ASSERT_TRUE(other_token.ok()) << other_token.status().message();
  EXPECT_NE(sub_of(*other_token), sub) << "another profile";
}

}  // namespace
}  // namespace ssokit::testing
