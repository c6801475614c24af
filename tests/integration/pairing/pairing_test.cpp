// The product's main flow end to end: sign in on a phone, pair a TV by link code, list, unlink.
#include "api_test.hpp"

namespace ssokit::testing {
namespace {

using PairingTest = ApiTest;

TEST_F(PairingTest, PhoneSignsInTvJoinsByCodeBothListedThenUnlinked) {
  const SignedIn phone = sign_in("phone", "alice");
  const std::string code = create_link_code(phone);
  ASSERT_EQ(code.size(), 6u);
  EXPECT_EQ(code.find_first_not_of("0123456789"), std::string::npos);

  const HttpResponse joined = redeem("tv", code);
  ASSERT_EQ(joined.status, 201) << joined.body;
  EXPECT_EQ(joined.json("status"), "CREATED");
  const SignedIn tv{device_id("tv"), joined.json("serviceToken").value_or("")};

  const HttpResponse list = call("GET", "/api/demo/list", token_headers(tv));
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.json("devices." + phone.device_id + ".type"), "regular");
  EXPECT_EQ(list.json("devices." + tv.device_id + ".type"), "sso");

  const HttpResponse unlinked = unlink(phone, devices_body({tv.device_id}));
  ASSERT_EQ(unlinked.status, 200) << unlinked.body;
  EXPECT_EQ(unlinked.json_strings("unlinkedDevices"), std::vector<std::string>{tv.device_id});

  // The TV loses SSO at its very next call.
  const HttpResponse after = call("GET", "/api/demo/list", token_headers(tv));
  EXPECT_EQ(after.status, 401);
  EXPECT_EQ(after.json("error.code"), "device_unlinked");
  EXPECT_EQ(after.json("error.action"), "sign_in");
}

}  // namespace
}  // namespace ssokit::testing
