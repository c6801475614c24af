#include <gtest/gtest.h>

#include "wire_test_support.hpp"

namespace ssokit::wire {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr const char* kDate = "Mon, 23 Nov 2026 10:00:00 GMT";

TEST(ParseRetryAfter, ReadsDeltaSeconds) {
  EXPECT_EQ(parse_retry_after("120", ""), milliseconds(120000));
  EXPECT_EQ(parse_retry_after("1", kDate), milliseconds(1000));
  EXPECT_EQ(parse_retry_after("0", ""), milliseconds(0));
  EXPECT_EQ(parse_retry_after("007", ""), milliseconds(7000));
  EXPECT_EQ(parse_retry_after(" 30\t", ""), milliseconds(30000));
}

TEST(ParseRetryAfter, CapsEveryWaitAtAnHour) {
  // A server asking for more gets an hour: the app may then try again and be told again.
  const auto cap = milliseconds(std::chrono::hours(1));
  EXPECT_EQ(parse_retry_after("3600", ""), cap);
  EXPECT_EQ(parse_retry_after("3599", ""), milliseconds(seconds(3599)));
  EXPECT_EQ(parse_retry_after("3601", ""), cap);
  EXPECT_EQ(parse_retry_after("2147483648", ""), cap);
  EXPECT_EQ(parse_retry_after("9223372036854775807", ""), cap);
  EXPECT_EQ(parse_retry_after("99999999999999999999999999999999", ""), cap);
  EXPECT_EQ(parse_retry_after("Tue, 24 Nov 2026 10:00:00 GMT", kDate), cap);
  EXPECT_EQ(parse_retry_after("Fri, 11 Apr 2262 23:47:16 GMT", "Mon, 03 Jan 1678 00:00:00 GMT"), cap);
  EXPECT_EQ(parse_retry_after("Mon, 03 Jan 1678 00:00:00 GMT", "Fri, 11 Apr 2262 23:47:16 GMT"), milliseconds(0));
}

TEST(ParseRetryAfter, ReadsAnHttpDateAgainstTheAnswersDate) {
  EXPECT_EQ(parse_retry_after("Mon, 23 Nov 2026 10:00:30 GMT", kDate), milliseconds(30000));
  EXPECT_EQ(parse_retry_after("Mon, 23 Nov 2026 10:59:59 GMT", kDate), milliseconds(seconds(3599)));
  // Independent of the machine clock: the same 30 s far in the past and far in the future.
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:50:07 GMT", "Sun, 06 Nov 1994 08:49:37 GMT"), milliseconds(30000));
  EXPECT_EQ(parse_retry_after("Fri, 31 Dec 2100 23:59:59 GMT", "Fri, 31 Dec 2100 23:59:29 GMT"), milliseconds(30000));
  // Across a day, a month and a year.
  EXPECT_EQ(parse_retry_after("Fri, 01 Jan 2027 00:00:05 GMT", "Thu, 31 Dec 2026 23:59:55 GMT"), milliseconds(10000));
}

TEST(ParseRetryAfter, ADateInThePastIsNoWait) {
  EXPECT_EQ(parse_retry_after("Mon, 23 Nov 2026 09:59:00 GMT", kDate), milliseconds(0));
  EXPECT_EQ(parse_retry_after(kDate, kDate), milliseconds(0));
}

TEST(ParseRetryAfter, ADateWithoutAUsableDateHeaderIsUnreadable) {
  EXPECT_EQ(parse_retry_after("Mon, 23 Nov 2026 10:00:30 GMT", ""), std::nullopt);
  EXPECT_EQ(parse_retry_after("Mon, 23 Nov 2026 10:00:30 GMT", "yesterday"), std::nullopt);
}

TEST(ParseRetryAfter, GarbageIsNullopt) {
  for (const char* value : {"", " ", "soon", "-1", "+5", "1.5", "1e3", "30s", "3 0", "0x10", "١٢",
                            "Mon, 23 Nov 2026 10:00:30", "Mon, 32 Nov 2026 10:00:30 GMT"}) {
    EXPECT_EQ(parse_retry_after(value, kDate), std::nullopt) << value;
  }
}

}  // namespace
}  // namespace ssokit::wire
