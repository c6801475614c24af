// Link codes with a fake clock: single use, expiry, the failure limits, and collisions.
#include <set>

#include "core/link_code_format.hpp"
#include "core_fixture.hpp"

namespace ssokit::server::testing {
namespace {

using LinkCodeTest = CoreTest;

TEST_F(LinkCodeTest, ACodeJoinsOneDeviceOnce) {
  const IssuedServiceToken phone = sign_in("cGhvbmU=", "alice");
  const auto code = sso_->create_link_code(with_token("cGhvbmU=", phone));
  ASSERT_TRUE(code.ok());
  EXPECT_EQ(code->not_after - code->not_before, config_.link_code_ttl_ms);

  SsoRequest tv = request_from("dHY=");
  tv.sso_link = code->code;
  const auto joined = sso_->create_service_token(tv);
  ASSERT_TRUE(joined.ok());
  EXPECT_EQ(tokens_->verify(joined->token->token, "demo", TokenUse::kCall)->sub,
            pseudonyms_.profile_id("demo", ProfileSource::kSsoId, "alice"));

  SsoRequest again = request_from("b3RoZXI=");
  again.sso_link = code->code;
  const auto reused = sso_->create_service_token(again);
  ASSERT_FALSE(reused.ok());
  EXPECT_STREQ(reused.error().code(), "link_code_invalid");
  EXPECT_EQ(events_.redemptions["redeemed"], 1);
  EXPECT_EQ(events_.redemptions["invalid"], 1);
}

TEST_F(LinkCodeTest, ACodeExpiresAtItsNotAfter) {
  const IssuedServiceToken phone = sign_in("cGhvbmU=", "alice");
  const auto code = sso_->create_link_code(with_token("cGhvbmU=", phone));
  ASSERT_TRUE(code.ok());
  clock_.set(code->not_after);
  SsoRequest tv = request_from("dHY=");
  tv.sso_link = code->code;
  const auto late = sso_->create_service_token(tv);
  ASSERT_FALSE(late.ok());
  EXPECT_STREQ(late.error().code(), "link_code_invalid");
}

TEST_F(LinkCodeTest, FailuresAreLimitedAndEvenTheRightCodeWaits) {
  config_.redeem_failures = RateLimit::per_window(3, 600);
  rebuild();
  const IssuedServiceToken phone = sign_in("cGhvbmU=", "alice");
  const auto code = sso_->create_link_code(with_token("cGhvbmU=", phone));
  ASSERT_TRUE(code.ok());
  const std::string wrong = code->code == "000000" ? "111111" : "000000";
  SsoRequest guess = request_from("YXR0YWNrZXI=");
  guess.sso_link = wrong;
  for (int i = 0; i < 3; ++i) {
    EXPECT_STREQ(sso_->create_service_token(guess).error().code(), "link_code_invalid") << i;
  }
  guess.sso_link = code->code;
  const auto limited = sso_->create_service_token(guess);
  ASSERT_FALSE(limited.ok());
  EXPECT_STREQ(limited.error().code(), "too_many_attempts");
  EXPECT_EQ(limited.error().retry_after_seconds, 200);  // one failure fits again after 600/3 s
  EXPECT_GE(events_.limited["redeem_device"] + events_.limited["redeem_address"], 1);

  clock_.advance(200'000);
  const auto later = sso_->create_service_token(guess);
  EXPECT_TRUE(later.ok()) << later.error().code();
}

TEST_F(LinkCodeTest, TheServiceProviderBudgetStopsADistributedGuesser) {
  config_.redeem_failures = RateLimit::per_window(1000, 600);
  config_.redeem_budget = RateLimit::per_window(4, 600);
  rebuild();
  for (int device = 0; device < 4; ++device) {
    SsoRequest guess = request_from("ZGV2aWNl" + std::to_string(device) + "A==");
    guess.client_address = "198.51.100." + std::to_string(device);
    guess.sso_link = "123456";
    EXPECT_STREQ(sso_->create_service_token(guess).error().code(), "link_code_invalid");
  }
  SsoRequest fresh = request_from("ZnJlc2g=");
  fresh.client_address = "203.0.113.9";
  fresh.sso_link = "123456";
  EXPECT_STREQ(sso_->create_service_token(fresh).error().code(), "too_many_attempts");
  EXPECT_EQ(events_.limited["redeem_service_provider"], 1);
}

TEST_F(LinkCodeTest, CollisionsDrawAgainAndAFullSpaceFailsCleanly) {
  StuckRandom stuck;
  code_random_ = &stuck;
  rebuild();
  const IssuedServiceToken phone = sign_in("cGhvbmU=", "alice");
  const auto first = sso_->create_link_code(with_token("cGhvbmU=", phone));
  ASSERT_TRUE(first.ok());
  // Every further draw is the same live code: the service gives up with a clear error.
  const auto second = sso_->create_link_code(with_token("cGhvbmU=", phone));
  ASSERT_FALSE(second.ok());
  EXPECT_STREQ(second.error().code(), "internal_error");
}

TEST_F(LinkCodeTest, LiveCodesPerProfileAreCapped) {
  config_.max_live_codes = 2;
  rebuild();
  const IssuedServiceToken phone = sign_in("cGhvbmU=", "alice");
  std::vector<std::string> codes;
  for (int i = 0; i < 3; ++i) {
    clock_.advance(1);
    codes.push_back(sso_->create_link_code(with_token("cGhvbmU=", phone))->code);
  }
  SsoRequest tv = request_from("dHY=");
  tv.sso_link = codes[0];
  EXPECT_STREQ(sso_->create_service_token(tv).error().code(), "link_code_invalid");
  tv.sso_link = codes[2];
  EXPECT_TRUE(sso_->create_service_token(tv).ok());
}

// The birthday odds: n codes drawn from S = 10^6 collide in about n(n-1)/(2S) pairs. With
// n = 20,000 that is 199.99; the count is close to Poisson, so 6 standard deviations is
// +-85. A biased generator (for example modulo bias or a stuck digit) lands far outside.
TEST(LinkCodeOddsTest, DrawnCodesCollideAtTheBirthdayRate) {
  const LinkCodeFormat format;
  CryptoRandom random;
  std::set<std::string> seen;
  constexpr int kDraws = 20'000;
  int collisions = 0;
  std::array<int, 10> digit_counts{};
  for (int i = 0; i < kDraws; ++i) {
    const std::string code = format.generate(random);
    ASSERT_EQ(code.size(), 6u);
    for (char c : code) ++digit_counts[static_cast<std::size_t>(c - '0')];
    if (!seen.insert(code).second) ++collisions;
  }
  const double expected = static_cast<double>(kDraws) * (kDraws - 1) / (2.0 * format.space_size());
  EXPECT_NEAR(collisions, expected, 85.0);
  // Every digit appears 12,000 times on average; allow 6 sigma (sqrt(12000 * 0.9) ~ 104).
  for (int count : digit_counts) EXPECT_NEAR(count, kDraws * 6 / 10, 624);
}

TEST(LinkCodeFormatTest, ParsesNamesAndBounds) {
  EXPECT_EQ(LinkCodeFormat::parse("digits:6")->name(), "digits:6");
  EXPECT_EQ(LinkCodeFormat::parse("base20:8")->alphabet(), "BCDFGHJKLMNPQRSTVWXZ");
  EXPECT_DOUBLE_EQ(LinkCodeFormat::parse("base20:8")->space_size(), 25'600'000'000.0);
  EXPECT_FALSE(LinkCodeFormat::parse("digits:3"));
  EXPECT_FALSE(LinkCodeFormat::parse("digits:17"));
  EXPECT_FALSE(LinkCodeFormat::parse("hex:6"));
  EXPECT_FALSE(LinkCodeFormat::parse("digits"));
  EXPECT_FALSE(LinkCodeFormat::parse("digits:6x"));
  EXPECT_EQ(LinkCodeFormat::parse("base20:8")->normalize("bcdf-ghjk"), "BCDFGHJK");
  EXPECT_EQ(LinkCodeFormat().normalize("123 456"), "123456");
}

}  // namespace
}  // namespace ssokit::server::testing
