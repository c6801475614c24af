// The header rules of POST serviceToken, checked in the core without HTTP.
#include "core/base64.hpp"
#include "core/device_info.hpp"
#include "core/json.hpp"
#include "core_fixture.hpp"

namespace ssokit::server::testing {
namespace {

using SsoRequestRulesTest = CoreTest;

TEST(DeviceIdentifierTest, AcceptsOnlyFingerprintWithBase64) {
  EXPECT_EQ(parse_device_identifier("fingerprint cGhvbmU="), "cGhvbmU=");
  EXPECT_EQ(parse_device_identifier("Fingerprint  cGhvbmU= "), "cGhvbmU=");
  EXPECT_EQ(parse_device_identifier("fingerprint abc-_Q"), "abc-_Q");  // base64url too
  EXPECT_FALSE(parse_device_identifier("cGhvbmU="));
  EXPECT_FALSE(parse_device_identifier("fingerprint "));
  EXPECT_FALSE(parse_device_identifier("fingerprint not base64!"));
  EXPECT_FALSE(parse_device_identifier("bearer cGhvbmU="));
  EXPECT_FALSE(parse_device_identifier("fingerprint " + std::string(kMaxDeviceIdLength + 4, 'A')));
}

TEST(DeviceInfoTest, ReadsLenientlyAndRenamesType) {
  const auto info = parse_device_info(base64_encode(R"({"type":"TV","model":"QE55","extra":1})"));
  ASSERT_TRUE(info);
  Json json = json_parse(*info);
  EXPECT_EQ(json_string(json.get(), "primaryHardwareType"), "TV");
  EXPECT_EQ(json_string(json.get(), "model"), "QE55");
  EXPECT_EQ(json_integer(json.get(), "extra"), 1);
  EXPECT_EQ(cJSON_GetObjectItemCaseSensitive(json.get(), "type"), nullptr);
  EXPECT_FALSE(parse_device_info("%%%"));
  EXPECT_FALSE(parse_device_info(base64_encode("[1,2]")));
  EXPECT_FALSE(parse_device_info(base64_encode("{\"a\":1} trailing")));
  EXPECT_FALSE(parse_device_info(""));
}

TEST(Base64Test, StrictDecoding) {
  EXPECT_EQ(base64_decode("aGVsbG8="), "hello");
  EXPECT_FALSE(base64_decode("aGVsbG8"));    // padding required
  EXPECT_FALSE(base64_decode("aGVsbG9="));   // non-zero trailing bits
  EXPECT_FALSE(base64_decode("aGV sbG8="));  // space
  EXPECT_EQ(base64url_decode("aGVsbG8"), "hello");
  EXPECT_EQ(base64url_encode("\xff\xfe"), "__4");
  EXPECT_EQ(base64_encode("hi"), "aGk=");
}

TEST_F(SsoRequestRulesTest, EachHeaderRuleAnswersItsCode) {
  SsoRequest request = request_from("cGhvbmU=");
  request.device_identifier.reset();
  EXPECT_STREQ(sso_->create_service_token(request).error().code(), "header_missing");

  request = request_from("cGhvbmU=");
  request.device_identifier = "cGhvbmU=";
  EXPECT_STREQ(sso_->create_service_token(request).error().code(), "header_invalid");

  request = request_from("cGhvbmU=");
  request.device_info = "not base64";
  EXPECT_STREQ(sso_->create_service_token(request).error().code(), "invalid_header_device_info");

  request = request_from("cGhvbmU=");
  request.sso_id = "alice";
  request.sso_link = "123456";
  const auto both = sso_->create_service_token(request);
  EXPECT_STREQ(both.error().code(), "request_invalid");
  EXPECT_STREQ(both.error().action(), "check_headers");

  request = request_from("cGhvbmU=");
  request.sso_id = "";
  EXPECT_STREQ(sso_->create_service_token(request).error().code(), "header_invalid");
  request.sso_id = std::string(257, 'a');
  EXPECT_STREQ(sso_->create_service_token(request).error().code(), "header_invalid");
  request.sso_id = std::string(256, 'a');
  EXPECT_TRUE(sso_->create_service_token(request).ok());
}

TEST_F(SsoRequestRulesTest, WithoutAnySourceTheDeviceIdIsTheCommonId) {
  const auto token = sso_->create_service_token(request_from("cGhvbmU="));
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(tokens_->verify(token->token->token, "demo", TokenUse::kCall)->sub,
            pseudonyms_.profile_id("demo", ProfileSource::kDeviceId, "cGhvbmU="));

  config_.require_sso_id = true;
  rebuild();
  const auto refused = sso_->create_service_token(request_from("cGhvbmU="));
  ASSERT_FALSE(refused.ok());
  EXPECT_STREQ(refused.error().code(), "header_missing");
}

TEST_F(SsoRequestRulesTest, AnUnusablePlatformTokenIsIgnoredAndCounted) {
  SsoRequest request = request_from("cGhvbmU=");
  request.platform_token = "not.a.token";
  const auto token = sso_->create_service_token(request);
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(tokens_->verify(token->token->token, "demo", TokenUse::kCall)->sub,
            pseudonyms_.profile_id("demo", ProfileSource::kDeviceId, "cGhvbmU="));
  EXPECT_EQ(events_.rejected["malformed"], 1);
}

TEST_F(SsoRequestRulesTest, TheDeviceThrottleRefusesPastTheBurst) {
  config_.device_rate = RateLimit{1000, 2};
  rebuild();
  EXPECT_TRUE(sso_->create_service_token(request_from("cGhvbmU=")).ok());
  EXPECT_TRUE(sso_->create_service_token(request_from("cGhvbmU=")).ok());
  const auto refused = sso_->create_service_token(request_from("cGhvbmU="));
  ASSERT_FALSE(refused.ok());
  EXPECT_STREQ(refused.error().code(), "too_many_requests");
  EXPECT_EQ(refused.error().retry_after_seconds, 1);
  EXPECT_TRUE(sso_->create_service_token(request_from("dHY=")).ok()) << "another device is not affected";
  clock_.advance(1000);
  EXPECT_TRUE(sso_->create_service_token(request_from("cGhvbmU=")).ok());
  EXPECT_EQ(events_.limited["device"], 1);
}

TEST_F(SsoRequestRulesTest, UnlinkRevokesAtTheNextCall) {
  const IssuedServiceToken phone = sign_in("cGhvbmU=", "alice");
  const IssuedServiceToken tablet = sign_in("dGFibGV0", "alice");
  const auto removed = sso_->unlink(with_token("cGhvbmU=", phone), {"dGFibGV0", "unknown", "dGFibGV0"});
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(removed.value(), std::vector<std::string>{"dGFibGV0"});
  const auto after = sso_->list_devices(with_token("dGFibGV0", tablet));
  ASSERT_FALSE(after.ok());
  EXPECT_STREQ(after.error().code(), "device_unlinked");
  const auto refresh = sso_->refresh_service_token(with_token("dGFibGV0", tablet));
  EXPECT_STREQ(refresh.error().code(), "device_unlinked");
}

TEST_F(SsoRequestRulesTest, ATokenWorksOnlyFromItsOwnDevice) {
  const IssuedServiceToken phone = sign_in("cGhvbmU=", "alice");
  sign_in("dHY=", "alice");
  SsoRequest replay = request_from("dHY=");
  replay.service_token = phone.token;
  const auto refused = sso_->list_devices(replay);
  ASSERT_FALSE(refused.ok());
  EXPECT_STREQ(refused.error().code(), "header_invalid");
  EXPECT_EQ(refused.error().http_status(), 401);
}

}  // namespace
}  // namespace ssokit::server::testing
