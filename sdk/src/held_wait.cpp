#include "held_wait.hpp"

#include <algorithm>

namespace ssokit::internal {

std::chrono::seconds held_wait(std::chrono::milliseconds remaining) {
  const auto usable = std::chrono::duration_cast<std::chrono::seconds>(remaining - kHeldAnswerMargin);
  return std::clamp(usable, std::chrono::seconds(0), kMaxHeldWait);
}

std::string wait_query(std::chrono::seconds wait) {
  return wait.count() > 0 ? "?wait=" + std::to_string(wait.count()) : std::string();
}

Status before_next_held_request(const CallContext& call, std::chrono::steady_clock::time_point last_sent, Clock& clock,
                                bool& worth) {
  worth = false;
  const auto since = std::chrono::duration_cast<std::chrono::milliseconds>(clock.steady_now() - last_sent);
  const auto spacing = std::max(std::chrono::milliseconds(0), kMinHeldRequestSpacing - since);
  if (held_wait(call.remaining() - spacing).count() == 0) return Status();
  if (spacing.count() > 0) {
    const Status waited = call.wait(spacing);
    if (waited.code() == ErrorCode::kCancelled) return waited;
    if (!waited.ok()) return Status();  // the deadline came: no further request
  }
  worth = true;
  return Status();
}

}  // namespace ssokit::internal
