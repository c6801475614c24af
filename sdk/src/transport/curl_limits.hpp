#pragma once
// The curl transport's fixed limits, named so the tests and the docs can refer to them.
#include <chrono>
#include <cstddef>

namespace ssokit::internal {

// A response larger than this (headers and body as kept) is refused with kNetworkError, so a
// broken or hostile server cannot exhaust a TV's memory. SSO answers are a few KiB.
inline constexpr std::size_t kMaxResponseBytes = std::size_t{4} * 1024 * 1024;

// How often a call in flight (or waiting for a free connection) looks at its cancel flag: the
// flag is a plain atomic that cannot wake anybody, so a cancel is noticed within this long.
inline constexpr std::chrono::milliseconds kCancelPollInterval{20};

}  // namespace ssokit::internal
