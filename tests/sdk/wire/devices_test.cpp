#include <cjson/cJSON.h>
#include <gtest/gtest.h>

#include "wire/json.hpp"
#include "wire_test_support.hpp"

namespace ssokit::wire {
namespace {

using testing::ms;

// The reference server's list answer (docs/api.md §6.5): X-Device-Info mapped to
// deviceType/os, the other keys kept, no primaryHardwareType/osName.
constexpr const char* kServerList = R"({"devices":{
  "MDdlMWU1MDZlMjQzZDg3ZjJlYWM2ZTliMzUyMGU4ZDM=":{"userAgent":"curl/7.88.1","deviceType":"MobilePhone",
    "model":"Pixel 8","os":"Android","osVersion":"14","lastSeen":1795410407223,"type":"regular"},
  "YjkwYTlmYjI0YmMxNDc5NGZkNTEyZTExODY5NjA1NTk=":{"manufacturer":"Samsung","userAgent":"curl/7.88.1",
    "deviceType":"TV","model":"QE55","os":"Tizen","osVersion":"7.0","lastSeen":1795410407724,"type":"sso"},
  "ZGVtby1zdGljaw==":{"connectionType":"wifi","userAgent":"curl/7.88.1","deviceType":"MediaPlayer",
    "model":"Fire TV Stick","os":"Fire OS","osVersion":"8","lastSeen":1795410407398,"type":"sso"}}})";

std::string one_device(const std::string& members) {
  return R"({"devices":{"d1":{)" + members + "}}}";
}

Status list_status(const std::string& body) {
  return testing::status_of(parse_devices(body, "d1"));
}

TEST(ParseDevices, ReadsTheReferenceServersAnswerInItsOrder) {
  const auto devices = parse_devices(kServerList, "YjkwYTlmYjI0YmMxNDc5NGZkNTEyZTExODY5NjA1NTk=");
  ASSERT_TRUE(devices.ok()) << devices.status().message();
  ASSERT_EQ(devices->size(), 3u);

  const Device& phone = (*devices)[0];
  EXPECT_EQ(phone.id, "MDdlMWU1MDZlMjQzZDg3ZjJlYWM2ZTliMzUyMGU4ZDM=");
  EXPECT_EQ(phone.device_type, "MobilePhone");
  EXPECT_EQ(phone.model, "Pixel 8");
  EXPECT_EQ(phone.os, "Android");
  EXPECT_EQ(phone.os_version, "14");
  EXPECT_EQ(phone.last_seen, ms(1795410407223));
  EXPECT_EQ(phone.type, DeviceLinkType::kRegular);
  EXPECT_FALSE(phone.current);
  EXPECT_EQ(phone.extra, (std::map<std::string, std::string>{{"userAgent", "curl/7.88.1"}}));

  const Device& tv = (*devices)[1];
  EXPECT_EQ(tv.id, "YjkwYTlmYjI0YmMxNDc5NGZkNTEyZTExODY5NjA1NTk=");
  EXPECT_EQ(tv.device_type, "TV");
  EXPECT_EQ(tv.model, "QE55");
  EXPECT_EQ(tv.os, "Tizen");
  EXPECT_EQ(tv.os_version, "7.0");
  EXPECT_EQ(tv.last_seen, ms(1795410407724));
  EXPECT_EQ(tv.type, DeviceLinkType::kSso);
  EXPECT_TRUE(tv.current);
  EXPECT_EQ(tv.extra, (std::map<std::string, std::string>{{"manufacturer", "Samsung"}, {"userAgent", "curl/7.88.1"}}));

  const Device& stick = (*devices)[2];
  EXPECT_EQ(stick.id, "ZGVtby1zdGljaw==");
  EXPECT_EQ(stick.device_type, "MediaPlayer");
  EXPECT_EQ(stick.os, "Fire OS");
  EXPECT_EQ(stick.type, DeviceLinkType::kSso);
  EXPECT_FALSE(stick.current);
  EXPECT_EQ(stick.extra,
            (std::map<std::string, std::string>{{"connectionType", "wifi"}, {"userAgent", "curl/7.88.1"}}));
}

TEST(ParseDevices, MarksNoDeviceCurrentForAnUnknownOrEmptyId) {
  for (const char* current : {"", "someone-else"}) {
    const auto devices = parse_devices(kServerList, current);
    ASSERT_TRUE(devices.ok());
    for (const Device& device : *devices) EXPECT_FALSE(device.current) << current;
  }
  const auto with_empty_key = parse_devices(R"({"devices":{"":{"lastSeen":1,"type":"regular"}}})", "");
  EXPECT_FALSE(with_empty_key.ok());
}

TEST(ParseDevices, MetadataTheDeviceNeverSentIsEmpty) {
  const auto devices = parse_devices(one_device(R"("lastSeen":7,"type":"regular")"), "d1");
  ASSERT_TRUE(devices.ok()) << devices.status().message();
  const Device& device = devices->front();
  EXPECT_EQ(device.device_type, "");
  EXPECT_EQ(device.model, "");
  EXPECT_EQ(device.os, "");
  EXPECT_EQ(device.os_version, "");
  EXPECT_EQ(device.last_seen, ms(7));
  EXPECT_TRUE(device.extra.empty());
  EXPECT_TRUE(device.current);
}

TEST(ParseDevices, ReadsTheRawXDeviceInfoNamesWhenTheMappedOnesAreAbsent) {
  const auto devices = parse_devices(
      one_device(R"("primaryHardwareType":"TV","osName":"webOS","osVersion":"6","lastSeen":7,"type":"regular")"), "");
  ASSERT_TRUE(devices.ok()) << devices.status().message();
  EXPECT_EQ(devices->front().device_type, "TV");
  EXPECT_EQ(devices->front().os, "webOS");
  // The mapped names win when both are present.
  const auto both = parse_devices(
      one_device(
          R"("deviceType":"SetTopBox","primaryHardwareType":"TV","os":"Linux","osName":"webOS","lastSeen":7,"type":"regular")"),
      "");
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(both->front().device_type, "SetTopBox");
  EXPECT_EQ(both->front().os, "Linux");
}

TEST(ParseDevices, ExtraKeepsOnlyOtherStringMetadata) {
  const auto devices =
      parse_devices(one_device(R"("manufacturer":"LG","userAgent":"ua","connectionType":"","version":1.5,"hdr":true,)"
                               R"("screen":{"w":1920},"codecs":["h264"],"nothing":null,"lastSeen":7,"type":"sso")"),
                    "");
  ASSERT_TRUE(devices.ok()) << devices.status().message();
  EXPECT_EQ(devices->front().extra,
            (std::map<std::string, std::string>{{"manufacturer", "LG"}, {"userAgent", "ua"}, {"connectionType", ""}}));
}

TEST(ParseDevices, ARepeatedIdKeepsItsFirstEntry) {
  const auto devices = parse_devices(
      R"({"devices":{"a":{"model":"first","lastSeen":1,"type":"regular"},"b":{"lastSeen":2,"type":"sso"},)"
      R"("a":{"model":"second","lastSeen":3,"type":"sso"}}})",
      "");
  ASSERT_TRUE(devices.ok());
  ASSERT_EQ(devices->size(), 2u);
  EXPECT_EQ((*devices)[0].model, "first");
  EXPECT_EQ((*devices)[1].id, "b");
}

TEST(ParseDevices, RefusesBadEntries) {
  struct Case {
    std::string body;
    const char* message;
  };
  const Case cases[] = {
      {R"({"status":"OK"})", "bad device list answer: devices is missing"},
      {R"({"devices":null})", "bad device list answer: devices is missing"},
      {R"({"devices":[]})", "bad device list answer: devices is not an object"},
      {R"({"devices":{"d1":"TV"}})", "bad device list answer: devices.* is not an object"},
      {R"({"devices":{"d1":null}})", "bad device list answer: devices.* is not an object"},
      {one_device(R"("type":"regular")"), "bad device list answer: devices.*.lastSeen is missing"},
      {one_device(R"("lastSeen":-1,"type":"regular")"),
       "bad device list answer: devices.*.lastSeen is not a time (whole ms since the epoch, 0..2^53)"},
      {one_device(R"("lastSeen":1e30,"type":"regular")"),
       "bad device list answer: devices.*.lastSeen is not a time (whole ms since the epoch, 0..2^53)"},
      {one_device(R"("lastSeen":"yesterday","type":"regular")"),
       "bad device list answer: devices.*.lastSeen is not a time (whole ms since the epoch, 0..2^53)"},
      {one_device(R"("lastSeen":1)"), "bad device list answer: devices.*.type is missing"},
      {one_device(R"("lastSeen":1,"type":"platform")"),
       "bad device list answer: devices.*.type is neither \"regular\" nor \"sso\""},
      {one_device(R"("lastSeen":1,"type":1)"), "bad device list answer: devices.*.type is not a string"},
      {one_device(R"("model":42,"lastSeen":1,"type":"sso")"),
       "bad device list answer: devices.*.model is not a string"},
      {one_device(R"("deviceType":["TV"],"lastSeen":1,"type":"sso")"),
       "bad device list answer: devices.*.deviceType is not a string"},
      {R"({"devices":{"":{"lastSeen":1,"type":"sso"}}})", "bad device list answer: devices has an empty device id"},
  };
  for (const Case& c : cases) {
    const Status status = list_status(c.body);
    EXPECT_EQ(status.code(), ErrorCode::kBadResponse) << c.body;
    EXPECT_EQ(status.message(), c.message) << c.body;
  }
}

TEST(ParseUnlinked, ReadsIdsInOrder) {
  const auto ids = parse_unlinked(R"({"status":"OK","unlinkedDevices":["ZGVtby1zdGljaw==","YQ=="]})");
  ASSERT_TRUE(ids.ok());
  EXPECT_EQ(*ids, (std::vector<std::string>{"ZGVtby1zdGljaw==", "YQ=="}));
}

TEST(ParseUnlinked, AnEmptyListIsAnAnswer) {
  const auto ids = parse_unlinked(R"({"status":"OK","unlinkedDevices":[]})");
  ASSERT_TRUE(ids.ok());
  EXPECT_TRUE(ids->empty());
}

TEST(ParseUnlinked, RefusesAMissingOrMistypedList) {
  struct Case {
    const char* body;
    const char* message;
  };
  const Case cases[] = {
      {R"({"status":"OK"})", "bad unlink answer: unlinkedDevices is missing"},
      {R"({"unlinkedDevices":"d1"})", "bad unlink answer: unlinkedDevices is not an array"},
      {R"({"unlinkedDevices":{"d1":true}})", "bad unlink answer: unlinkedDevices is not an array"},
      {R"({"unlinkedDevices":["d1",2]})", "bad unlink answer: unlinkedDevices holds a value that is not a device id"},
      {R"({"unlinkedDevices":["d1",null]})",
       "bad unlink answer: unlinkedDevices holds a value that is not a device id"},
      {R"({"unlinkedDevices":[""]})", "bad unlink answer: unlinkedDevices holds a value that is not a device id"},
  };
  for (const Case& c : cases) {
    const auto ids = parse_unlinked(c.body);
    ASSERT_FALSE(ids.ok()) << c.body;
    EXPECT_EQ(ids.status().code(), ErrorCode::kBadResponse);
    EXPECT_EQ(ids.status().message(), c.message);
  }
}

TEST(UnlinkRequestBody, IsTheDevicesArrayAsJson) {
  EXPECT_EQ(unlink_request_body({"ZGVtby1zdGljaw==", "bm8tc3VjaC1kZXZpY2U="}),
            R"({"devices":["ZGVtby1zdGljaw==","bm8tc3VjaC1kZXZpY2U="]})");
  EXPECT_EQ(unlink_request_body({}), R"({"devices":[]})");
}

TEST(UnlinkRequestBody, EscapesWhatJsonMust) {
  const std::vector<std::string> ids = {"a\"b", "back\\slash", "line\nbreak", "\xc3\xa9"};
  const json::Json body = json::parse(unlink_request_body(ids));
  ASSERT_TRUE(body);
  const cJSON* devices = cJSON_GetObjectItemCaseSensitive(body.get(), "devices");
  ASSERT_EQ(cJSON_GetArraySize(devices), 4);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(cJSON_GetArrayItem(devices, i)->valuestring, ids[static_cast<std::size_t>(i)]);
  }
}

}  // namespace
}  // namespace ssokit::wire
