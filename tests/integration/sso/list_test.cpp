// SPEC §2: GET /api/{sp}/list maps the profile's devices by device id with their metadata.
#include <algorithm>
#include <chrono>
#include <string>
#include <thread>

#include "clock.hpp"
#include "json_text.hpp"
#include "sso_helpers.hpp"

namespace ssokit::testing::sso {
namespace {

using ListTest = SsoTest;

TEST_F(ListTest, DevicesKeyedByIdWithMappedMetadataAndType) {
  const std::int64_t before = now_ms();
  const HttpResponse signed_in = post_token(
      "phone", {{"X-SSO-ID", "alice"}, {"X-Device-Info", device_info("MobilePhone", "Pixel 8", "Android", "14")}});
  ASSERT_EQ(signed_in.status, 201) << signed_in.body;
  const SignedIn phone{device_id("phone"), signed_in.json("serviceToken").value_or("")};
  const std::string code = create_link_code(phone);
  // The TV says `type` instead of primaryHardwareType, and sends keys the list does not know.
  const std::string tv_info = base64(
      "{\"type\":\"TV\",\"model\":\"QE55\",\"manufacturer\":\"Samsung\",\"osName\":\"Tizen\",\"osVersion\":\"7.0\","
      "\"connectionType\":\"wifi\",\"screen\":{\"w\":3840}}");
  const HttpResponse joined =
      post_token("tv", {{"X-SSO-LINK", code}, {"X-Device-Info", tv_info}});
  ASSERT_EQ(joined.status, 201) << joined.body;

  const HttpResponse listed = list(phone);
  const std::int64_t after = now_ms();
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(listed.header("content-type").rfind("application/json", 0), 0u);
  EXPECT_FALSE(listed.has_json("error"));
  auto keys = listed.json_keys("devices");
  std::sort(keys.begin(), keys.end());
  std::vector<std::string> expected = {device_id("phone"), device_id("tv")};
  std::sort(expected.begin(), expected.end());
  ASSERT_EQ(keys, expected);

  const std::string p = "devices." + device_id("phone") + ".";
  EXPECT_EQ(listed.json(p + "deviceType"), "MobilePhone");
  EXPECT_EQ(listed.json(p + "model"), "Pixel 8");
  EXPECT_EQ(listed.json(p + "os"), "Android");
  EXPECT_EQ(listed.json(p + "osVersion"), "14");
  EXPECT_EQ(listed.json(p + "type"), "regular");
  EXPECT_EQ(json_type(listed.body, p + "lastSeen"), "integer");
  const double phone_seen = json_number(listed.body, p + "lastSeen").value_or(0);
  EXPECT_GE(phone_seen, static_cast<double>(before));
  EXPECT_LE(phone_seen, static_cast<double>(after));

  const std::string t = "devices." + device_id("tv") + ".";
  EXPECT_EQ(listed.json(t + "deviceType"), "TV");
  EXPECT_EQ(listed.json(t + "model"), "QE55");
  EXPECT_EQ(listed.json(t + "os"), "Tizen");
  EXPECT_EQ(listed.json(t + "osVersion"), "7.0");
  EXPECT_EQ(listed.json(t + "type"), "sso");
  EXPECT_EQ(json_type(listed.body, t + "lastSeen"), "integer");
  // Unknown keys are kept.
  EXPECT_EQ(listed.json(t + "manufacturer"), "Samsung");
  EXPECT_EQ(listed.json(t + "connectionType"), "wifi");
  EXPECT_EQ(listed.json(t + "screen.w"), "3840");
}

TEST_F(ListTest, DeviceWithoutDeviceInfoStillHasTheListKeys) {
  const SignedIn phone = sign_in("phone", "alice");
  const HttpResponse listed = list(phone);
  ASSERT_EQ(listed.status, 200) << listed.body;
  const std::string p = "devices." + phone.device_id + ".";
  for (const char* key : {"deviceType", "model", "os", "osVersion", "type"}) {
    EXPECT_EQ(json_type(listed.body, p + key), "string") << key;
  }
  EXPECT_EQ(json_type(listed.body, p + "lastSeen"), "integer");
}

TEST_F(ListTest, LastSeenMovesOnLaterAuthenticatedCallsOfThatDevice) {
  const SignedIn phone = sign_in("phone", "alice");
  const SignedIn tv = join("tv", create_link_code(phone));
  const HttpResponse first = list(phone);
  ASSERT_EQ(first.status, 200) << first.body;
  const std::string phone_seen = "devices." + phone.device_id + ".lastSeen";
  const std::string tv_seen = "devices." + tv.device_id + ".lastSeen";
  const double phone_1 = json_number(first.body, phone_seen).value_or(0);
  const double tv_1 = json_number(first.body, tv_seen).value_or(0);

  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_EQ(link(phone).status, 201);
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const HttpResponse second = list(phone);
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_GT(json_number(second.body, phone_seen).value_or(0), phone_1);
  // The TV made no call: its lastSeen stays.
  EXPECT_EQ(json_number(second.body, tv_seen).value_or(0), tv_1);

  // A call of the TV (a refresh) moves the TV's.
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_EQ(refresh(tv).status, 200);
  const HttpResponse third = list(phone);
  EXPECT_GT(json_number(third.body, tv_seen).value_or(0), tv_1);
}

TEST_F(ListTest, AnotherProfilesDevicesNeverLeak) {
  const SignedIn alice = sign_in("phone", "alice");
  const SignedIn alice_tv = join("tv", create_link_code(alice));
  const SignedIn bob = sign_in("bob-phone", "bob");
  const SignedIn bob_tv = join("bob-tv", create_link_code(bob));

  const HttpResponse bobs = list(bob_tv);
  ASSERT_EQ(bobs.status, 200) << bobs.body;
  auto keys = bobs.json_keys("devices");
  std::sort(keys.begin(), keys.end());
  std::vector<std::string> expected = {bob.device_id, bob_tv.device_id};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(keys, expected);
  EXPECT_EQ(bobs.body.find(alice.device_id), std::string::npos);
  EXPECT_EQ(bobs.body.find(alice_tv.device_id), std::string::npos);

  const HttpResponse alices = list(alice);
  EXPECT_EQ(alices.json_keys("devices").size(), 2u);
  EXPECT_EQ(alices.body.find(bob.device_id), std::string::npos);
}

}  // namespace
}  // namespace ssokit::testing::sso
