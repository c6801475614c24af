#include <gtest/gtest.h>

#include "wire_test_support.hpp"

namespace ssokit::wire {
namespace {

using testing::ms;

TEST(ParseLinkCode, ReadsTheReferenceServersAnswer) {
  const auto code =
      parse_link_code(R"({"status":"CREATED","code":"366474","notBefore":1795409774216,"notAfter":1795410374216})");
  ASSERT_TRUE(code.ok()) << code.status().message();
  EXPECT_EQ(code->value, "366474");
  EXPECT_EQ(code->not_before, ms(1795409774216));
  EXPECT_EQ(code->not_after, ms(1795410374216));
}

TEST(ParseLinkCode, AcceptsTheSeedsLinkName) {
  const auto code = parse_link_code(R"({"status":"CREATED","link":"123456","notBefore":1,"notAfter":2})");
  ASSERT_TRUE(code.ok()) << code.status().message();
  EXPECT_EQ(code->value, "123456");
}

TEST(ParseLinkCode, PrefersCodeWhenBothNamesArePresent) {
  const auto code = parse_link_code(R"({"link":"111111","code":"222222","notBefore":1,"notAfter":2})");
  ASSERT_TRUE(code.ok());
  EXPECT_EQ(code->value, "222222");
}

TEST(ParseLinkCode, KeepsOtherFormatsAsSent) {
  for (const char* value : {"SWHBBPHP", "025 605", "swhb-bphp", "\xc3\xa9t\xc3\xa9"}) {
    const auto code = parse_link_code(std::string(R"({"code":")") + value + R"(","notBefore":1,"notAfter":2})");
    ASSERT_TRUE(code.ok()) << value;
    EXPECT_EQ(code->value, value);
  }
}

TEST(ParseLinkCode, AWindowLongerThanAYearIsCutToAYear) {
  constexpr std::int64_t kYearMs = std::int64_t{365} * 24 * 3'600'000;
  constexpr std::int64_t kNow = 1795409774216;
  for (const std::int64_t not_after : {kNow + kYearMs + 1, kNow + 100 * kYearMs, std::int64_t{1} << 53}) {
    const auto code = parse_link_code(R"({"code":"228128","notBefore":)" + std::to_string(kNow) + R"(,"notAfter":)" +
                                      std::to_string(not_after) + "}");
    ASSERT_TRUE(code.ok()) << code.status().message();
    EXPECT_EQ(code->not_before, ms(kNow));
    EXPECT_EQ(code->not_after, ms(kNow + kYearMs)) << not_after;
  }
  const auto year = parse_link_code(R"({"code":"228128","notBefore":0,"notAfter":)" + std::to_string(kYearMs) + "}");
  ASSERT_TRUE(year.ok());
  EXPECT_EQ(year->not_after, ms(kYearMs));
}

TEST(ParseLinkCode, ReadsWhetherTheCodeNeedsApproval) {
  const auto required = parse_link_code(
      R"({"status":"CREATED","code":"366474","notBefore":1,"notAfter":2,"approval":"required"})");
  ASSERT_TRUE(required.ok()) << required.status().message();
  EXPECT_TRUE(required->approval_required);
  const auto optional = parse_link_code(R"({"code":"366474","notBefore":1,"notAfter":2,"approval":"optional"})");
  ASSERT_TRUE(optional.ok()) << optional.status().message();
  EXPECT_FALSE(optional->approval_required);
  // A server that knows only SPEC §2 sends no approval, or null: no approval either.
  for (const char* body : {R"({"code":"366474","notBefore":1,"notAfter":2})",
                           R"({"code":"366474","notBefore":1,"notAfter":2,"approval":null})"}) {
    const auto code = parse_link_code(body);
    ASSERT_TRUE(code.ok()) << body;
    EXPECT_FALSE(code->approval_required) << body;
    EXPECT_EQ(code->uri, "") << body;
  }
}

TEST(ParseLinkCode, RefusesAnApprovalItDoesNotKnow) {
  for (const char* approval : {R"("maybe")", R"("REQUIRED")", "true", "1"}) {
    const auto code =
        parse_link_code(std::string(R"({"code":"366474","notBefore":1,"notAfter":2,"approval":)") + approval + "}");
    ASSERT_FALSE(code.ok()) << approval;
    EXPECT_EQ(code.status().code(), ErrorCode::kBadResponse);
    EXPECT_EQ(code.status().message().rfind("bad link code answer: approval ", 0), 0u) << code.status().message();
  }
}

TEST(ApprovalRequestBody, AsksForApproval) {
  EXPECT_EQ(approval_request_body(), R"({"approval":"required"})");
}

TEST(ParseLinkCode, RefusesMissingEmptyMistypedOrControlCharacters) {
  struct Case {
    const char* body;
    const char* message;
  };
  const Case cases[] = {
      {R"({"notBefore":1,"notAfter":2})", "bad link code answer: code (or link) is missing"},
      {R"({"code":"","notBefore":1,"notAfter":2})", "bad link code answer: code is empty"},
      {R"({"code":228128,"notBefore":1,"notAfter":2})", "bad link code answer: code is not a string"},
      {R"({"code":"12\u001b[2J34","notBefore":1,"notAfter":2})", "bad link code answer: code has control characters"},
      {R"({"code":"123456\n","notBefore":1,"notAfter":2})", "bad link code answer: code has control characters"},
      {R"({"code":"123456","notBefore":-5,"notAfter":2})",
       "bad link code answer: notBefore is not a time (whole ms since the epoch, 0..2^53)"},
      {R"({"code":"123456","notBefore":3,"notAfter":2})", "bad link code answer: notAfter is before notBefore"},
  };
  for (const Case& c : cases) {
    const auto code = parse_link_code(c.body);
    ASSERT_FALSE(code.ok()) << c.body;
    EXPECT_EQ(code.status().code(), ErrorCode::kBadResponse);
    EXPECT_EQ(code.status().message(), c.message);
  }
}

}  // namespace
}  // namespace ssokit::wire
