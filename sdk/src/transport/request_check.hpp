#pragma once
// What a transport refuses before sending anything: an HTTP library writes request lines and
// header fields as given, so a line break in a value would smuggle in extra header lines, and
// a method or header name that is not an HTTP token would garble the request. Shared by the
// curl transport and the Qt transport (sdk/qt).
#include "ssokit/status.hpp"
#include "ssokit/transport.hpp"

namespace ssokit::internal {

// kInvalidArgument naming what is wrong (never a header's value, the URL or the body), or OK.
Status check_request(const HttpRequest& request);

}  // namespace ssokit::internal
