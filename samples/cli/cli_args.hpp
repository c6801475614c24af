#pragma once
// The command line of ssokit-cli (SPEC §5), parsed into plain values.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace ssokit::cli {

struct CliArgs {
  std::string server;
  std::string service_provider;
  std::string software_statement_file;
  std::string state_dir;
  std::string platform = "linux";
  bool allow_insecure_http = false;  // http:// to a host other than this machine
  std::string link_uri_template;     // ClientOptions::link_uri_template: what `link --qr` encodes
  std::string command;
  std::vector<std::string> operands;  // positional arguments after the command
  // Command flags.
  std::string sso_id;
  std::string platform_token_file;
  std::string user;
  std::string password;
  bool qr = false;
  bool json = false;
  bool approval = false;                     // link: the code needs this device's approval
  std::optional<std::chrono::seconds> wait;  // link, redeem: wait this long on the server
};

// nullopt with `error` set to one line when the command line is wrong.
std::optional<CliArgs> parse_cli_args(const std::vector<std::string>& args, std::string& error);

const char* cli_usage();

}  // namespace ssokit::cli
