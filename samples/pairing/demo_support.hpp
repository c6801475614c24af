#pragma once
// What the two pairing demos share: their command line, the software statement file, the
// client of one simulated device, error lines and the device list. Only the SDK's public
// API (ssokit/ssokit.hpp, ssokit/platform/linux_services.hpp) is used.
#include <chrono>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "error_line.hpp"
#include "ssokit/ssokit.hpp"

namespace ssokit::demo {

enum class DemoKind { kPhone, kTv };

struct DemoArgs {
  std::string server;
  bool allow_insecure_http = false;  // http:// to a host other than this machine
  std::string service_provider;
  std::string statement_file;
  std::string state_dir;
  std::string sso_id;               // phone only, required
  std::optional<std::string> code;  // TV only: the code given with --code
  std::chrono::seconds wait{120};   // phone only
  bool approval = true;             // phone only: its code needs its approval (--no-approval: not)
  std::string link_uri_template;    // phone only: ClientOptions::link_uri_template, for the QR code
};

// nullopt with `error` set to one line when the command line is wrong. --help is handled
// by the caller (wants_help).
std::optional<DemoArgs> parse_demo_args(DemoKind kind, const std::vector<std::string>& args, std::string& error);
bool wants_help(const std::vector<std::string>& args);
const char* demo_usage(DemoKind kind);

// The statement file's text without trailing whitespace; nullopt when it cannot be read or
// is empty.
std::optional<std::string> read_statement(const std::string& path);

// The client of the device kept in args.state_dir, simulated as `platform_name` (a name of
// platform::linux_services). Prints the error line and returns nullopt on failure.
std::optional<SsoClient> make_client(const DemoArgs& args, std::string software_statement,
                                     const std::string& platform_name, const std::string& user_agent,
                                     std::ostream& err);

// The start both demos share: --help, the command line, the statement file and the client.
// `client` is set when the demo can go on; otherwise `exit_status` is what to exit with
// (0 after --help, 2 for a wrong command line or statement file, 1 when the client cannot
// be made), the usage or error already printed.
struct DemoStart {
  std::optional<DemoArgs> args;
  std::optional<SsoClient> client;
  int exit_status = 0;
};
DemoStart start_demo(DemoKind kind, int argc, char** argv, const std::string& platform_name,
                     const std::string& user_agent);

using samples::print_error;  // "error: <code>: <message>", as ssokit-cli prints it

// What the person in front of the TV should do about a failed pairing (docs/sdk.md §4);
// empty for kOk and kCancelled.
std::string what_to_do(const Status& status);

// One line per device: "* " for this device ("  " otherwise), type, model, OS, id, and
// "(this device)" / "(joined with a code)".
void print_devices(const std::vector<Device>& devices, std::ostream& out);

// A device as a person recognises it: "Samsung TV QE55Q80C, Tizen 7.0" (the parts it sent).
std::string describe_device(const Device& device);

// "12:34:56" (local time) when a link code that is valid from `not_before` to `not_after`
// by the server's clock ends, counted from now on this device's clock: the difference of the
// server's times, never the server's time itself (the device's clock may be off).
std::string local_end_time(ServerTime not_before, ServerTime not_after);

}  // namespace ssokit::demo
