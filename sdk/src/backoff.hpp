#pragma once
// Capped exponential backoff with full jitter: the wait before retry number `attempt`
// (0-based) is uniform in [0, min(max_backoff, initial_backoff * 2^attempt)].
#include <chrono>
#include <cstdint>

#include "ssokit/client.hpp"

namespace ssokit::internal {

std::chrono::milliseconds backoff_delay(int attempt, const RetryPolicy& policy, std::uint64_t random);

}  // namespace ssokit::internal
