// SPEC §2: failed link-code redemptions are limited per device id, per client address and
// by a global budget per service provider: 429 too_many_attempts (retry) with Retry-After,
// and while limited even a correct code is refused. Every test client is on loopback; the
// tests reach other client addresses by binding to 127.0.0.2, 127.0.0.3...
#include <cstdlib>
#include <string>

#include "json_text.hpp"
#include "jwt.hpp"
#include "metrics_text.hpp"
#include "sso_helpers.hpp"

namespace ssokit::testing::sso {
namespace {

class RedeemLimitTest : public SsoTest {
 protected:
  // POST serviceToken with X-SSO-LINK from `device`, leaving from `address`.
  HttpResponse redeem_from(const std::string& address, const std::string& device, const std::string& code) {
    return send_from({"POST", server().base_url() + path("serviceToken"),
                      {{"Authorization", "Bearer " + access_token()},
                       {"AP-Device-Identifier", fingerprint(device)},
                       {"X-SSO-LINK", code}},
                      std::nullopt},
                     address);
  }
  static std::string wrong_code(const std::string& right, int n) {
    std::string code = "00000" + std::to_string(n);
    return code == right ? "99999" + std::to_string(n) : code;
  }
  static void expect_limited(const HttpResponse& response) {
    expect_error(response, 429, "too_many_attempts", "retry");
    const std::string retry_after = response.header("retry-after");
    ASSERT_FALSE(retry_after.empty()) << "no Retry-After";
    EXPECT_EQ(retry_after.find_first_not_of("0123456789"), std::string::npos) << retry_after;
    EXPECT_GT(std::atol(retry_after.c_str()), 0L) << retry_after;
    EXPECT_LE(std::atol(retry_after.c_str()), 600L) << retry_after;
  }
};

class RedeemFailuresTest : public RedeemLimitTest {
  std::vector<std::string> extra_args() const override {
    return {"--redeem-failures", "3/600", "--redeem-budget", "100000/600"};
  }
};

TEST_F(RedeemFailuresTest, ThreeFailuresLimitTheDeviceAndTheAddressEvenForACorrectCode) {
  const SignedIn phone = sign_in("phone", "alice");
  const std::string code = create_link_code(phone);

  for (int i = 0; i < 3; ++i) {
    expect_error(redeem("guesser", wrong_code(code, i)), 400, "link_code_invalid", "get_new_link_code");
  }
  // The 4th attempt from that device is refused, even with the right code.
  expect_limited(redeem("guesser", code));
  // Same device from another address: still limited (per device id).
  expect_limited(redeem_from("127.0.0.2", "guesser", code));
  // Another device from the same address: limited too (per client address).
  expect_limited(redeem("tv", code));

  // The refused attempts did not consume the code: a device on a fresh address joins.
  const HttpResponse joined = redeem_from("127.0.0.3", "tv", code);
  ASSERT_EQ(joined.status, 201) << joined.body;
  EXPECT_EQ(sub_of(joined.json("serviceToken").value_or("")), sub_of(phone.service_token));

  const std::string text = metrics();
  EXPECT_EQ(metric_sum(text, "ssokit_link_redemptions_total{result=\"invalid\"}"), 3.0) << text;
  EXPECT_EQ(metric_sum(text, "ssokit_link_redemptions_total{result=\"limited\"}"), 3.0) << text;
  EXPECT_EQ(metric_sum(text, "ssokit_link_redemptions_total{result=\"redeemed\"}"), 1.0) << text;
  EXPECT_EQ(metric_sum(text, "ssokit_rate_limited_total{"), 3.0) << text;
}

TEST_F(RedeemFailuresTest, SuccessfulRedemptionsDoNotCountAsFailures) {
  const SignedIn phone = sign_in("phone", "alice");
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(redeem("tv", create_link_code(phone)).status, 201) << "redemption " << i;
  }
  const std::string text = metrics();
  EXPECT_EQ(metric_sum(text, "ssokit_link_redemptions_total{result=\"redeemed\"}"), 5.0) << text;
  EXPECT_EQ(metric_sum(text, "ssokit_rate_limited_total{"), 0.0) << text;
}

class RedeemBudgetTest : public RedeemLimitTest {
  std::vector<std::string> extra_args() const override {
    return {"--redeem-failures", "100/600", "--redeem-budget", "2/600"};
  }
};

TEST_F(RedeemBudgetTest, GlobalBudgetOfTheServiceProviderRefusesEveryDeviceAndAddress) {
  const SignedIn phone = sign_in("phone", "alice");
  const std::string code = create_link_code(phone);
  expect_error(redeem_from("127.0.0.2", "guesser-1", wrong_code(code, 1)), 400, "link_code_invalid",
               "get_new_link_code");
  expect_error(redeem_from("127.0.0.3", "guesser-2", wrong_code(code, 2)), 400, "link_code_invalid",
               "get_new_link_code");
  // Budget spent: a fresh device on a fresh address with the right code is refused.
  expect_limited(redeem_from("127.0.0.4", "tv", code));
  expect_limited(redeem("tablet", code));

  // The budget is per service provider: "other" still answers link_code_invalid.
  const std::string other_access = new_access_token("other");
  const HttpResponse elsewhere = call("POST", "/api/other/serviceToken",
                                      {{"Authorization", "Bearer " + other_access},
                                       {"AP-Device-Identifier", fingerprint("tv")},
                                       {"X-SSO-LINK", "123456"}});
  expect_error(elsewhere, 400, "link_code_invalid", "get_new_link_code");

  // Signing in and making codes are not redemptions: they still work.
  EXPECT_EQ(link(phone).status, 201);

  const std::string text = metrics();
  EXPECT_EQ(metric_sum(text, "ssokit_link_redemptions_total{result=\"invalid\"}"), 3.0) << text;
  EXPECT_EQ(metric_sum(text, "ssokit_link_redemptions_total{result=\"limited\"}"), 2.0) << text;
  EXPECT_EQ(metric_sum(text, "ssokit_rate_limited_total{"), 2.0) << text;
}

}  // namespace
}  // namespace ssokit::testing::sso
