// GET link/status (SPEC §6.1): the state, the code's end and the joining device, read as the
// list reads a device.
#include <gtest/gtest.h>

#include "wire_test_support.hpp"

namespace ssokit::wire {
namespace {

using testing::ms;

// The reference server's answer while a Samsung TV waits for approval.
constexpr const char* kAwaiting =
    R"({"status":"AWAITING_APPROVAL","notAfter":1795410374216,"device":{"deviceType":"TV","model":"QE55Q80C",)"
    R"("os":"Tizen","osVersion":"7.0","lastSeen":1795409780000,"type":"sso","manufacturer":"Samsung",)"
    R"("connectionType":"wifi","id":"dHYtc2Rr"}})";

TEST(ParseLinkCodeStatus, ReadsTheJoiningDeviceAsTheListShowsIt) {
  const auto status = parse_link_code_status(kAwaiting, "cGhvbmU=");
  ASSERT_TRUE(status.ok()) << status.status().message();
  EXPECT_EQ(status->state, LinkCodeState::kAwaitingApproval);
  EXPECT_EQ(status->not_after, ms(1795410374216));
  ASSERT_TRUE(status->device);
  const Device& tv = *status->device;
  EXPECT_EQ(tv.id, "dHYtc2Rr");
  EXPECT_EQ(tv.device_type, "TV");
  EXPECT_EQ(tv.model, "QE55Q80C");
  EXPECT_EQ(tv.os, "Tizen");
  EXPECT_EQ(tv.os_version, "7.0");
  EXPECT_EQ(tv.last_seen, ms(1795409780000));
  EXPECT_EQ(tv.type, DeviceLinkType::kSso);
  EXPECT_FALSE(tv.current);
  // The id is the entry's own key here, not metadata: extra holds only what the TV sent.
  EXPECT_EQ(tv.extra, (std::map<std::string, std::string>{{"manufacturer", "Samsung"}, {"connectionType", "wifi"}}));
}

TEST(ParseLinkCodeStatus, ReadsEveryState) {
  const std::pair<const char*, LinkCodeState> states[] = {
      {"WAITING", LinkCodeState::kWaiting},   {"AWAITING_APPROVAL", LinkCodeState::kAwaitingApproval},
      {"REDEEMED", LinkCodeState::kRedeemed}, {"DENIED", LinkCodeState::kDenied},
      {"EXPIRED", LinkCodeState::kExpired},
  };
  for (const auto& [name, state] : states) {
    const auto status = parse_link_code_status(std::string(R"({"status":")") + name + R"(","notAfter":7})", "");
    ASSERT_TRUE(status.ok()) << name << ": " << status.status().message();
    EXPECT_EQ(status->state, state) << name;
    EXPECT_EQ(status->not_after, ms(7));
    EXPECT_FALSE(status->device) << name;  // absent (WAITING, EXPIRED) is no device
  }
  const auto null_device = parse_link_code_status(R"({"status":"WAITING","notAfter":7,"device":null})", "");
  ASSERT_TRUE(null_device.ok());
  EXPECT_FALSE(null_device->device);
}

TEST(ParseLinkCodeStatus, MarksThisDeviceAsTheListDoes) {
  const auto status = parse_link_code_status(kAwaiting, "dHYtc2Rr");
  ASSERT_TRUE(status.ok());
  EXPECT_TRUE(status->device->current);
}

TEST(ParseLinkCodeStatus, RefusesWhatItCannotRead) {
  struct Case {
    const char* body;
    const char* message;
  };
  const Case cases[] = {
      {R"({"notAfter":7})", "bad link code status answer: status is missing"},
      {R"({"status":"PENDING","notAfter":7})",
       "bad link code status answer: status is not a link code state the SDK knows"},
      {R"({"status":"waiting","notAfter":7})",
       "bad link code status answer: status is not a link code state the SDK knows"},
      {R"({"status":1,"notAfter":7})", "bad link code status answer: status is not a string"},
      {R"({"status":"WAITING"})", "bad link code status answer: notAfter is missing"},
      {R"({"status":"WAITING","notAfter":-1})",
       "bad link code status answer: notAfter is not a time (whole ms since the epoch, 0..2^53)"},
      {R"({"status":"REDEEMED","notAfter":7,"device":"dHYtc2Rr"})",
       "bad link code status answer: device is not an object"},
      {R"({"status":"REDEEMED","notAfter":7,"device":{"lastSeen":1,"type":"sso"}})",
       "bad link code status answer: device.id is missing"},
      {R"({"status":"REDEEMED","notAfter":7,"device":{"id":"","lastSeen":1,"type":"sso"}})",
       "bad link code status answer: device.id is empty"},
      {R"({"status":"REDEEMED","notAfter":7,"device":{"id":"d","type":"sso"}})",
       "bad link code status answer: device.lastSeen is missing"},
      {R"({"status":"REDEEMED","notAfter":7,"device":{"id":"d","lastSeen":1,"type":"guest"}})",
       "bad link code status answer: device.type is neither \"regular\" nor \"sso\""},
      {R"({"status":"REDEEMED","notAfter":7,"device":{"id":"d","lastSeen":1,"type":"sso","model":5}})",
       "bad link code status answer: device.model is not a string"},
  };
  for (const Case& c : cases) {
    const auto status = parse_link_code_status(c.body, "");
    ASSERT_FALSE(status.ok()) << c.body;
    EXPECT_EQ(status.status().code(), ErrorCode::kBadResponse);
    EXPECT_EQ(status.status().message(), c.message) << c.body;
  }
}

}  // namespace
}  // namespace ssokit::wire
