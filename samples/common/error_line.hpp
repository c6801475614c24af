#pragma once
// The one-line error format of every sample (docs/cli.md, "Errors and exit status"). Server
// text comes from the network: it is printed only as the SDK cleaned it (Status::message():
// one line, no control characters, secrets masked), so a hostile answer cannot add lines to
// what scripts read or send escape sequences to the terminal.
#include <iosfwd>
#include <string>

#include "ssokit/status.hpp"

namespace ssokit::samples {

// "error: <code>: <message>": the server's own code when it sent one that is a plain code
// (letters, digits, '_', '.', '-'), the SDK's ErrorCode name otherwise; the message is
// Status::message().
void print_error(const Status& status, std::ostream& err);

// The server's trace id when it looks like one (letters, digits and '-', at most 64), for
// "quote it in a bug report" lines; "" otherwise.
std::string trace_of(const Status& status);

}  // namespace ssokit::samples
