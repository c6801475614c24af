#include "ssokit/platform/device_info.hpp"

#include <cjson/cJSON.h>
#include <gtest/gtest.h>
#include <sys/utsname.h>

#include <memory>
#include <string>

#include "platform_test_support.hpp"

namespace ssokit::platform {
namespace {

using test::TempDir;
using test::write_file;

struct JsonDeleter {
  void operator()(cJSON* json) const { cJSON_Delete(json); }
};
using Json = std::unique_ptr<cJSON, JsonDeleter>;

Json parse(const std::string& text) {
  return Json(cJSON_ParseWithLengthOpts(text.data(), text.size(), nullptr, /*require_null_terminated=*/0));
}

std::string member(const Json& json, const char* key) {
  const cJSON* item = cJSON_GetObjectItemCaseSensitive(json.get(), key);
  if (item == nullptr || !cJSON_IsString(item)) return "<absent>";
  return item->valuestring;
}

int member_count(const Json& json) { return cJSON_GetArraySize(json.get()); }

TEST(DeviceInfo, WritesTheSpecKeysInOrder) {
  DeviceInfo info;
  info.primary_hardware_type = "TV";
  info.model = "M";
  info.manufacturer = "Maker";
  info.version = "1.2";
  info.os_name = "OS";
  info.os_version = "9";
  info.connection_type = "WiFi";
  EXPECT_EQ(info.to_json(),
            R"({"primaryHardwareType":"TV","model":"M","manufacturer":"Maker","version":"1.2","osName":"OS",)"
            R"("osVersion":"9","connectionType":"WiFi"})");
  EXPECT_EQ(info.device_info_json(), info.to_json());
}

TEST(DeviceInfo, LeavesEmptyFieldsOut) {
  DeviceInfo info;
  EXPECT_EQ(info.to_json(), "{}");
  info.model = "M";
  EXPECT_EQ(info.to_json(), R"({"model":"M"})");
}

TEST(DeviceInfo, ExtraKeysFollowInKeyOrderAndCannotOverrideStandardOnes) {
  DeviceInfo info = roku("3941X", "12.5");
  info.extra["zeta"] = "z";
  info.extra["alpha"] = "a";
  info.extra["model"] = "spoofed";
  info.extra["primaryHardwareType"] = "Toaster";
  const std::string json = info.to_json();
  EXPECT_EQ(json,
            R"({"primaryHardwareType":"MediaPlayer","model":"3941X","manufacturer":"Roku","osName":"Roku OS",)"
            R"("osVersion":"12.5","alpha":"a","zeta":"z"})");
}

TEST(DeviceInfo, HostileStringsRoundTripThroughAJsonParser) {
  std::string controls;
  for (int c = 1; c < 0x20; ++c) controls += static_cast<char>(c);
  const std::string hostile = std::string("quote\" backslash\\ slash/ ") + controls + " \x7f </script> \"},{\"x\":\"";
  const std::string unicode = "caf\xC3\xA9 \xE2\x80\xA8 \xF0\x9F\x93\xBA \xE4\xB8\xAD";  // é, U+2028, 📺, 中

  DeviceInfo info;
  info.model = hostile;
  info.manufacturer = unicode;
  info.extra[hostile] = unicode;
  const std::string json = info.to_json();

  for (const char c : json) {
    EXPECT_GE(static_cast<unsigned char>(c), 0x20) << "raw control character in " << json;
  }
  Json parsed = parse(json);
  ASSERT_TRUE(parsed) << json;
  ASSERT_TRUE(cJSON_IsObject(parsed.get()));
  EXPECT_EQ(member_count(parsed), 3);
  EXPECT_EQ(member(parsed, "model"), hostile);
  EXPECT_EQ(member(parsed, "manufacturer"), unicode);
  EXPECT_EQ(member(parsed, hostile.c_str()), unicode);
}

TEST(DeviceInfo, InvalidUtf8AndNulBecomeReplacementCharacters) {
  const std::string fffd = "\xEF\xBF\xBD";
  DeviceInfo info;
  info.model = std::string("a\0b", 3);
  info.manufacturer = "x\xFFy";                   // never valid
  info.os_name = "\xC0\xAF";                      // overlong '/'
  info.os_version = "\xED\xA0\x80";               // a UTF-16 surrogate
  info.version = "\xF4\x90\x80\x80";              // past U+10FFFF
  info.connection_type = "cut \xE2\x82";          // truncated sequence at the end
  const std::string json = info.to_json();
  Json parsed = parse(json);
  ASSERT_TRUE(parsed) << json;
  EXPECT_EQ(member(parsed, "model"), "a" + fffd + "b");
  EXPECT_EQ(member(parsed, "manufacturer"), "x" + fffd + "y");
  EXPECT_EQ(member(parsed, "osName"), fffd + fffd);
  EXPECT_EQ(member(parsed, "osVersion"), fffd + fffd + fffd);
  EXPECT_EQ(member(parsed, "version"), fffd + fffd + fffd + fffd);
  EXPECT_EQ(member(parsed, "connectionType"), "cut " + fffd + fffd);
}

TEST(DeviceInfoFamilies, Tizen) {
  DeviceInfo info = tizen("QE55Q80C", "7.0");
  EXPECT_EQ(info.primary_hardware_type, "TV");
  EXPECT_EQ(info.manufacturer, "Samsung");
  EXPECT_EQ(info.os_name, "Tizen");
  EXPECT_EQ(info.model, "QE55Q80C");
  EXPECT_EQ(info.os_version, "7.0");
}

TEST(DeviceInfoFamilies, WebOs) {
  DeviceInfo info = webos("OLED55C3", "23");
  EXPECT_EQ(info.primary_hardware_type, "TV");
  EXPECT_EQ(info.manufacturer, "LG");
  EXPECT_EQ(info.os_name, "webOS");
  EXPECT_EQ(info.model, "OLED55C3");
  EXPECT_EQ(info.os_version, "23");
}

TEST(DeviceInfoFamilies, Roku) {
  DeviceInfo info = roku("3941X", "12.5");
  EXPECT_EQ(info.primary_hardware_type, "MediaPlayer");
  EXPECT_EQ(info.manufacturer, "Roku");
  EXPECT_EQ(info.os_name, "Roku OS");
  EXPECT_EQ(info.model, "3941X");
  EXPECT_EQ(info.os_version, "12.5");
}

TEST(DeviceInfoFamilies, Android) {
  DeviceInfo phone = android("Pixel 8", "14");
  EXPECT_EQ(phone.primary_hardware_type, "MobilePhone");
  EXPECT_EQ(phone.os_name, "Android");
  EXPECT_EQ(phone.model, "Pixel 8");
  EXPECT_EQ(phone.os_version, "14");
  EXPECT_EQ(phone.manufacturer, "");  // Build.MANUFACTURER is the app's to give
  EXPECT_EQ(android("Tab S9", "14", /*tablet=*/true).primary_hardware_type, "Tablet");
}

TEST(DeviceInfoFamilies, Ios) {
  DeviceInfo phone = ios("iPhone15,2", "17.5");
  EXPECT_EQ(phone.primary_hardware_type, "MobilePhone");
  EXPECT_EQ(phone.manufacturer, "Apple");
  EXPECT_EQ(phone.os_name, "iOS");
  DeviceInfo tablet = ios("iPad14,1", "17.5", /*tablet=*/true);
  EXPECT_EQ(tablet.primary_hardware_type, "Tablet");
  EXPECT_EQ(tablet.os_name, "iPadOS");
  EXPECT_EQ(tablet.manufacturer, "Apple");
}

TEST(DeviceInfoFamilies, LinuxDesktopReadsOsRelease) {
  TempDir dir;
  write_file(dir / "os-release",
             "# comment\n"
             "NAME=\"Debian GNU/Linux\"\n"
             "PRETTY_NAME=\"Debian GNU/Linux 12 (\\\"bookworm\\\")\"\n"
             "VERSION_ID='12'\n"
             "ID=debian\n");
  struct utsname host {};
  ASSERT_EQ(::uname(&host), 0);
  DeviceInfo info = linux_desktop(dir / "os-release");
  EXPECT_EQ(info.primary_hardware_type, "Desktop");
  EXPECT_EQ(info.os_name, "Debian GNU/Linux 12 (\"bookworm\")");
  EXPECT_EQ(info.os_version, "12");
  EXPECT_EQ(info.model, host.machine);
}

TEST(DeviceInfoFamilies, LinuxDesktopFallsBackToNameAndKernelRelease) {
  TempDir dir;
  write_file(dir / "os-release", "NAME=Gentoo\n");
  struct utsname host {};
  ASSERT_EQ(::uname(&host), 0);
  DeviceInfo named = linux_desktop(dir / "os-release");
  EXPECT_EQ(named.os_name, "Gentoo");
  EXPECT_EQ(named.os_version, host.release);
  DeviceInfo bare = linux_desktop(dir / "missing");
  EXPECT_EQ(bare.os_name, "Linux");
  EXPECT_EQ(bare.os_version, host.release);
  EXPECT_EQ(bare.primary_hardware_type, "Desktop");
}

TEST(DeviceInfoFamilies, LinuxDesktopOnThisMachineIsValidJson) {
  DeviceInfo info = linux_desktop();
  EXPECT_FALSE(info.os_name.empty());
  Json parsed = parse(info.to_json());
  ASSERT_TRUE(parsed);
  EXPECT_EQ(member(parsed, "primaryHardwareType"), "Desktop");
}

TEST(DeviceInfoForPlatform, KnowsEveryCliPlatform) {
  EXPECT_EQ(device_info_for_platform("tizen")->os_name, "Tizen");
  EXPECT_EQ(device_info_for_platform("webos")->os_name, "webOS");
  EXPECT_EQ(device_info_for_platform("roku")->primary_hardware_type, "MediaPlayer");
  EXPECT_EQ(device_info_for_platform("android")->os_name, "Android");
  EXPECT_EQ(device_info_for_platform("ios")->os_name, "iOS");
  EXPECT_EQ(device_info_for_platform("linux")->primary_hardware_type, "Desktop");
  EXPECT_EQ(device_info_for_platform("WebOS")->os_name, "webOS");
  for (const char* name : {"tizen", "webos", "roku", "android", "ios"}) {
    auto info = device_info_for_platform(name);
    ASSERT_TRUE(info.ok()) << name;
    EXPECT_FALSE(info->model.empty()) << name;
    EXPECT_FALSE(info->os_version.empty()) << name;
    EXPECT_FALSE(info->manufacturer.empty()) << name;
  }
}

TEST(DeviceInfoForPlatform, UnknownNameIsAnInvalidArgument) {
  for (const char* name : {"", "playstation", "linux ", "tizen2"}) {
    auto info = device_info_for_platform(name);
    ASSERT_FALSE(info.ok()) << name;
    EXPECT_EQ(info.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(info.status().message().find("tizen, webos, roku, android, ios, linux"), std::string::npos);
  }
}

}  // namespace
}  // namespace ssokit::platform
