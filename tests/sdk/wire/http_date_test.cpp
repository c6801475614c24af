#include <gtest/gtest.h>

#include "wire_test_support.hpp"

namespace ssokit::wire {
namespace {

std::int64_t epoch_seconds(const std::optional<std::chrono::system_clock::time_point>& time) {
  return std::chrono::duration_cast<std::chrono::seconds>(time->time_since_epoch()).count();
}

TEST(ParseHttpDate, ReadsImfFixdates) {
  struct Case {
    const char* text;
    std::int64_t seconds;
  };
  const Case cases[] = {
      {"Sun, 06 Nov 1994 08:49:37 GMT", 784111777},  // RFC 9110's example
      {"Thu, 01 Jan 1970 00:00:00 GMT", 0},
      {"Wed, 31 Dec 1969 23:59:59 GMT", -1},
      {"Mon, 23 Nov 2026 04:55:20 GMT", 1795409720},
      {"Tue, 29 Feb 2028 12:00:00 GMT", 1835438400},  // a leap day
      {"Tue, 29 Feb 2000 00:00:00 GMT", 951782400},   // divisible by 400: a leap year
      {"Sat, 31 Dec 2016 23:59:60 GMT", 1483228800},  // a leap second reads as the next second
      {"Fri, 11 Apr 2262 23:47:16 GMT", 9223372036},  // the last second of a nanosecond clock
      {"  Sun, 06 Nov 1994 08:49:37 GMT\t", 784111777},
  };
  for (const Case& c : cases) {
    const auto time = parse_http_date(c.text);
    ASSERT_TRUE(time.has_value()) << c.text;
    EXPECT_EQ(epoch_seconds(time), c.seconds) << c.text;
  }
}

TEST(ParseHttpDate, TheDayNameIsNotCheckedAgainstTheDate) {
  EXPECT_EQ(epoch_seconds(parse_http_date("Mon, 06 Nov 1994 08:49:37 GMT")), 784111777);
}

TEST(ParseHttpDate, RefusesMalformedDates) {
  for (const char* text : {
           "",
           "now",
           "784111777",
           "Sunday, 06-Nov-94 08:49:37 GMT",  // RFC 850: obsolete, not read
           "Sun Nov  6 08:49:37 1994",        // asctime: obsolete, not read
           "Sun, 6 Nov 1994 08:49:37 GMT",
           "Sun, 06 Nov 94 08:49:37 GMT",
           "Sun, 06 nov 1994 08:49:37 GMT",
           "sun, 06 Nov 1994 08:49:37 GMT",
           "Xyz, 06 Nov 1994 08:49:37 GMT",
           "Sun, 06 Xyz 1994 08:49:37 GMT",
           "Sun, 06 Nov 1994 08:49:37 UTC",
           "Sun, 06 Nov 1994 08:49:37 gmt",
           "Sun, 06 Nov 1994 08:49:37 +0000",
           "Sun, 06 Nov 1994 08:49:37 GMT x",
           "Sun, 06 Nov 1994 08:49:37GMT ",
           "Sun,  06 Nov 1994 08:49:37 GMT",
           "Sun, 06 Nov 1994 8:49:37 GMT ",
           "Sun, 00 Nov 1994 08:49:37 GMT",
           "Sun, 31 Nov 1994 08:49:37 GMT",
           "Sun, 29 Feb 2027 08:49:37 GMT",
           "Sun, 29 Feb 1900 08:49:37 GMT",
           "Sun, 06 Nov 1994 24:00:00 GMT",
           "Sun, 06 Nov 1994 08:60:00 GMT",
           "Sun, 06 Nov 1994 08:49:61 GMT",
           "Sun, 06 Nov 1994 08-49-37 GMT",
           "Sun, 06 Nov 199a 08:49:37 GMT",
           "Sun, -6 Nov 1994 08:49:37 GMT",
           "Sun, 06 Nov 1994 08:49:37 GMT\r\n",
       }) {
    EXPECT_EQ(parse_http_date(text), std::nullopt) << text;
  }
}

TEST(ParseHttpDate, RefusesDatesTheSystemClockCannotHold) {
  using std::chrono::system_clock;
  const auto max_seconds = std::chrono::duration_cast<std::chrono::seconds>(system_clock::duration::max()).count();
  for (const char* text :
       {"Fri, 31 Dec 9999 23:59:59 GMT", "Sat, 01 Jan 0000 00:00:00 GMT", "Fri, 11 Apr 2262 23:47:17 GMT"}) {
    const auto time = parse_http_date(text);
    if (max_seconds < 253402300799) {  // a nanosecond clock, as with libstdc++ and libc++
      EXPECT_EQ(time, std::nullopt) << text;
    }
  }
  if (max_seconds >= 253402300799) GTEST_SKIP() << "this system_clock holds every four-digit year";
}

}  // namespace
}  // namespace ssokit::wire
