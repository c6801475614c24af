#include "cli_args.hpp"

#include <cctype>
#include <set>

namespace ssokit::cli {
namespace {

const std::set<std::string> kCommands = {"sign-in", "link",  "redeem",   "approve",    "deny",    "devices",
                                         "unlink",  "token", "profiles", "login-mvpd", "sign-out"};

// The longest --wait: a day, far beyond any code's lifetime (the server ends a wait then).
constexpr long kMaxWaitSeconds = 86400;

// A whole number of seconds in [1, kMaxWaitSeconds], else nullopt.
std::optional<std::chrono::seconds> parse_wait(const std::string& text) {
  if (text.empty() || text.size() > 5) return std::nullopt;
  long value = 0;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value < 1 || value > kMaxWaitSeconds) return std::nullopt;
  return std::chrono::seconds(value);
}

}  // namespace

std::optional<CliArgs> parse_cli_args(const std::vector<std::string>& args, std::string& error) {
  CliArgs out;
  const auto take_value = [&](std::size_t& i, std::string& into) {
    if (i + 1 >= args.size()) {
      error = args[i] + " needs a value";
      return false;
    }
    into = args[++i];
    return true;
  };
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    bool ok = true;
    if (arg == "--server") {
      ok = take_value(i, out.server);
    } else if (arg == "--service-provider") {
      ok = take_value(i, out.service_provider);
    } else if (arg == "--software-statement") {
      ok = take_value(i, out.software_statement_file);
    } else if (arg == "--state") {
      ok = take_value(i, out.state_dir);
    } else if (arg == "--platform") {
      ok = take_value(i, out.platform);
    } else if (arg == "--sso-id") {
      ok = take_value(i, out.sso_id);
    } else if (arg == "--platform-token") {
      ok = take_value(i, out.platform_token_file);
    } else if (arg == "--user") {
      ok = take_value(i, out.user);
    } else if (arg == "--password") {
      ok = take_value(i, out.password);
    } else if (arg == "--link-uri-template") {
      ok = take_value(i, out.link_uri_template);
    } else if (arg == "--wait") {
      std::string text;
      ok = take_value(i, text);
      if (ok) {
        out.wait = parse_wait(text);
        if (!out.wait) {
          error = "--wait takes a whole number of seconds from 1 to 86400, not '" + text.substr(0, 20) + "'";
          return std::nullopt;
        }
      }
    } else if (arg == "--approval") {
      out.approval = true;
    } else if (arg == "--allow-insecure-http") {
      out.allow_insecure_http = true;
    } else if (arg == "--qr") {
      out.qr = true;
    } else if (arg == "--json") {
      out.json = true;
    } else if (arg.rfind("--", 0) == 0) {
      error = "unknown flag " + arg;
      return std::nullopt;
    } else if (out.command.empty()) {
      if (kCommands.count(arg) == 0) {
        error = "unknown command " + arg;
        return std::nullopt;
      }
      out.command = arg;
    } else {
      out.operands.push_back(arg);
    }
    if (!ok) return std::nullopt;
  }
  if (out.command.empty()) {
    error = "no command (see --help)";
    return std::nullopt;
  }
  for (const auto& [value, flag] :
       {std::pair{&out.server, "--server"}, std::pair{&out.service_provider, "--service-provider"},
        std::pair{&out.software_statement_file, "--software-statement"}, std::pair{&out.state_dir, "--state"}}) {
    if (value->empty()) {
      error = std::string(flag) + " is required";
      return std::nullopt;
    }
  }
  const auto operands = out.operands.size();
  if (out.command == "sign-in" && out.sso_id.empty() == out.platform_token_file.empty()) {
    error = "sign-in takes --sso-id ID or --platform-token FILE";
  } else if (out.command == "redeem" && operands != 1) {
    error = "redeem takes the code";
  } else if ((out.command == "approve" || out.command == "deny") && operands != 1) {
    error = out.command + " takes the code";
  } else if (out.approval && out.command != "link") {
    error = "--approval belongs to link";
  } else if (out.wait && out.command != "link" && out.command != "redeem") {
    error = "--wait belongs to link and redeem";
  } else if (out.command == "unlink" && operands == 0) {
    error = "unlink takes one or more device ids";
  } else if (out.command == "login-mvpd" && (operands != 1 || out.user.empty() || out.password.empty())) {
    error = "login-mvpd takes MVPD --user U --password P";
  } else if (out.command != "redeem" && out.command != "approve" && out.command != "deny" && out.command != "unlink" &&
             out.command != "login-mvpd" && operands != 0) {
    error = out.command + " takes no operands";
  }
  if (!error.empty()) return std::nullopt;
  return out;
}

const char* cli_usage() {
  return R"(ssokit-cli: one simulated device of an app using the ssokit SDK

usage: ssokit-cli --server URL --service-provider SP --software-statement FILE --state DIR
                  [--platform tizen|webos|roku|android|ios|linux] [--allow-insecure-http]
                  [--link-uri-template TEMPLATE] COMMAND

  --allow-insecure-http  allow an http:// --server that is not this machine (test networks
                         only: tokens and codes would cross the network unencrypted)
  --link-uri-template T  the link of a code, {code} replaced by it (e.g. myapp://link?code={code}):
                         printed by link, and what link --qr encodes

commands:
  sign-in --sso-id ID | sign-in --platform-token FILE
  link [--qr] [--approval] [--wait SECONDS] [--json]
                         make a link code for another device (and show a QR code); with
                         --approval the device that redeems it needs this one's approve;
                         with --wait, wait for a device to redeem it and print that device
  redeem CODE [--wait SECONDS] [--json]
                         join the profile of the device that showed CODE; with --wait,
                         wait for its approval when the code needs it
  approve CODE [--json]  let the device that redeemed this device's CODE join
  deny CODE [--json]     refuse it
  devices [--json]       list the devices of this profile
  unlink ID...           unlink devices (this one too, if named)
  token [--json]         the current service token, refreshed if needed
  profiles [--json]      MVPD profiles of this SSO profile
  login-mvpd MVPD --user U --password P
  sign-out               forget this device's service token

Exit status 0 on success; otherwise one line on stderr: error: <code>: <message>
)";
}

}  // namespace ssokit::cli
