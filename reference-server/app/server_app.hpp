#pragma once
// ssokit-server's two commands, wired from flags: `serve` builds store, keys and services,
// serves HTTP until SIGTERM/SIGINT, drains and returns 0; `software-statement` prints a JWT.
#include <iosfwd>

#include "app/server_flags.hpp"

namespace ssokit::app {

// Both return the process exit status; errors are printed as one line on `err`.
int run_serve(const ServeFlags& flags, std::ostream& err);
int run_software_statement(const SoftwareStatementFlags& flags, std::ostream& out, std::ostream& err);
// Revokes a software statement for good (prints its id): it registers nobody any more, and
// the clients registered with it get no new access token.
int run_revoke_statement(const RevokeStatementFlags& flags, std::ostream& out, std::ostream& err);
// Adds a new newest key for the purpose; older keys keep verifying, so nobody is logged out.
// Running servers start signing with it within a minute. Prints the new kids.
int run_rotate_keys(const RotateKeysFlags& flags, std::ostream& out, std::ostream& err);

}  // namespace ssokit::app
