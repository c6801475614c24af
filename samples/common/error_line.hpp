#pragma once
// The one-line error format of every sample (docs/cli.md, "Errors and exit status").
#include <iosfwd>

#include "ssokit/status.hpp"

namespace ssokit::samples {

// "error: <code>: <message>": the server's own code and message when it sent an error
// object, the SDK's ErrorCode name and message otherwise.
void print_error(const Status& status, std::ostream& err);

}  // namespace ssokit::samples
