#include "stored_values.hpp"

#include <limits>

#include "wire/json.hpp"

namespace ssokit::internal {

std::optional<std::int64_t> parse_stored_integer(std::string_view text, std::int64_t min, std::int64_t max) {
  const bool negative = !text.empty() && text.front() == '-';
  if (negative) text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  // The magnitude, unsigned so that INT64_MIN's fits; refused as soon as it leaves int64.
  constexpr std::uint64_t kLimit = std::uint64_t{std::numeric_limits<std::int64_t>::max()} + 1;
  std::uint64_t magnitude = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (magnitude > (kLimit - digit) / 10) return std::nullopt;
    magnitude = magnitude * 10 + digit;
  }
  if (!negative && magnitude == kLimit) return std::nullopt;
  const std::int64_t value = negative ? (magnitude == kLimit ? std::numeric_limits<std::int64_t>::min()
                                                             : -static_cast<std::int64_t>(magnitude))
                                      : static_cast<std::int64_t>(magnitude);
  if (value < min || value > max) return std::nullopt;
  return value;
}

std::optional<ServerTime> parse_stored_time(std::string_view text) {
  const auto ms = parse_stored_integer(text, 0, wire::json::kMaxExactInteger);
  if (!ms) return std::nullopt;
  return ServerTime(std::chrono::milliseconds(*ms));
}

}  // namespace ssokit::internal
