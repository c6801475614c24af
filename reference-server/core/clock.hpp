#pragma once
// Time as the core sees it: milliseconds since the Unix epoch, read through an injected
// clock so tests can move time without sleeping.
#include <cstdint>

namespace ssokit::server {

using Millis = std::int64_t;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Millis now_ms() const = 0;
};

class SystemClock final : public Clock {
 public:
  Millis now_ms() const override;
};

}  // namespace ssokit::server
