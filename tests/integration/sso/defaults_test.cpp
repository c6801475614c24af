// SPEC §2 defaults of the limits, with the server started without any limit flag:
// device throttle "a burst of 10, then 1 per second", "5 failures per 10 minutes" per
// device and address, and "live codes per profile capped (default 5)", and the budget per
// service provider that denying pairing must empty.
#include <string>

#include "sso_helpers.hpp"

namespace ssokit::testing::sso {
namespace {

class DefaultLimitsTest : public SsoTest {
 protected:
  // Not the harness defaults (which lift the limits): only the log level.
  std::vector<std::string> server_args() const override { return {"--log-level", "info"}; }
};

TEST_F(DefaultLimitsTest, DeviceBurstOfTenThenThrottled) {
  for (int i = 0; i < 10; ++i) {
    const HttpResponse ok = post_token("phone", {{"X-SSO-ID", "alice"}});
    ASSERT_EQ(ok.status, 201) << "call " << i + 1 << ": " << ok.body;
  }
  const HttpResponse limited = post_token("phone", {{"X-SSO-ID", "alice"}});
  expect_error(limited, 429, "too_many_requests", "retry");
  EXPECT_EQ(limited.header("retry-after"), "1");
  EXPECT_EQ(post_token("tablet", {{"X-SSO-ID", "alice"}}).status, 201);
}

TEST_F(DefaultLimitsTest, FiveFailedRedemptionsThenTooManyAttempts) {
  const SignedIn phone = sign_in("phone", "alice");
  const std::string code = create_link_code(phone);
  for (int i = 0; i < 5; ++i) {
    const std::string wrong = code == "00000" + std::to_string(i) ? "99999" + std::to_string(i) : "00000" + std::to_string(i);
    expect_error(redeem("guesser", wrong), 400, "link_code_invalid", "get_new_link_code");
  }
  const HttpResponse limited = redeem("guesser", code);
  expect_error(limited, 429, "too_many_attempts", "retry");
  EXPECT_FALSE(limited.header("retry-after").empty());
}

TEST_F(DefaultLimitsTest, TwelveAddressesCannotDenyPairing) {
  // Attack review item 3: with the old default budget (50 per 10 minutes) a handful of
  // addresses spending their 5 failures each refused every redemption of the service
  // provider. Denying pairing now takes 200 addresses (docs/security.md).
  const SignedIn phone = sign_in("phone", "alice");
  const std::string code = create_link_code(phone);
  const std::string wrong = code == "000000" ? "111111" : "000000";
  for (int address = 2; address <= 13; ++address) {
    const std::string from = "127.0.0." + std::to_string(address);
    for (int i = 0; i < 5; ++i) {
      const HttpResponse guess =
          send_from({"POST", server().base_url() + path("serviceToken"),
                     {{"Authorization", "Bearer " + access_token()},
                      {"AP-Device-Identifier", fingerprint("guesser-" + from + "-" + std::to_string(i))},
                      {"X-SSO-LINK", wrong}},
                     std::nullopt},
                    from);
      ASSERT_EQ(guess.status, 400) << from << " guess " << i << ": " << guess.body;
    }
  }
  EXPECT_EQ(redeem("tv", code).status, 201) << "pairing was denied";
}

TEST_F(DefaultLimitsTest, SixthLiveCodeRetiresTheFirst) {
  const SignedIn phone = sign_in("phone", "alice");
  std::vector<std::string> codes;
  for (int i = 0; i < 6; ++i) codes.push_back(create_link_code(phone));
  expect_error(redeem("tv-0", codes[0]), 400, "link_code_invalid", "get_new_link_code");
  EXPECT_EQ(redeem("tv-1", codes[1]).status, 201);
  EXPECT_EQ(redeem("tv-5", codes[5]).status, 201);
}

}  // namespace
}  // namespace ssokit::testing::sso
