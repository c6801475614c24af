// SPEC §2 and §6.3, attack review item 5: what an address may create, and how many devices
// a profile may hold. Before, client registrations, access tokens and new devices were free
// and durable (a flood from one address filled the store), and a profile could be stuffed
// until `list` outgrew what its own devices accept.
#include <cstdlib>
#include <string>

#include "metrics_text.hpp"
#include "sso_helpers.hpp"

namespace ssokit::testing::sso {
namespace {

void expect_retry_after(const HttpResponse& response) {
  const std::string retry_after = response.header("retry-after");
  ASSERT_FALSE(retry_after.empty()) << "no Retry-After";
  EXPECT_EQ(retry_after.find_first_not_of("0123456789"), std::string::npos) << retry_after;
  EXPECT_GT(std::atol(retry_after.c_str()), 0L) << retry_after;
}

void expect_oauth_too_many(const HttpResponse& response) {
  EXPECT_EQ(response.status, 429) << response.body;
  EXPECT_EQ(response.json("error"), "too_many_requests") << response.body;
  EXPECT_FALSE(response.json("error_description").value_or("").empty()) << response.body;
  expect_retry_after(response);
}

class AddressRateTest : public SsoTest {
 protected:
  // The fixture's own registration and token come from 127.0.0.1; the tests use fresh
  // addresses so each starts with a full bucket of 3.
  std::vector<std::string> extra_args() const override { return {"--address-rate", "3/600"}; }

  HttpResponse register_from(const std::string& address) {
    return send_from({"POST",
                      server().base_url() + "/o/client/register",
                      {{"Content-Type", "application/json"}},
                      "{\"software_statement\":\"" + server().software_statement(sp_) + "\"}"},
                     address);
  }
  HttpResponse token_from(const std::string& address, const HttpResponse& registered) {
    return send_from({"POST",
                      server().base_url() + "/o/client/token",
                      {{"Content-Type", "application/x-www-form-urlencoded"}},
                      credentials_form(registered)},
                     address);
  }
  HttpResponse sign_in_from(const std::string& address, const std::string& device, const std::string& sso_id) {
    return send_from({"POST",
                      server().base_url() + path("serviceToken"),
                      {{"Authorization", "Bearer " + access_token()},
                       {"AP-Device-Identifier", fingerprint(device)},
                       {"X-SSO-ID", sso_id}},
                      std::nullopt},
                     address);
  }
};

TEST_F(AddressRateTest, ClientRegistrationsFromOneAddressAreLimited) {
  for (int i = 0; i < 3; ++i) EXPECT_EQ(register_from("127.0.0.2").status, 201);
  expect_oauth_too_many(register_from("127.0.0.2"));
  EXPECT_EQ(register_from("127.0.0.3").status, 201);  // another address has its own bucket
}

TEST_F(AddressRateTest, AccessTokensFromOneAddressAreLimited) {
  const HttpResponse registered = register_from("127.0.0.4");
  ASSERT_EQ(registered.status, 201) << registered.body;
  EXPECT_EQ(token_from("127.0.0.4", registered).status, 201);
  EXPECT_EQ(token_from("127.0.0.4", registered).status, 201);
  expect_oauth_too_many(token_from("127.0.0.4", registered));
  EXPECT_EQ(token_from("127.0.0.5", registered).status, 201);
}

TEST_F(AddressRateTest, SignInsThatAddADeviceAreLimitedButReturningDevicesAreNot) {
  for (int i = 0; i < 3; ++i) EXPECT_EQ(sign_in_from("127.0.0.6", "tv-" + std::to_string(i), "alice").status, 201);
  const HttpResponse refused = sign_in_from("127.0.0.6", "tv-3", "alice");
  expect_error(refused, 429, "too_many_requests", "retry");
  expect_retry_after(refused);
  // A device the store knows is no creation: it signs in again, even into another profile.
  EXPECT_EQ(sign_in_from("127.0.0.6", "tv-0", "alice").status, 201);
  EXPECT_EQ(sign_in_from("127.0.0.6", "tv-1", "bob").status, 201);
  EXPECT_EQ(sign_in_from("127.0.0.7", "tv-3", "alice").status, 201);
  EXPECT_GE(metric_value(metrics(), "ssokit_rate_limited_total{limit=\"address_create\"}").value_or(0), 1.0);
}

TEST_F(AddressRateTest, ARedemptionThatAddsADeviceCountsAndIsRefusedWhateverTheCode) {
  const SignedIn phone = sign_in("phone", "alice");
  for (int i = 0; i < 3; ++i) EXPECT_EQ(sign_in_from("127.0.0.8", "filler-" + std::to_string(i), "carol").status, 201);
  const std::string code = create_link_code(phone);
  // Refused before the code is looked at: the answer says nothing about the code.
  for (const std::string& attempt :
       {std::string("000000") == code ? std::string("111111") : std::string("000000"), code}) {
    const HttpResponse refused = send_from({"POST",
                                            server().base_url() + path("serviceToken"),
                                            {{"Authorization", "Bearer " + access_token()},
                                             {"AP-Device-Identifier", fingerprint("new-tv")},
                                             {"X-SSO-LINK", attempt}},
                                            std::nullopt},
                                           "127.0.0.8");
    expect_error(refused, 429, "too_many_requests", "retry");
  }
  // The code is still live for a device that may join (from an address with room).
  const HttpResponse joined = send_from({"POST",
                                         server().base_url() + path("serviceToken"),
                                         {{"Authorization", "Bearer " + access_token()},
                                          {"AP-Device-Identifier", fingerprint("new-tv")},
                                          {"X-SSO-LINK", code}},
                                         std::nullopt},
                                        "127.0.0.9");
  EXPECT_EQ(joined.status, 201) << joined.body;
}

TEST(AddressRateFlagTest, TakesARateOrOff) {
  for (const char* bad : {"0/60", "10", "10/0", "ten/60", "10/60/1", ""}) {
    const CommandResult result = run_server_command({"serve", "--address-rate", bad}, std::chrono::seconds(10));
    EXPECT_EQ(result.exit_code, 2) << bad;
    EXPECT_NE(result.err.find("--address-rate"), std::string::npos) << result.err;
  }
}

class DeviceCapTest : public SsoTest {
 protected:
  std::vector<std::string> extra_args() const override { return {"--max-devices", "3"}; }
};

TEST_F(DeviceCapTest, AFullProfileRefusesANewDeviceAndChangesNothing) {
  const SignedIn phone = sign_in("phone", "alice");
  sign_in("tablet", "alice");
  sign_in("laptop", "alice");
  const HttpResponse refused = post_token("tv", {{"X-SSO-ID", "alice"}});
  expect_error(refused, 403, "device_limit_reached", "unlink_devices");
  EXPECT_EQ(list(phone).json_keys("devices").size(), 3u);
  // A device already in the profile is not a new one.
  EXPECT_EQ(post_token("tablet", {{"X-SSO-ID", "alice"}}).status, 201);
  // After an unlink there is room again.
  ASSERT_EQ(unlink(phone, devices_body({device_id("laptop")})).status, 200);
  EXPECT_EQ(post_token("tv", {{"X-SSO-ID", "alice"}}).status, 201);
}

TEST_F(DeviceCapTest, ARedemptionIntoAFullProfileLeavesTheCodeLive) {
  const SignedIn phone = sign_in("phone", "alice");
  sign_in("tablet", "alice");
  sign_in("laptop", "alice");
  const std::string code = create_link_code(phone);
  expect_error(redeem("tv", code), 403, "device_limit_reached", "unlink_devices");
  ASSERT_EQ(unlink(phone, devices_body({device_id("laptop")})).status, 200);
  EXPECT_EQ(redeem("tv", code).status, 201);  // the same code, now that there is room
}

TEST_F(DeviceCapTest, ADeviceMovingIntoAFullProfileStaysWhereItWas) {
  sign_in("phone", "alice");
  sign_in("tablet", "alice");
  sign_in("laptop", "alice");
  const SignedIn bobs_tv = sign_in("tv", "bob");
  expect_error(post_token("tv", {{"X-SSO-ID", "alice"}}), 403, "device_limit_reached", "unlink_devices");
  EXPECT_EQ(list(bobs_tv).status, 200);  // still in Bob's profile, its token still good
}

class DefaultDeviceCapTest : public SsoTest {};

TEST_F(DefaultDeviceCapTest, ByDefaultAProfileHoldsAHundredDevices) {
  const SignedIn first = sign_in("device-0", "stuffed");
  for (int i = 1; i < 100; ++i) {
    ASSERT_EQ(post_token("device-" + std::to_string(i), {{"X-SSO-ID", "stuffed"}}).status, 201) << i;
  }
  expect_error(post_token("device-100", {{"X-SSO-ID", "stuffed"}}), 403, "device_limit_reached", "unlink_devices");
  EXPECT_EQ(list(first).json_keys("devices").size(), 100u);
}

class NoDeviceCapTest : public SsoTest {
 protected:
  std::vector<std::string> extra_args() const override { return {"--max-devices", "off"}; }
};

TEST_F(NoDeviceCapTest, OffLiftsTheCap) {
  for (int i = 0; i < 102; ++i) {
    ASSERT_EQ(post_token("device-" + std::to_string(i), {{"X-SSO-ID", "big"}}).status, 201) << i;
  }
}

}  // namespace
}  // namespace ssokit::testing::sso
