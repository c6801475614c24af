// The SDK against the real server, about what a cached "OK" is worth: after the phone unlinks
// the TV, the TV's cached service token still answers, and service_token() with
// CallOptions::from_server asks the server and answers kDeviceUnlinked. And a short deadline
// against a closed port is kNetworkError, the failure, not kTimeout.
#include <chrono>

#include "api_test.hpp"
#include "ssokit/ssokit.hpp"
#include "ssokit/testing/fake_platform.hpp"

namespace ssokit::testing {
namespace {

// The server's default token lifetime (1 h): a token is served from the cache for the whole
// test, as it is on a TV between refreshes.
class SdkLinkCheckTest : public ApiTest {
 protected:
  SsoClient make_device(FakePlatform& device) {
    ClientOptions options;
    options.server = server().base_url();
    options.service_provider = "demo";
    options.software_statement = server().software_statement("demo");
    options.platform = device.services();
    options.platform.clock = nullptr;  // real clocks, as on a device
    auto client = SsoClient::create(std::move(options));
    EXPECT_TRUE(client.ok()) << client.status().message();
    return std::move(client).value();
  }

  static CallOptions from_server() { return CallOptions().from_server(true).timeout(std::chrono::seconds(10)); }
};

TEST_F(SdkLinkCheckTest, AfterAnUnlinkTheCacheStillAnswersAndAServerCheckSaysUnlinked) {
  FakePlatform phone_device("cGhvbmUtY2hlY2s=");
  FakePlatform tv_device("dHYtY2hlY2s=");
  SsoClient phone = make_device(phone_device);
  SsoClient tv = make_device(tv_device);
  ASSERT_TRUE(phone.sign_in("alice").ok());
  auto code = phone.create_link_code();
  ASSERT_TRUE(code.ok()) << code.status().message();
  auto joined = tv.redeem_link_code(code->value);
  ASSERT_TRUE(joined.ok()) << joined.status().message();

  // Still linked: the check succeeds with a fresh token of the same link.
  auto linked = tv.service_token(from_server());
  ASSERT_TRUE(linked.ok()) << linked.status().message();
  EXPECT_NE(linked->value, joined->value);

  auto unlinked = phone.unlink_devices({"dHYtY2hlY2s="});
  ASSERT_TRUE(unlinked.ok()) << unlinked.status().message();

  // The TV has not heard: its cache answers OK, and it looks signed in.
  auto cached = tv.service_token();
  ASSERT_TRUE(cached.ok()) << cached.status().message();
  EXPECT_EQ(cached->value, linked->value);
  EXPECT_TRUE(tv.signed_in());

  // Asking the server settles it, and signs the TV out locally.
  auto checked = tv.service_token(from_server());
  EXPECT_EQ(checked.status().code(), ErrorCode::kDeviceUnlinked) << checked.status().message();
  ASSERT_TRUE(checked.status().server_error());
  EXPECT_EQ(checked.status().server_error()->code, "device_unlinked");
  EXPECT_FALSE(tv.signed_in());
  EXPECT_EQ(tv.service_token().status().code(), ErrorCode::kNotSignedIn);

  // The phone is untouched.
  EXPECT_TRUE(phone.service_token(from_server()).ok());
}

TEST_F(SdkLinkCheckTest, OfflineACheckFailsButTheCachedTokenStays) {
  FakePlatform device("b2ZmbGluZS1jaGVjaw==");
  SsoClient client = make_device(device);
  ASSERT_TRUE(client.sign_in("carol").ok());
  ASSERT_EQ(server().terminate(), 0);

  const auto started = std::chrono::steady_clock::now();
  auto checked = client.service_token(CallOptions().from_server(true).timeout(std::chrono::milliseconds(300)));
  const auto took = std::chrono::steady_clock::now() - started;
  // A closed port refuses at once: the refusal is the answer, not kTimeout, and it comes by
  // the deadline (a retry that cannot start before it is not waited for).
  EXPECT_EQ(checked.status().code(), ErrorCode::kNetworkError) << checked.status().message();
  EXPECT_LT(took, std::chrono::milliseconds(1000));
  EXPECT_TRUE(client.signed_in());
  EXPECT_TRUE(client.service_token().ok()) << "offline is not unlinked: the cache still answers";
}

}  // namespace
}  // namespace ssokit::testing
