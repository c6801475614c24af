#pragma once
// What an HttpTransport needs from the SDK besides the interface (transport.hpp): the checks
// a request must pass before anything is sent, and the limits every transport keeps. The
// libcurl transport (make_curl_transport) and the Qt transport (ssokit::qt) use exactly these,
// so a transport an app team writes for its platform's HTTP stack behaves as they do; the
// transport contract (ssokit::transport_contract, docs/transport-adapter.md) holds it to that.
#include <chrono>
#include <cstddef>

#include "ssokit/export.hpp"
#include "ssokit/status.hpp"
#include "ssokit/transport.hpp"

namespace ssokit {

// What a transport refuses before sending anything: an HTTP library writes request lines and
// header fields as given, so a line break (or NUL) in a header value would smuggle extra
// header lines in, and a method or header name that is not an HTTP token (RFC 9110) would
// garble the request. An empty URL is refused too. Returns kInvalidArgument naming what is
// wrong (never a header's value, the URL or the body, which may hold secrets), or OK. A
// transport answers a refusal with `not_sent = true`. The URL's scheme and host are not
// checked here: a URL the transport cannot use is kNetworkError, not sent.
SSOKIT_API Status check_request(const HttpRequest& request);

// The largest answer a transport keeps, status line, headers and body together. A larger one
// is refused with kNetworkError ("response too large"), as soon as a Content-Length announces
// it or, without one, as soon as the bytes pass it: a broken or hostile server must not be
// able to exhaust a TV's memory. SSO answers are a few KiB.
inline constexpr std::size_t kMaxResponseBytes = std::size_t{4} * 1024 * 1024;

// How often a call in flight (or waiting for a connection) looks at its cancel flag. The flag
// (TransportCall::cancelled) is a plain atomic that cannot wake anybody, so a transport waits
// in slices of at most this long and looks at it between them: a cancel is then noticed
// within this long.
inline constexpr std::chrono::milliseconds kCancelPollInterval{20};

}  // namespace ssokit
