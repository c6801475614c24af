#include "core/rate_limit.hpp"

#include <algorithm>

namespace ssokit::server {

RateLimit RateLimit::per_window(std::int64_t events, std::int64_t window_seconds) {
  RateLimit limit;
  limit.burst = std::max<std::int64_t>(events, 1);
  limit.interval_ms = std::max<Millis>(window_seconds * 1000 / limit.burst, 1);
  return limit;
}

RateDecision gcra(Millis stored_tat, Millis now, const RateLimit& limit) {
  RateDecision decision;
  // Counting events puts the stored time at most one burst period ahead of now; more than
  // two periods ahead means the clock stepped back. Forget it rather than lock the key out
  // for the length of the step (small steps keep the limit as it is).
  const bool stale = stored_tat - now > 2 * limit.burst * limit.interval_ms;
  const Millis tat = stale ? now : std::max(stored_tat, now);
  const Millis new_tat = tat + limit.interval_ms;
  // The event fits while new_tat stays within `burst` intervals of now.
  const Millis allow_at = new_tat - limit.burst * limit.interval_ms;
  if (now < allow_at) {
    decision.allowed = false;
    decision.retry_after_ms = allow_at - now;
  } else {
    decision.new_tat = new_tat;
  }
  return decision;
}

std::int64_t retry_after_seconds(Millis retry_after_ms) {
  return std::max<std::int64_t>(1, (retry_after_ms + 999) / 1000);
}

}  // namespace ssokit::server
