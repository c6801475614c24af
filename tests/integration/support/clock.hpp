#pragma once
// Wall-clock time as the server sees it (it runs on the same machine and clock).
#include <cstdint>

namespace ssokit::testing {

// Milliseconds / whole seconds since the epoch.
std::int64_t now_ms();
std::int64_t now_seconds();

// Sleeps until now_ms() >= `epoch_ms`.
void sleep_until_ms(std::int64_t epoch_ms);

}  // namespace ssokit::testing
