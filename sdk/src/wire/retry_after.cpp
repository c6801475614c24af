#include <algorithm>
#include <cstdint>
#include <string_view>

#include "time_limits.hpp"
#include "wire/wire.hpp"

namespace ssokit::wire {
namespace {

// Every wait is capped (time_limits.hpp), dates included; digits beyond the cap are read as
// the cap, as RFC 9110 §5.6.7 asks for a delta-seconds too large to hold.
constexpr std::int64_t kMaxWaitSeconds =
    std::chrono::duration_cast<std::chrono::seconds>(internal::kMaxRetryAfter).count();

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::optional<std::chrono::seconds> delta_seconds(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::int64_t seconds = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    seconds = std::min<std::int64_t>(seconds * 10 + (c - '0'), kMaxWaitSeconds);
  }
  return std::chrono::seconds(seconds);
}

std::int64_t epoch_seconds(std::chrono::system_clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

}  // namespace

// "120" (delta-seconds), or an IMF-fixdate read against the answer's Date: a date in the past
// is no wait (0); without a usable Date there is no "now" the SDK trusts, so nullopt (the
// caller falls back to its own backoff rather than the device clock).
std::optional<std::chrono::milliseconds> parse_retry_after(const std::string& value, const std::string& date_header) {
  const std::string_view text = trim(value);
  if (!text.empty() && text.front() >= '0' && text.front() <= '9') {
    auto seconds = delta_seconds(text);
    if (!seconds) return std::nullopt;
    return std::chrono::milliseconds(*seconds);
  }
  const auto until = parse_http_date(value);
  if (!until) return std::nullopt;
  const auto now = parse_http_date(date_header);
  if (!now) return std::nullopt;
  const std::int64_t wait = std::clamp<std::int64_t>(epoch_seconds(*until) - epoch_seconds(*now), 0, kMaxWaitSeconds);
  return std::chrono::milliseconds(std::chrono::seconds(wait));
}

}  // namespace ssokit::wire
