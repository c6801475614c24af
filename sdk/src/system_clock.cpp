#include <memory>
#include <thread>

#include "ssokit/platform.hpp"

namespace ssokit {
namespace {

class SystemClocks final : public Clock {
 public:
  std::chrono::system_clock::time_point system_now() const override { return std::chrono::system_clock::now(); }
  std::chrono::steady_clock::time_point steady_now() const override { return std::chrono::steady_clock::now(); }
};

}  // namespace

void Clock::sleep_for(std::chrono::milliseconds duration) { std::this_thread::sleep_for(duration); }

std::shared_ptr<Clock> system_clock() {
  static const std::shared_ptr<Clock> clock = std::make_shared<SystemClocks>();
  return clock;
}

}  // namespace ssokit
