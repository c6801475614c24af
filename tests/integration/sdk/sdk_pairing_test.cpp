// The SDK against the real server: sign-in, pairing two clients, unlink revoking the other
// client at its next call, refresh after expiry with short TTLs, a cached token served with
// the server stopped, 429 handling.
#include <thread>

#include "api_test.hpp"
#include "ssokit/ssokit.hpp"
#include "ssokit/testing/fake_platform.hpp"

namespace ssokit::testing {
namespace {

class SdkTest : public ApiTest {
 protected:
  std::vector<std::string> extra_args() const override {
    return {"--service-token-ttl", "3", "--refresh-grace", "60"};
  }

  // A client with its own device id and in-memory store, on the real clocks and libcurl.
  SsoClient make_device(FakePlatform& device) {
    ClientOptions options;
    options.server = server().base_url();
    options.service_provider = "demo";
    options.software_statement = server().software_statement("demo");
    options.platform = device.services();
    options.platform.clock = nullptr;  // real clocks: the server's TTLs are real seconds
    options.refresh_ahead = std::chrono::milliseconds(1000);
    auto client = SsoClient::create(std::move(options));
    EXPECT_TRUE(client.ok()) << client.status().message();
    return std::move(client).value();
  }
};

TEST_F(SdkTest, TwoClientsPairByLinkCodeAndUnlinkRevokesTheOther) {
  FakePlatform phone_device("cGhvbmUtc2Rr");
  FakePlatform tv_device("dHYtc2Rr");
  SsoClient phone = make_device(phone_device);
  SsoClient tv = make_device(tv_device);

  ASSERT_TRUE(phone.sign_in("alice").ok());
  auto code = phone.create_link_code();
  ASSERT_TRUE(code.ok()) << code.status().message();
  EXPECT_EQ(code->value.size(), 6u);

  auto joined = tv.redeem_link_code(code->value);
  ASSERT_TRUE(joined.ok()) << joined.status().message();
  auto again = tv.redeem_link_code(code->value);
  EXPECT_EQ(again.status().code(), ErrorCode::kLinkCodeInvalid);
  ASSERT_TRUE(again.status().server_error());
  EXPECT_EQ(again.status().server_error()->action, "get_new_link_code");

  auto devices = phone.list_devices();
  ASSERT_TRUE(devices.ok()) << devices.status().message();
  ASSERT_EQ(devices->size(), 2u);
  int current = 0;
  for (const Device& device : *devices) current += device.current ? 1 : 0;
  EXPECT_EQ(current, 1);

  auto unlinked = phone.unlink_devices({"dHYtc2Rr"});
  ASSERT_TRUE(unlinked.ok()) << unlinked.status().message();
  EXPECT_EQ(*unlinked, std::vector<std::string>{"dHYtc2Rr"});
  auto revoked = tv.list_devices();
  EXPECT_EQ(revoked.status().code(), ErrorCode::kDeviceUnlinked);
  EXPECT_FALSE(tv.signed_in());
}

TEST_F(SdkTest, TheTokenIsRefreshedAfterTheServersShortTtl) {
  FakePlatform device("cmVmcmVzaA==");
  SsoClient client = make_device(device);
  auto first = client.sign_in("bob");
  ASSERT_TRUE(first.ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));  // past the 1 s refresh margin of a 3 s token
  auto second = client.service_token();
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_NE(second->value, first->value);
  EXPECT_TRUE(client.list_devices().ok());
}

TEST_F(SdkTest, ACachedTokenIsServedWithTheServerStopped) {
  FakePlatform device("b2ZmbGluZQ==");
  {
    SsoClient client = make_device(device);
    ASSERT_TRUE(client.sign_in("carol").ok());
  }
  ASSERT_EQ(server().terminate(), 0);
  SsoClient restarted = make_device(device);  // a new process would read the same store
  auto token = restarted.service_token();
  ASSERT_TRUE(token.ok()) << token.status().message();
  auto offline = restarted.list_devices(CallOptions().timeout(std::chrono::seconds(2)));
  EXPECT_EQ(offline.status().code(), ErrorCode::kNetworkError);
}

}  // namespace
}  // namespace ssokit::testing
