#include <array>
#include <cstdint>
#include <string_view>

#include "wire/wire.hpp"

namespace ssokit::wire {
namespace {

constexpr std::array<std::string_view, 7> kDayNames = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr std::array<std::string_view, 12> kMonthNames = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

bool is_optional_whitespace(char c) {
  return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_optional_whitespace(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_optional_whitespace(text.back())) text.remove_suffix(1);
  return text;
}

// `count` decimal digits at `text[at]`; -1 when any of them is not a digit.
int digits(std::string_view text, std::size_t at, std::size_t count) {
  int value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

bool is_leap_year(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
  constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap_year(year) ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

// Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t year, std::int64_t month, std::int64_t day) {
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const std::int64_t year_of_era = year - era * 400;
  const std::int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const std::int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

}  // namespace

// IMF-fixdate only (RFC 9110 §5.6.7): "Sun, 06 Nov 1994 08:49:37 GMT", surrounding spaces
// allowed. The day name must be a day name but is not checked against the date, as a
// recipient cannot do anything better with a mismatch than trust the numbers. Second 60 (a
// leap second) is accepted. Dates outside system_clock's range are refused.
std::optional<std::chrono::system_clock::time_point> parse_http_date(const std::string& value) {
  const std::string_view text = trim(value);
  // "Sun, 06 Nov 1994 08:49:37 GMT"
  //  0123456789012345678901234567 8
  if (text.size() != 29) return std::nullopt;
  bool known_day = false;
  for (std::string_view day : kDayNames) known_day = known_day || text.substr(0, 3) == day;
  if (!known_day || text.substr(3, 2) != ", " || text[7] != ' ' || text[11] != ' ' || text[16] != ' ' ||
      text[19] != ':' || text[22] != ':' || text.substr(25) != " GMT") {
    return std::nullopt;
  }
  int month = 0;
  for (std::size_t i = 0; i < kMonthNames.size(); ++i) {
    if (text.substr(8, 3) == kMonthNames[i]) month = static_cast<int>(i) + 1;
  }
  const int day = digits(text, 5, 2);
  const int year = digits(text, 12, 4);
  const int hour = digits(text, 17, 2);
  const int minute = digits(text, 20, 2);
  const int second = digits(text, 23, 2);
  if (month == 0 || year < 0 || day < 1 || day > days_in_month(year, month) || hour < 0 || hour > 23 || minute < 0 ||
      minute > 59 || second < 0 || second > 60) {
    return std::nullopt;
  }
  const std::int64_t seconds =
      days_from_civil(year, month, day) * 86400 + std::int64_t{hour} * 3600 + std::int64_t{minute} * 60 + second;
  using std::chrono::system_clock;
  constexpr auto kMax = std::chrono::duration_cast<std::chrono::seconds>(system_clock::duration::max()).count();
  constexpr auto kMin = std::chrono::duration_cast<std::chrono::seconds>(system_clock::duration::min()).count();
  if (seconds > kMax || seconds < kMin) return std::nullopt;
  return system_clock::time_point(std::chrono::duration_cast<system_clock::duration>(std::chrono::seconds(seconds)));
}

}  // namespace ssokit::wire
