#include "clock.hpp"

#include <chrono>
#include <thread>

namespace ssokit::testing {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

void sleep_until_ms(std::int64_t epoch_ms) {
  const std::int64_t wait = epoch_ms - now_ms();
  if (wait > 0) std::this_thread::sleep_for(std::chrono::milliseconds(wait));
  while (now_ms() < epoch_ms) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

}  // namespace ssokit::testing
