#include "demo_support.hpp"

#include <cctype>
#include <ctime>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <ostream>
#include <sstream>
#include <utility>

#include "ssokit/platform/linux_services.hpp"

namespace ssokit::demo {
namespace {

// A whole number of seconds in [1, 86400], else nullopt.
std::optional<std::chrono::seconds> parse_seconds(const std::string& text) {
  if (text.empty() || text.size() > 5) return std::nullopt;
  long value = 0;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value < 1 || value > 86400) return std::nullopt;
  return std::chrono::seconds(value);
}

std::string or_dash(const std::string& text) {
  return text.empty() ? "-" : text;
}

}  // namespace

bool wants_help(const std::vector<std::string>& args) {
  for (const std::string& arg : args) {
    if (arg == "--help" || arg == "-h") return true;
  }
  return false;
}

std::optional<DemoArgs> parse_demo_args(DemoKind kind, const std::vector<std::string>& args, std::string& error) {
  DemoArgs out;
  const bool phone = kind == DemoKind::kPhone;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (flag == "--allow-insecure-http") {  // the flags without a value
      out.allow_insecure_http = true;
      continue;
    }
    if (phone && flag == "--no-approval") {
      out.approval = false;
      continue;
    }
    const bool known = flag == "--server" || flag == "--service-provider" || flag == "--statement" ||
                       flag == "--software-statement" || flag == "--state" ||
                       (phone && (flag == "--sso-id" || flag == "--wait" || flag == "--link-uri-template")) ||
                       (!phone && flag == "--code");
    if (!known) {
      error = flag.rfind("-", 0) == 0 ? "unknown option " + flag : "unexpected argument " + flag;
      return std::nullopt;
    }
    if (i + 1 >= args.size()) {
      error = flag + " needs a value";
      return std::nullopt;
    }
    const std::string& value = args[++i];
    if (flag == "--server") {
      out.server = value;
    } else if (flag == "--service-provider") {
      out.service_provider = value;
    } else if (flag == "--statement" || flag == "--software-statement") {
      out.statement_file = value;
    } else if (flag == "--state") {
      out.state_dir = value;
    } else if (flag == "--sso-id") {
      out.sso_id = value;
    } else if (flag == "--code") {
      out.code = value;
    } else if (flag == "--link-uri-template") {
      out.link_uri_template = value;
    } else if (flag == "--wait") {
      const auto seconds = parse_seconds(value);
      if (!seconds) {
        error = "--wait takes a whole number of seconds from 1 to 86400, not '" + value.substr(0, 20) + "'";
        return std::nullopt;
      }
      out.wait = *seconds;
    }
  }
  std::vector<std::pair<const std::string*, const char*>> required = {{&out.server, "--server"},
                                                                      {&out.service_provider, "--service-provider"},
                                                                      {&out.statement_file, "--statement"},
                                                                      {&out.state_dir, "--state"}};
  if (phone) required.emplace_back(&out.sso_id, "--sso-id");
  for (const auto& [value, flag] : required) {
    if (value->empty()) {
      error = std::string(flag) + " is required";
      return std::nullopt;
    }
  }
  return out;
}

const char* demo_usage(DemoKind kind) {
  if (kind == DemoKind::kPhone) {
    return R"(ssokit-phone-demo: the phone of the pairing demo (docs/demos.md)

usage: ssokit-phone-demo --server URL --service-provider SP --statement FILE --state DIR
                         --sso-id ID [--wait SECONDS] [--no-approval]
                         [--link-uri-template TEMPLATE] [--allow-insecure-http]

Signs this (simulated Android) phone in with the account id ID, makes a link code and shows
it as digits and as a QR code, then waits until a device redeems it and asks you whether
that device may join the profile (y to allow; anything else, or end of input, denies).

  --server URL            the ssokit server, e.g. http://127.0.0.1:8080
  --service-provider SP   the service provider, e.g. demo
  --statement FILE        the app's software statement (ssokit-server software-statement)
  --state DIR             this phone's state folder (created 0700 when missing)
  --sso-id ID             the account to sign in with, e.g. alice@example.com
  --wait SECONDS          how long to wait for a device to redeem the code [120]
  --no-approval           make a code that needs no approval: the device joins at once
  --link-uri-template T   put T with {code} replaced in the QR code, e.g.
                          myapp://link?code={code} (default: the code itself)
  --allow-insecure-http   allow an http:// --server that is not this machine (test networks
                          only: tokens and codes would cross the network unencrypted)

Prints "code: <code>" on a line of its own, then "joined: <type> <model> <id>" when a
device joined, or "denied: <type> <model> <id>" when you denied it. Exit status 0 when a
device joined or was denied; 1 on failure or when none redeemed the code in time (one line
on stderr: error: <code>: <message>); 2 for a wrong command line.
)";
  }
  return R"(ssokit-tv-demo: the TV of the pairing demo (docs/demos.md)

usage: ssokit-tv-demo --server URL --service-provider SP --statement FILE --state DIR
                      [--code CODE] [--allow-insecure-http]

Joins this (simulated Samsung) TV to the profile of the phone that shows a link code, without
ever blocking its screen loop (waiting for the phone's approval when the code needs it), then
lists the devices of the profile. When the state folder already holds a session, no code is
asked.

  --server URL            the ssokit server, e.g. http://127.0.0.1:8080
  --service-provider SP   the service provider, e.g. demo
  --statement FILE        the app's software statement (ssokit-server software-statement)
  --state DIR             this TV's state folder (created 0700 when missing)
  --code CODE             the code shown on the phone; without it, the demo asks for it
  --allow-insecure-http   allow an http:// --server that is not this machine (test networks
                          only: tokens and codes would cross the network unencrypted)

Exit status 0 when the TV is signed in; 1 on failure (stderr: error: <code>: <message>,
then what to do); 2 for a wrong command line.
)";
}

std::optional<std::string> read_statement(const std::string& path) {
  std::ifstream file(path);
  if (!file) return std::nullopt;
  std::stringstream text;
  text << file.rdbuf();
  std::string statement = text.str();
  while (!statement.empty() && std::isspace(static_cast<unsigned char>(statement.back()))) statement.pop_back();
  if (statement.empty()) return std::nullopt;
  return statement;
}

std::optional<SsoClient> make_client(const DemoArgs& args, std::string software_statement,
                                     const std::string& platform_name, const std::string& user_agent,
                                     std::ostream& err) {
  auto services = platform::linux_services(args.state_dir, platform_name);
  if (!services) {
    print_error(services.status(), err);
    return std::nullopt;
  }
  ClientOptions options;
  options.server = args.server;
  options.allow_insecure_http = args.allow_insecure_http;
  options.service_provider = args.service_provider;
  options.software_statement = std::move(software_statement);
  options.platform = std::move(services).value();
  options.user_agent = user_agent;
  options.link_uri_template = args.link_uri_template;
  auto client = SsoClient::create(std::move(options));
  if (!client) {
    print_error(client.status(), err);
    return std::nullopt;
  }
  return std::move(client).value();
}

std::string what_to_do(const Status& status) {
  const std::string trace_id = samples::trace_of(status);
  const std::string trace = trace_id.empty() ? "" : " (trace " + trace_id + ")";
  switch (status.code()) {
    case ErrorCode::kOk:
    case ErrorCode::kCancelled:
      return "";
    case ErrorCode::kLinkCodeInvalid:
      return "That code is wrong, already used or expired. Ask your phone for a new code "
             "(run ssokit-phone-demo again) and type the new one here.";
    case ErrorCode::kRateLimited: {
      const auto seconds = (status.retry_after().count() + 999) / 1000;
      return "Too many wrong codes. Wait " + (seconds > 0 ? std::to_string(seconds) + " s" : std::string("a while")) +
             ", then ask your phone for a new code.";
    }
    case ErrorCode::kInvalidArgument:
      return "Type the code exactly as your phone shows it.";
    case ErrorCode::kNetworkError:
      return "Cannot reach the server: check the connection and --server, then try again with a new code from your "
             "phone.";
    case ErrorCode::kTimeout:
      return "The server did not answer in time: try again later with a new code from your phone.";
    case ErrorCode::kBadResponse:
      return "The server's answer could not be read: check --server (is it an ssokit server?).";
    case ErrorCode::kDeviceUnlinked:
    case ErrorCode::kTokenExpired:
    case ErrorCode::kTokenInvalid:
    case ErrorCode::kNotSignedIn:
      return "This TV is not signed in any more: pair it again with a new code from your phone.";
    case ErrorCode::kRegistrationFailed:
    case ErrorCode::kAccessDenied:
      return "The server refused this app: check --statement, --server and --service-provider" + trace + ".";
    case ErrorCode::kBadRequest:
      return "The server refused the request: please report it" + trace + ".";
    case ErrorCode::kServerError:
      return "The server failed: try again later" + trace + ".";
    case ErrorCode::kStorageError:
      return "Cannot use the state folder: check its owner, its permissions and the free disk space.";
    case ErrorCode::kDeviceLimitReached:
      return "Your profile already has as many devices as it may hold. On your phone, unlink a device you no "
             "longer use, then ask it for a new code.";
    case ErrorCode::kLinkDenied:
      return "Your phone did not allow this TV. If that was a mistake, ask your phone for a new code and allow "
             "the TV when it asks.";
  }
  return "Try again later" + trace + ".";
}

void print_devices(const std::vector<Device>& devices, std::ostream& out) {
  for (const Device& device : devices) {
    const std::string os =
        device.os_version.empty() ? or_dash(device.os) : or_dash(device.os) + " " + device.os_version;
    out << (device.current ? "* " : "  ") << std::left << std::setw(12) << or_dash(device.device_type) << " "
        << std::setw(10) << or_dash(device.model) << " " << std::setw(11) << os << " " << device.id;
    if (device.current) {
      out << "  (this device)";
    } else if (device.type == DeviceLinkType::kSso) {
      out << "  (joined with a code)";
    }
    out << "\n";
  }
}

std::string describe_device(const Device& device) {
  std::string text;
  const auto add = [&text](const std::string& part, const char* separator) {
    if (part.empty()) return;
    if (!text.empty()) text += separator;
    text += part;
  };
  const auto manufacturer = device.extra.find("manufacturer");
  if (manufacturer != device.extra.end()) add(manufacturer->second, " ");
  add(device.device_type, " ");
  add(device.model, " ");
  add(device.os_version.empty() ? device.os : device.os + " " + device.os_version, ", ");
  return text.empty() ? "A device" : text;
}

std::string local_end_time(ServerTime not_before, ServerTime not_after) {
  const auto end = std::chrono::system_clock::now() + (not_after - not_before);
  const std::time_t seconds = std::chrono::system_clock::to_time_t(end);
  std::tm tm{};
  localtime_r(&seconds, &tm);
  char text[16];
  std::strftime(text, sizeof text, "%H:%M:%S", &tm);
  return text;
}

DemoStart start_demo(DemoKind kind, int argc, char** argv, const std::string& platform_name,
                     const std::string& user_agent) {
  DemoStart start;
  const std::vector<std::string> raw(argv + 1, argv + argc);
  if (wants_help(raw)) {
    std::cout << demo_usage(kind);
    return start;
  }
  std::string error;
  start.args = parse_demo_args(kind, raw, error);
  if (!start.args) {
    std::cerr << "error: usage: " << error << " (see --help)\n";
    start.exit_status = 2;
    return start;
  }
  auto statement = read_statement(start.args->statement_file);
  if (!statement) {
    std::cerr << "error: invalid_argument: cannot read the software statement " << start.args->statement_file
              << " (missing, unreadable or empty)\n";
    start.exit_status = 2;
    return start;
  }
  start.client = make_client(*start.args, std::move(*statement), platform_name, user_agent, std::cerr);
  if (!start.client) start.exit_status = 1;
  return start;
}

}  // namespace ssokit::demo
