#include "backoff.hpp"

#include <algorithm>

namespace ssokit::internal {

std::chrono::milliseconds backoff_delay(int attempt, const RetryPolicy& policy, std::uint64_t random) {
  const std::int64_t initial = std::max<std::int64_t>(policy.initial_backoff.count(), 0);
  const std::int64_t cap = std::max<std::int64_t>(policy.max_backoff.count(), 0);
  std::int64_t ceiling = initial;
  for (int i = 0; i < attempt && ceiling < cap; ++i) ceiling *= 2;
  ceiling = std::min(ceiling, cap);
  return std::chrono::milliseconds(static_cast<std::int64_t>(random % static_cast<std::uint64_t>(ceiling + 1)));
}

}  // namespace ssokit::internal
