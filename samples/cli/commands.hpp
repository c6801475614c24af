#pragma once
// The commands of ssokit-cli, each a thin use of the SDK. Return the exit status; errors are
// printed as one line on stderr: "error: <code>: <message>".
#include <iosfwd>

#include "cli_args.hpp"
#include "ssokit/ssokit.hpp"

namespace ssokit::cli {

int run_command(const CliArgs& args, SsoClient& client, std::ostream& out, std::ostream& err);

// "error: <code>: <message>" with the server's code when there is one.
void print_error(const Status& status, std::ostream& err);

}  // namespace ssokit::cli
