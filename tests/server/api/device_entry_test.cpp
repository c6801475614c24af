#include "api/device_entry.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ssokit::api {
namespace {

store::DeviceRecord device(const std::string& id, const std::string& info_json, store::DeviceType type,
                           server::Millis last_seen) {
  store::DeviceRecord record;
  record.service_provider = "sp";
  record.device_id = id;
  record.profile_id = "p";
  record.type = type;
  record.info_json = info_json;
  record.last_seen = last_seen;
  return record;
}

// What the list answered when it built a cJSON object per device and printed the whole.
std::string printed_as_objects(const std::vector<store::DeviceRecord>& devices) {
  server::Json body = server::json_object();
  server::Json map = server::json_object();
  for (const auto& d : devices) server::json_set(map.get(), d.device_id.c_str(), device_entry(d));
  server::json_set(body.get(), "devices", std::move(map));
  return server::json_print(body.get());
}

TEST(DeviceListBodyTest, IsTheTextOfTheDeviceEntries) {
  const std::vector<store::DeviceRecord> devices = {
      device("cGhvbmU=", "{}", store::DeviceType::kRegular, 1796688675063),
      device("dHY=", R"({"primaryHardwareType":"TV","model":"X1","osName":"Tizen","osVersion":"7","userAgent":"ua"})",
             store::DeviceType::kSso, 1),
      // Keys the list derives itself are replaced, kept keys keep their order, odd text is escaped.
      device("c3Rp+/ck", R"({"lastSeen":5,"type":"x","deviceType":"old","zeta":[1,{"a":null}],"quote":"\"\\\n"})",
             store::DeviceType::kRegular, 0),
      device("not base64 \"quoted\"", "not json", store::DeviceType::kRegular, 42),
  };
  EXPECT_EQ(device_list_body(devices), printed_as_objects(devices));
  // Twice: the second time from the kept entries.
  EXPECT_EQ(device_list_body(devices), printed_as_objects(devices));
  EXPECT_EQ(device_list_body({}), R"({"devices":{}})");
}

}  // namespace
}  // namespace ssokit::api
