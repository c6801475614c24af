// ssokit-phone-demo: the signed-in phone of the pairing demo (docs/demos.md). It signs in,
// shows a link code (digits and a QR code), waits on the server until a device redeems it
// (held requests, SPEC §6.1: no polling), and asks its user whether that device may join.
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <iostream>
#include <string>

#include "demo_support.hpp"
#include "qr.hpp"
#include "ssokit/ssokit.hpp"

namespace {

using ssokit::Device;
using ssokit::LinkCodeState;

int fail(const ssokit::Status& status) {
  ssokit::demo::print_error(status, std::cerr);
  return 1;
}

// "<type> <model> <id>": the line's words after "joined: " or "denied: ".
std::string device_words(const Device& device) {
  return device.device_type + " " + device.model + " " + device.id;
}

// Asks the question on stdout and reads the answer from stdin: "y" or "yes" (any case) is a
// yes; anything else, an empty line or the end of input is a no, as [y/N] promises.
bool user_allows(const Device& device) {
  std::cout << ssokit::demo::describe_device(device) << ", wants to join \u2014 allow? [y/N] " << std::flush;
  std::string answer;
  const bool read = static_cast<bool>(std::getline(std::cin, answer));
  // A person's Enter ends the prompt's line; a script's piped answer is not echoed, so show it.
  if (!isatty(STDIN_FILENO)) std::cout << answer << "\n";
  if (!read && isatty(STDIN_FILENO)) std::cout << "\n";
  for (char& c : answer) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!answer.empty() && std::isspace(static_cast<unsigned char>(answer.back()))) answer.pop_back();
  return read && (answer == "y" || answer == "yes");
}

}  // namespace

int main(int argc, char** argv) {
  using namespace ssokit;
  auto start = demo::start_demo(demo::DemoKind::kPhone, argc, argv, "android", "ssokit-phone-demo/0.1");
  if (!start.client) return start.exit_status;
  const std::optional<demo::DemoArgs>& args = start.args;
  std::optional<SsoClient>& client = start.client;

  auto signed_in = client->sign_in(args->sso_id);
  if (!signed_in) return fail(signed_in.status());
  std::cout << "This phone is signed in as " << args->sso_id << "." << std::endl;

  LinkCodeOptions link;
  link.require_approval = args->approval;
  auto code = client->create_link_code(link);
  if (!code) return fail(code.status());

  std::cout << "code: " << code->value << "\n"
            << "Type this code on your TV: " << code->value << " (valid until "
            << demo::local_end_time(code->not_before, code->not_after) << ")\n"
            << samples::qr_for_terminal(code->uri.empty() ? code->value : code->uri) << "Waiting up to "
            << args->wait.count() << " s for a device to join..." << std::endl;

  // One call: the SDK holds requests on the server (at most 60 s each) until a device redeems
  // the code, the code ends, or --wait is over.
  auto status = client->wait_for_link_code(code->value, CallOptions().timeout(args->wait));
  if (!status) return fail(status.status());
  switch (status->state) {
    case LinkCodeState::kWaiting:
      std::cerr << "error: timeout: no device joined within " << args->wait.count() << " s\n";
      return 1;
    case LinkCodeState::kExpired:
      std::cerr << "error: link_code_expired: the code expired before a device joined; run the demo again for a "
                   "new code\n";
      return 1;
    case LinkCodeState::kDenied:
      return fail(Status(ErrorCode::kLinkDenied, "the device that redeemed the code was denied already"));
    case LinkCodeState::kRedeemed:
    case LinkCodeState::kAwaitingApproval:
      break;
  }
  if (!status->device) {
    return fail(Status(ErrorCode::kBadResponse, "the server did not say which device redeemed the code"));
  }
  const Device& joining = *status->device;
  if (status->state == LinkCodeState::kAwaitingApproval) {
    const bool allowed = user_allows(joining);
    const Status decided = allowed ? client->approve_link_code(code->value) : client->deny_link_code(code->value);
    if (!decided.ok()) return fail(decided);
    if (!allowed) {
      std::cout << "denied: " << device_words(joining) << std::endl;
      return 0;
    }
  }
  std::cout << "joined: " << device_words(joining) << std::endl;
  return 0;
}
