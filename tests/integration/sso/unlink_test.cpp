// SPEC §2: POST /api/{sp}/unlink {"devices":[ids]}.
#include <algorithm>
#include <string>

#include "json_text.hpp"
#include "sso_helpers.hpp"

namespace ssokit::testing::sso {
namespace {

using UnlinkTest = SsoTest;

TEST_F(UnlinkTest, UnlinksOnlyTheCallersProfileSkippingUnknownAndForeignIds) {
  const SignedIn phone = sign_in("phone", "alice");
  const SignedIn tv = join("tv", create_link_code(phone));
  const SignedIn tablet = sign_in("tablet", "alice");
  const SignedIn bob = sign_in("bob-phone", "bob");

  const HttpResponse response =
      unlink(phone, devices_body({tv.device_id, device_id("no-such-device"), bob.device_id, tablet.device_id}));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.json("status"), "OK");
  EXPECT_EQ(json_type(response.body, "unlinkedDevices"), "array");
  auto unlinked = response.json_strings("unlinkedDevices");
  std::sort(unlinked.begin(), unlinked.end());
  std::vector<std::string> expected = {tv.device_id, tablet.device_id};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(unlinked, expected);
  EXPECT_FALSE(response.has_json("error"));

  // Bob's device is untouched; Alice's profile is down to the phone.
  EXPECT_EQ(list(bob).status, 200);
  EXPECT_EQ(list(phone).json_keys("devices"), std::vector<std::string>{phone.device_id});
  expect_error(list(tv), 401, "device_unlinked", "sign_in");
  expect_error(list(tablet), 401, "device_unlinked", "sign_in");

  // Unlinking again: nothing left to unlink, still a success with an empty list.
  const HttpResponse again = unlink(phone, devices_body({tv.device_id}));
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(json_type(again.body, "unlinkedDevices"), "array");
  EXPECT_TRUE(again.json_strings("unlinkedDevices").empty());
}

TEST_F(UnlinkTest, UnlinkedDeviceCanSignInAgain) {
  const SignedIn phone = sign_in("phone", "alice");
  const SignedIn tv = join("tv", create_link_code(phone));
  ASSERT_EQ(unlink(phone, devices_body({tv.device_id})).status, 200);
  expect_error(list(tv), 401, "device_unlinked", "sign_in");
  const SignedIn back = join("tv", create_link_code(phone));
  EXPECT_EQ(list(back).status, 200);
}

TEST_F(UnlinkTest, DeviceMayUnlinkItself) {
  const SignedIn phone = sign_in("phone", "alice");
  const SignedIn tv = join("tv", create_link_code(phone));
  const HttpResponse response = unlink(tv, devices_body({tv.device_id}));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.json_strings("unlinkedDevices"), std::vector<std::string>{tv.device_id});
  expect_error(list(tv), 401, "device_unlinked", "sign_in");
  expect_error(link(tv), 401, "device_unlinked", "sign_in");
  EXPECT_EQ(list(phone).json_keys("devices"), std::vector<std::string>{phone.device_id});
}

TEST_F(UnlinkTest, NullOrEmptyBodyIsRequestNull) {
  const SignedIn phone = sign_in("phone", "alice");
  expect_error(unlink(phone, "null"), 400, "request_null", "none");
  expect_error(unlink(phone, " null "), 400, "request_null", "none");
  expect_error(unlink(phone, ""), 400, "request_null", "none");
}

TEST_F(UnlinkTest, InvalidBodiesAreRequestInvalid) {
  const SignedIn phone = sign_in("phone", "alice");
  for (const std::string& body : {std::string("{not json"), std::string("[\"") + phone.device_id + "\"]",
                                 std::string("{}"), std::string("{\"devices\":[]}"), std::string("{\"devices\":\"x\"}"),
                                 std::string("{\"devices\":[1]}"), std::string("{\"devices\":null}"),
                                 std::string("{\"devices\":[\"") + phone.device_id + "\",2]}", std::string("\"x\""),
                                 std::string("42")}) {
    SCOPED_TRACE("body " + body);
    expect_error(unlink(phone, body), 400, "request_invalid", "check_request_body");
  }
  // Nothing was unlinked by any of them.
  EXPECT_EQ(list(phone).status, 200);
}

TEST_F(UnlinkTest, ContentTypeMustBeJson) {
  const SignedIn phone = sign_in("phone", "alice");
  const SignedIn tv = join("tv", create_link_code(phone));
  expect_error(unlink(phone, devices_body({tv.device_id}), ""), 415, "media_type_unsupported", "check_headers");
  expect_error(unlink(phone, devices_body({tv.device_id}), "text/plain"), 415, "media_type_unsupported",
               "check_headers");
  expect_error(unlink(phone, devices_body({tv.device_id}), "application/x-www-form-urlencoded"), 415,
               "media_type_unsupported", "check_headers");
  EXPECT_EQ(list(tv).status, 200);  // still linked

  const HttpResponse ok = unlink(phone, devices_body({tv.device_id}), "application/json; charset=utf-8");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.json_strings("unlinkedDevices"), std::vector<std::string>{tv.device_id});
}

}  // namespace
}  // namespace ssokit::testing::sso
