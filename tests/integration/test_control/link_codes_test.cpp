// GET /test/link-codes (SPEC §6.4): the live codes a device made, in clear text, so a CI job
// redeems without reading a screen; never another device's, never an expired one.
#include "clock.hpp"
#include "test_control_support.hpp"

namespace ssokit::testing::test_control {
namespace {

TEST_F(TestControlTest, ListsTheCodesADeviceMadeAndTheListedCodeRedeems) {
  const SignedIn phone = sign_in("phone", "alice");
  const HttpResponse first = link(phone);
  const HttpResponse second = link(phone);
  ASSERT_EQ(first.status, 201) << first.body;
  ASSERT_EQ(second.status, 201) << second.body;

  const std::vector<ListedCode> codes = listed_codes(phone.device_id);
  ASSERT_EQ(codes.size(), 2u);
  EXPECT_EQ(codes[0].code, first.json("code"));
  EXPECT_EQ(std::to_string(codes[0].not_after), first.json("notAfter"));
  EXPECT_EQ(codes[0].approval, "optional");
  EXPECT_EQ(codes[1].code, second.json("code")) << "in the order made";

  const HttpResponse joined = redeem("tv", codes[1].code);
  EXPECT_EQ(joined.status, 201) << joined.body;
}

TEST_F(TestControlTest, ShowsWhetherACodeNeedsApproval) {
  const SignedIn phone = sign_in("phone", "alice");
  Headers headers = token_headers(phone);
  headers.emplace_back("Content-Type", "application/json");
  const HttpResponse made = call("POST", path("link"), headers, std::string("{\"approval\":\"required\"}"));
  ASSERT_EQ(made.status, 201) << made.body;
  const std::vector<ListedCode> codes = listed_codes(phone.device_id);
  ASSERT_EQ(codes.size(), 1u);
  EXPECT_EQ(codes[0].code, made.json("code"));
  EXPECT_EQ(codes[0].approval, "required");
}

TEST_F(TestControlTest, NeverListsAnotherDevicesCodesOrAnotherServiceProvidersCodes) {
  const SignedIn phone = sign_in("phone", "alice");
  const SignedIn tablet = sign_in("tablet", "alice");  // same profile, another device
  const SignedIn other = sign_in("laptop", "bob");
  const std::string phone_code = create_link_code(phone);
  const std::string tablet_code = create_link_code(tablet);
  create_link_code(other);

  const std::vector<ListedCode> phone_codes = listed_codes(phone.device_id);
  ASSERT_EQ(phone_codes.size(), 1u);
  EXPECT_EQ(phone_codes[0].code, phone_code);
  const std::vector<ListedCode> tablet_codes = listed_codes(tablet.device_id);
  ASSERT_EQ(tablet_codes.size(), 1u);
  EXPECT_EQ(tablet_codes[0].code, tablet_code);
  EXPECT_TRUE(listed_codes(phone.device_id, "other").empty());
  EXPECT_TRUE(listed_codes(device_id("never-signed-in")).empty());
}

TEST_F(TestControlTest, NeverListsExpiredCodes) {
  const SignedIn phone = sign_in("phone", "alice");
  create_link_code(phone);
  ASSERT_EQ(listed_codes(phone.device_id).size(), 1u);
  ASSERT_EQ(advance(600).status, 200);  // notAfter == now: no longer live
  EXPECT_TRUE(listed_codes(phone.device_id).empty());
  const std::string fresh = create_link_code(phone);
  const std::vector<ListedCode> codes = listed_codes(phone.device_id);
  ASSERT_EQ(codes.size(), 1u);
  EXPECT_EQ(codes[0].code, fresh);
}

TEST_F(TestControlTest, ReadsADeviceIdWhosePlusSignsWereNotEncoded) {
  // base64 of these bytes is "++++", which a query reads as spaces unless encoded.
  const std::string name = "\xfb\xef\xbe";
  ASSERT_EQ(device_id(name), "++++");
  const SignedIn device = sign_in(name, "alice");
  const std::string code = create_link_code(device);
  const HttpResponse raw = test_call("GET", "/test/link-codes?sp=demo&device=++++");
  ASSERT_EQ(raw.status, 200) << raw.body;
  EXPECT_NE(raw.body.find(code), std::string::npos) << raw.body;
  ASSERT_EQ(listed_codes(device.device_id).size(), 1u) << "and encoded as %2B";
}

TEST_F(TestControlTest, LinkCodesNeedSpAndDevice) {
  for (const char* query : {"", "?sp=demo", "?device=abc", "?sp=&device=abc", "?sp=demo&device=%zz"}) {
    expect_error(test_call("GET", std::string("/test/link-codes") + query), 400, "request_invalid");
  }
}

}  // namespace
}  // namespace ssokit::testing::test_control
