#pragma once
// The commands of ssokit-cli, each a thin use of the SDK. Return the exit status; errors are
// printed as one line on stderr: "error: <code>: <message>".
#include <iosfwd>

#include "cli_args.hpp"
#include "error_line.hpp"
#include "ssokit/ssokit.hpp"

namespace ssokit::cli {

int run_command(const CliArgs& args, SsoClient& client, std::ostream& out, std::ostream& err);

using samples::print_error;  // "error: <code>: <message>", shared with the pairing demos

}  // namespace ssokit::cli
