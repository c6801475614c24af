// The SDK against the server's rules: the per-device throttle (429 with Retry-After, which
// the SDK waits out) and platform identity sign-in with a Roku-style connect token.
#include "api_test.hpp"
#include "files.hpp"
#include "jose/jwk.hpp"
#include "jose/jws.hpp"
#include "json_text.hpp"
#include "jwt.hpp"
#include "metrics_text.hpp"
#include "server_process.hpp"
#include "ssokit/ssokit.hpp"
#include "ssokit/testing/fake_platform.hpp"

namespace ssokit::testing {
namespace {

SsoClient make_client(const std::string& base_url, const std::string& statement, FakePlatform& device) {
  ClientOptions options;
  options.server = base_url;
  options.service_provider = "demo";
  options.software_statement = statement;
  options.platform = device.services();
  options.platform.clock = nullptr;  // real time: the server's Retry-After is real seconds
  auto client = SsoClient::create(std::move(options));
  EXPECT_TRUE(client.ok()) << client.status().message();
  return std::move(client).value();
}

class SdkThrottleTest : public ApiTest {
 protected:
  std::vector<std::string> extra_args() const override { return {"--device-rate", "2/1"}; }
};

TEST_F(SdkThrottleTest, TheSdkWaitsOutRetryAfterAndSucceeds) {
  FakePlatform device("dGhyb3R0bGVk");
  SsoClient client = make_client(server().base_url(), server().software_statement("demo"), device);
  ASSERT_TRUE(client.sign_in("dave").ok());
  // A burst of 2, then 1 per second: the third and fourth calls meet 429 and wait.
  for (int i = 0; i < 4; ++i) {
    auto devices = client.list_devices(CallOptions().timeout(std::chrono::seconds(10)));
    ASSERT_TRUE(devices.ok()) << i << ": " << devices.status().message();
  }
  const std::string metrics = call("GET", "/metrics").body;
  EXPECT_GE(metric_value(metrics, "ssokit_rate_limited_total{limit=\"device\"}").value_or(0), 1.0) << metrics;
}

TEST_F(SdkThrottleTest, ARetryAfterBeyondTheDeadlineIsReturnedAsRateLimited) {
  FakePlatform device("aHVycmllZA==");
  SsoClient client = make_client(server().base_url(), server().software_statement("demo"), device);
  ASSERT_TRUE(client.sign_in("erin").ok());
  ASSERT_TRUE(client.list_devices().ok());
  auto limited = client.list_devices(CallOptions().timeout(std::chrono::milliseconds(300)));
  ASSERT_FALSE(limited.ok());
  EXPECT_EQ(limited.status().code(), ErrorCode::kRateLimited);
  EXPECT_GE(limited.status().retry_after(), std::chrono::seconds(1));
}

class SdkPlatformIdentityTest : public ApiTest {
 protected:
  void SetUp() override {
    key_ = std::make_unique<jose::Jwk>(jose::Jwk::generate_ec_p256());
    keys_dir_ = std::make_unique<TempDir>();
    pem_path_ = keys_dir_->path() + "/tizen.pem";
    write_file(pem_path_, key_->to_public_pem().value());
    ApiTest::SetUp();
  }
  std::vector<std::string> extra_args() const override { return {"--platform-issuer", "tizen=" + pem_path_}; }

  std::string connect_token(const std::string& sub) const {
    const auto now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    const std::string claims =
        R"({"iss":"tizen","sub":")" + sub + R"(","aud":"demo","exp":)" + std::to_string(now + 600) + "}";
    jose::SignOptions options;
    options.alg = "ES256";
    return jose::sign_compact(claims, *key_, options);
  }

  std::unique_ptr<jose::Jwk> key_;
  std::unique_ptr<TempDir> keys_dir_;
  std::string pem_path_;
};

TEST_F(SdkPlatformIdentityTest, SignsInAsThePlatformAccount) {
  FakePlatform tv("cGxhdGZvcm0tdHY=");
  tv.connect_token = connect_token("account-42");
  SsoClient client = make_client(server().base_url(), server().software_statement("demo"), tv);
  auto token = client.sign_in_with_platform_identity();
  ASSERT_TRUE(token.ok()) << token.status().message();
  // `sub` is an opaque pseudonym of the profile (SPEC §2): never the account it was made from.
  const std::string sub = as_json(jwt_payload_json(token->value)).json("sub").value_or("");
  EXPECT_FALSE(sub.empty());
  EXPECT_NE(sub, "tizen:account-42");
  EXPECT_NE(sub, "account-42");

  // A second device of the same platform account joins the same profile, with the same sub.
  FakePlatform other("cGxhdGZvcm0tb3RoZXI=");
  other.connect_token = connect_token("account-42");
  SsoClient second = make_client(server().base_url(), server().software_statement("demo"), other);
  auto second_token = second.sign_in_with_platform_identity();
  ASSERT_TRUE(second_token.ok()) << second_token.status().message();
  EXPECT_EQ(as_json(jwt_payload_json(second_token->value)).json("sub").value_or(""), sub);
  auto devices = second.list_devices();
  ASSERT_TRUE(devices.ok()) << devices.status().message();
  EXPECT_EQ(devices->size(), 2u);
}

TEST_F(SdkPlatformIdentityTest, WithoutAPlatformTokenTheCallIsRefusedLocally) {
  FakePlatform tv("bm8tdG9rZW4=");
  SsoClient client = make_client(server().base_url(), server().software_statement("demo"), tv);
  EXPECT_EQ(client.sign_in_with_platform_identity().status().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace ssokit::testing
