#pragma once
// The longest times the SDK takes from a server, or reads back from its own store. An answer
// can claim anything: a token that lives a century, a Date from 1678, a Retry-After of
// decades. Within these bounds every deadline the SDK derives stays far inside the range of
// std::chrono's nanosecond clocks (about ±292 years), and a broken or hostile server cannot
// make the SDK keep a token, trust a clock or wait for an absurd length of time. docs/sdk.md
// (§6, "Times from the server") lists them for app teams.
#include <chrono>

namespace ssokit::internal {

// The longest validity window the SDK takes (notAfter - notBefore of a token, link code or MVPD
// session or profile; expires_in of an access token), and the longest it keeps a token from
// now: longer claims are cut to this, so such a token is only refreshed earlier than needed.
inline constexpr std::chrono::milliseconds kMaxLifetime = std::chrono::hours(24 * 365);

// The largest difference between the server's clock and the device's that the SDK applies. A
// Date header further off is ignored (the last offset stays): it is more likely a captive portal
// or a broken proxy than the server, and a device clock more than a year off is rare enough to
// fall back on the server refusing an expired token, which the SDK then refreshes.
inline constexpr std::chrono::milliseconds kMaxServerClockOffset = std::chrono::hours(24 * 365);

// The longest Retry-After the SDK passes on in Status::retry_after(): an app that waits this
// long and asks again is told again, so a shorter cap only costs one request.
inline constexpr std::chrono::milliseconds kMaxRetryAfter = std::chrono::hours(1);

}  // namespace ssokit::internal
