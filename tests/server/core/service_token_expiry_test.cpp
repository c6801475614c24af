// Service-token lifetime with a fake clock: the 60 s skew on calls, the refresh grace, and
// that neither stretches the other.
#include "core_fixture.hpp"

namespace ssokit::server::testing {
namespace {

using ServiceTokenExpiryTest = CoreTest;

TEST_F(ServiceTokenExpiryTest, LifetimeIsTheConfiguredTtl) {
  const IssuedServiceToken token = sign_in("cGhvbmU=", "alice");
  EXPECT_EQ(token.not_after - token.not_before, config_.service_token_ttl_ms);
  EXPECT_EQ(token.not_before, kStart);
}

TEST_F(ServiceTokenExpiryTest, CallsAcceptAnExpiredTokenOnlyWithinTheSkew) {
  const IssuedServiceToken token = sign_in("cGhvbmU=", "alice");
  clock_.set(token.not_after + config_.clock_skew_ms - 1);
  EXPECT_TRUE(sso_->list_devices(with_token("cGhvbmU=", token)).ok());
  clock_.set(token.not_after + config_.clock_skew_ms);
  const auto refused = sso_->list_devices(with_token("cGhvbmU=", token));
  ASSERT_FALSE(refused.ok());
  EXPECT_STREQ(refused.error().code(), "token_expired");
  EXPECT_EQ(refused.error().http_status(), 401);
}

TEST_F(ServiceTokenExpiryTest, RefreshWorksUntilTheGraceEndsAndNotAfter) {
  const IssuedServiceToken token = sign_in("cGhvbmU=", "alice");
  clock_.set(token.not_after + config_.refresh_grace_ms - 1);
  const auto refreshed = sso_->refresh_service_token(with_token("cGhvbmU=", token));
  ASSERT_TRUE(refreshed.ok()) << refreshed.error().message;
  EXPECT_EQ(refreshed->not_before, clock_.now_ms() / 1000 * 1000);

  clock_.set(token.not_after + config_.refresh_grace_ms);
  const auto late = sso_->refresh_service_token(with_token("cGhvbmU=", token));
  ASSERT_FALSE(late.ok());
  EXPECT_STREQ(late.error().code(), "token_expired");
}

TEST_F(ServiceTokenExpiryTest, TheSkewDoesNotStretchTheGrace) {
  config_.refresh_grace_ms = 0;
  rebuild();
  const IssuedServiceToken token = sign_in("cGhvbmU=", "alice");
  clock_.set(token.not_after + 1);  // inside the 60 s skew, but the grace is zero
  const auto refreshed = sso_->refresh_service_token(with_token("cGhvbmU=", token));
  ASSERT_FALSE(refreshed.ok());
  EXPECT_STREQ(refreshed.error().code(), "token_expired");
}

TEST_F(ServiceTokenExpiryTest, ATokenFromTheFutureIsRefused) {
  const IssuedServiceToken token = sign_in("cGhvbmU=", "alice");
  clock_.set(kStart - config_.clock_skew_ms - 1000);
  const auto refused = sso_->list_devices(with_token("cGhvbmU=", token));
  ASSERT_FALSE(refused.ok());
  EXPECT_STREQ(refused.error().code(), "header_invalid");
}

TEST_F(ServiceTokenExpiryTest, RefreshKeepsSubjectAndDevice) {
  const IssuedServiceToken token = sign_in("cGhvbmU=", "alice");
  clock_.advance(10'000);
  const auto refreshed = sso_->refresh_service_token(with_token("cGhvbmU=", token));
  ASSERT_TRUE(refreshed.ok());
  const auto claims = tokens_->verify(refreshed->token, "demo", TokenUse::kCall);
  ASSERT_TRUE(claims.ok());
  EXPECT_EQ(claims->sub, pseudonyms_.profile_id("demo", ProfileSource::kSsoId, "alice"));
  EXPECT_EQ(claims->did, "cGhvbmU=");
}

TEST_F(ServiceTokenExpiryTest, AnotherServiceProvidersTokenIsInvalidHere) {
  const IssuedServiceToken token = sign_in("cGhvbmU=", "alice");
  const auto claims = tokens_->verify(token.token, "other", TokenUse::kCall);
  ASSERT_FALSE(claims.ok());
  EXPECT_STREQ(claims.error().code(), "header_invalid");
}

TEST_F(ServiceTokenExpiryTest, KeyRotationKeepsOldTokensValid) {
  const IssuedServiceToken before = sign_in("cGhvbmU=", "alice");
  keys_->rotate(KeyPurpose::kServiceTokenHs256);
  const IssuedServiceToken after = sign_in("cGhvbmU=", "alice");
  EXPECT_TRUE(tokens_->verify(before.token, "demo", TokenUse::kCall).ok());
  EXPECT_TRUE(tokens_->verify(after.token, "demo", TokenUse::kCall).ok());
  EXPECT_NE(before.token.substr(0, before.token.find('.')), after.token.substr(0, after.token.find('.')))
      << "the new token's header should name the new kid";
}

}  // namespace
}  // namespace ssokit::server::testing
