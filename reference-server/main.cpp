// ssokit-server: the reference SSO server. See docs/server.md.
#include <iostream>
#include <string>
#include <vector>

#include "app/server_app.hpp"
#include "app/server_flags.hpp"

int main(int argc, char** argv) {
  using namespace ssokit::app;
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << usage_text();
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version") {
    std::cout << "ssokit-server 0.1.0\n";
    return 0;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  std::string error;
  if (args[0] == "serve") {
    const auto flags = parse_serve_flags(rest, error);
    if (!flags) {
      std::cerr << "ssokit-server: " << error << "\n";
      return 2;
    }
    return run_serve(*flags, std::cerr);
  }
  if (args[0] == "software-statement") {
    const auto flags = parse_software_statement_flags(rest, error);
    if (!flags) {
      std::cerr << "ssokit-server: " << error << "\n";
      return 2;
    }
    return run_software_statement(*flags, std::cout, std::cerr);
  }
  if (args[0] == "revoke-statement") {
    const auto flags = parse_revoke_statement_flags(rest, error);
    if (!flags) {
      std::cerr << "ssokit-server: " << error << "\n";
      return 2;
    }
    return run_revoke_statement(*flags, std::cout, std::cerr);
  }
  if (args[0] == "rotate-keys") {
    const auto flags = parse_rotate_keys_flags(rest, error);
    if (!flags) {
      std::cerr << "ssokit-server: " << error << "\n";
      return 2;
    }
    return run_rotate_keys(*flags, std::cout, std::cerr);
  }
  std::cerr << "ssokit-server: unknown command '" << args[0] << "' (see --help)\n";
  return 2;
}
