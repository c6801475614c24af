#include <gtest/gtest.h>

#include "wire_test_support.hpp"

namespace ssokit::wire {
namespace {

using testing::ms;

Status parse_status(const std::string& body) {
  return testing::status_of(parse_service_token(body));
}

TEST(ParseServiceToken, ReadsTheReferenceServersAnswer) {
  const auto token = parse_service_token(
      R"({"status":"CREATED","serviceToken":"eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln","notBefore":1795409759000,"notAfter":1795413359000})");
  ASSERT_TRUE(token.ok()) << token.status().message();
  EXPECT_EQ(token->value, "eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln");
  EXPECT_EQ(token->not_before, ms(1795409759000));
  EXPECT_EQ(token->not_after, ms(1795413359000));
}

TEST(ParseServiceToken, AcceptsTheSeedsJwsName) {
  const auto token = parse_service_token(R"({"status":"OK","jws":"a.b.c","notBefore":10,"notAfter":20})");
  ASSERT_TRUE(token.ok()) << token.status().message();
  EXPECT_EQ(token->value, "a.b.c");
  EXPECT_EQ(token->not_before, ms(10));
  EXPECT_EQ(token->not_after, ms(20));
}

TEST(ParseServiceToken, PrefersServiceTokenWhenBothNamesArePresent) {
  const auto token = parse_service_token(R"({"jws":"old.b.c","serviceToken":"new.b.c","notBefore":1,"notAfter":2})");
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(token->value, "new.b.c");
}

TEST(ParseServiceToken, ANullServiceTokenCountsAsAbsent) {
  const auto token = parse_service_token(R"({"serviceToken":null,"jws":"a.b.c","notBefore":1,"notAfter":2})");
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(token->value, "a.b.c");
}

TEST(ParseServiceToken, StatusIsNeitherRequiredNorChecked) {
  EXPECT_TRUE(parse_status(R"({"serviceToken":"a","notBefore":1,"notAfter":2})").ok());
  EXPECT_TRUE(parse_status(R"({"status":"WHATEVER","serviceToken":"a","notBefore":1,"notAfter":2})").ok());
}

TEST(ParseServiceToken, RefusesMissingOrMistypedFields) {
  struct Case {
    const char* body;
    const char* message;
  };
  const Case cases[] = {
      {R"({"notBefore":1,"notAfter":2})", "bad service token answer: serviceToken (or jws) is missing"},
      {R"({"serviceToken":"","notBefore":1,"notAfter":2})", "bad service token answer: serviceToken is empty"},
      {R"({"serviceToken":42,"notBefore":1,"notAfter":2})", "bad service token answer: serviceToken is not a string"},
      {R"({"serviceToken":["a"],"notBefore":1,"notAfter":2})",
       "bad service token answer: serviceToken is not a string"},
      {R"({"jws":{},"notBefore":1,"notAfter":2})", "bad service token answer: jws is not a string"},
      {R"({"serviceToken":"a","notAfter":2})", "bad service token answer: notBefore is missing"},
      {R"({"serviceToken":"a","notBefore":1})", "bad service token answer: notAfter is missing"},
      {R"({"serviceToken":"a","notBefore":null,"notAfter":2})", "bad service token answer: notBefore is missing"},
      {R"({"serviceToken":"a","notBefore":"1","notAfter":2})",
       "bad service token answer: notBefore is not a time (whole ms since the epoch, 0..2^53)"},
      {R"({"serviceToken":"a","notBefore":1,"notAfter":0})", "bad service token answer: notAfter is before notBefore"},
  };
  for (const Case& c : cases) {
    const Status status = parse_status(c.body);
    EXPECT_EQ(status.code(), ErrorCode::kBadResponse) << c.body;
    EXPECT_EQ(status.message(), c.message) << c.body;
  }
}

TEST(ParseServiceToken, RefusesATokenThatCannotGoIntoAHeader) {
  for (const char* body : {R"({"serviceToken":"a.b\r\nX-Evil: 1","notBefore":1,"notAfter":2})",
                           R"({"serviceToken":"a b","notBefore":1,"notAfter":2})",
                           R"({"serviceToken":"a\u0000b","notBefore":1,"notAfter":2})",
                           "{\"serviceToken\":\"a\xc3\xa9\",\"notBefore\":1,\"notAfter\":2}"}) {
    const Status status = parse_status(body);
    EXPECT_EQ(status.code(), ErrorCode::kBadResponse) << body;
  }
  EXPECT_EQ(parse_status(R"({"serviceToken":"a b","notBefore":1,"notAfter":2})").message(),
            "bad service token answer: serviceToken (or jws) has characters a header cannot carry");
}

TEST(ParseServiceToken, TimesAreWholeNonNegativeMillisecondsUpTo2To53) {
  const auto at = [](const std::string& number) {
    return parse_service_token(R"({"serviceToken":"a","notBefore":)" + number + R"(,"notAfter":)" + number + "}");
  };
  const auto expect_time = [&at](const std::string& number, std::int64_t expected) {
    const auto token = at(number);
    ASSERT_TRUE(token.ok()) << number << ": " << token.status().message();
    EXPECT_EQ(token->not_after, ms(expected)) << number;
  };
  expect_time("0", 0);
  expect_time("9007199254740992", 9007199254740992);  // 2^53
  expect_time("1710000000000.0", 1710000000000);      // a whole number written as a fraction
  expect_time("1.71e12", 1710000000000);
  expect_time("-0", 0);
  for (const char* bad : {"-1", "-1710000000000", "1.5", "1710000000000.25", "9007199254740994", "1e300", "1e400",
                          "-1e400", "18446744073709551616", "true", "\"1710000000000\"", "[1]", "{}"}) {
    const auto token = at(bad);
    ASSERT_FALSE(token.ok()) << bad;
    EXPECT_EQ(token.status().code(), ErrorCode::kBadResponse) << bad;
  }
}

TEST(ParseServiceToken, AWindowLongerThanAYearIsCutToAYear) {
  constexpr std::int64_t kYearMs = std::int64_t{365} * 24 * 3'600'000;
  const auto token = parse_service_token(R"({"serviceToken":"a","notBefore":0,"notAfter":)" +
                                         std::to_string(std::int64_t{1} << 53) + "}");
  ASSERT_TRUE(token.ok()) << token.status().message();
  EXPECT_EQ(token->not_before, ms(0));
  EXPECT_EQ(token->not_after, ms(kYearMs));
}

TEST(ParseServiceToken, AcceptsAnEmptyWindow) {
  const auto token = parse_service_token(R"({"serviceToken":"a","notBefore":5,"notAfter":5})");
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(token->not_before, token->not_after);
}

}  // namespace
}  // namespace ssokit::wire
