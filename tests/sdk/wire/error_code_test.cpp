#include <gtest/gtest.h>

#include <set>

#include "ssokit/status.hpp"

namespace ssokit {
namespace {

TEST(ErrorCodeToString, NamesEveryCodeUniquelyInSnakeCase) {
  std::set<std::string_view> names;
  for (int value = static_cast<int>(ErrorCode::kOk); value <= static_cast<int>(ErrorCode::kLinkDenied);
       ++value) {
    const std::string_view name = to_string(static_cast<ErrorCode>(value));
    EXPECT_NE(name, "unknown") << value;
    EXPECT_TRUE(names.insert(name).second) << name;
    for (char c : name) EXPECT_TRUE((c >= 'a' && c <= 'z') || c == '_') << name;
  }
  EXPECT_EQ(names.size(), 19u);
}

TEST(ErrorCodeToString, ServerCodesKeepTheServersNames) {
  EXPECT_EQ(to_string(ErrorCode::kOk), "ok");
  EXPECT_EQ(to_string(ErrorCode::kLinkCodeInvalid), "link_code_invalid");
  EXPECT_EQ(to_string(ErrorCode::kDeviceUnlinked), "device_unlinked");
  EXPECT_EQ(to_string(ErrorCode::kDeviceLimitReached), "device_limit_reached");
  EXPECT_EQ(to_string(ErrorCode::kLinkDenied), "link_denied");
  EXPECT_EQ(to_string(ErrorCode::kTokenExpired), "token_expired");
  EXPECT_EQ(to_string(ErrorCode::kTokenInvalid), "token_invalid");
  EXPECT_EQ(to_string(ErrorCode::kRateLimited), "rate_limited");
  EXPECT_EQ(to_string(ErrorCode::kBadResponse), "bad_response");
  EXPECT_EQ(to_string(ErrorCode::kNetworkError), "network_error");
}

TEST(ErrorCodeToString, CodesAddedLaterKeepTheEarlierValues) {
  EXPECT_EQ(static_cast<int>(ErrorCode::kStorageError), 16);
  EXPECT_EQ(static_cast<int>(ErrorCode::kDeviceLimitReached), 17);
  EXPECT_EQ(static_cast<int>(ErrorCode::kLinkDenied), 18);
}

TEST(ErrorCodeToString, AValueOutsideTheEnumIsUnknown) {
  EXPECT_EQ(to_string(static_cast<ErrorCode>(9999)), "unknown");
}

}  // namespace
}  // namespace ssokit
