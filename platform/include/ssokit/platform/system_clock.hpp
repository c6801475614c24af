#pragma once
// The real clocks as an ssokit::Clock object, for code that wants its own instance; the SDK's
// shared one is ssokit::system_clock() (sdk/include/ssokit/platform.hpp).
#include <chrono>

#include "ssokit/export.hpp"
#include "ssokit/platform.hpp"

namespace ssokit::platform {

class SSOKIT_API SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point system_now() const override {
    return std::chrono::system_clock::now();
  }
  std::chrono::steady_clock::time_point steady_now() const override {
    return std::chrono::steady_clock::now();
  }
};

}  // namespace ssokit::platform
