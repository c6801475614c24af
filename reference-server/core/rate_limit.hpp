#pragma once
// Rate limiting with GCRA (generic cell rate algorithm): one number per key, the
// "theoretical arrival time", so a limit is a single row that any instance can update
// atomically in the shared store. A limit allows `burst` events at once, then one per
// `interval_ms`: "10 then 1/s" is {1000, 10}; "5 failures per 600 s" is {120000, 5}.
#include <cstdint>
#include <string>

#include "core/clock.hpp"

namespace ssokit::server {

struct RateLimit {
  Millis interval_ms = 1000;
  std::int64_t burst = 1;

  // "N/W": N events per W seconds, N at once.
  static RateLimit per_window(std::int64_t events, std::int64_t window_seconds);
};

struct RateDecision {
  bool allowed = true;
  Millis retry_after_ms = 0;  // when denied: how long until one event fits again
  Millis new_tat = 0;         // when allowed: the value to store for the key
};

// Would one more event fit, given the stored arrival time (0 when the key has none)?
// To count the event, store `new_tat`; to only look, store nothing.
RateDecision gcra(Millis stored_tat, Millis now, const RateLimit& limit);

// Whole seconds for a Retry-After header: rounded up, at least 1.
std::int64_t retry_after_seconds(Millis retry_after_ms);

}  // namespace ssokit::server
