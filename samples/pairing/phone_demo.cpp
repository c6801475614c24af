// ssokit-phone-demo: the signed-in phone of the pairing demo (docs/demos.md). It signs in,
// shows a link code (digits and a QR code) and waits until another device joins with it.
#include <algorithm>
#include <chrono>
#include <iostream>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "demo_support.hpp"
#include "qr.hpp"
#include "ssokit/ssokit.hpp"

namespace {

int fail(const ssokit::Status& status) {
  ssokit::demo::print_error(status, std::cerr);
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace ssokit;
  using Clock = std::chrono::steady_clock;
  auto start = demo::start_demo(demo::DemoKind::kPhone, argc, argv, "android", "ssokit-phone-demo/0.1");
  if (!start.client) return start.exit_status;
  const std::optional<demo::DemoArgs>& args = start.args;
  std::optional<SsoClient>& client = start.client;

  auto signed_in = client->sign_in(args->sso_id);
  if (!signed_in) return fail(signed_in.status());
  std::cout << "This phone is signed in as " << args->sso_id << "." << std::endl;

  // The devices already in the profile: whatever appears beyond them joined with our code.
  auto before = client->list_devices();
  if (!before) return fail(before.status());
  std::set<std::string> known;
  for (const Device& device : *before) known.insert(device.id);

  auto code = client->create_link_code();
  if (!code) return fail(code.status());
  const auto code_lifetime = code->not_after - code->not_before;  // server times: use the difference
  const auto code_ends = Clock::now() + code_lifetime;

  std::cout << "code: " << code->value << "\n"
            << "Type this code on your TV: " << code->value << " (valid until "
            << demo::local_end_time(code->not_before, code->not_after) << ")\n"
            << samples::qr_for_terminal(code->value) << "Waiting up to " << args->wait.count()
            << " s for a device to join..." << std::endl;

  const auto give_up = Clock::now() + args->wait;
  while (true) {
    const auto next = std::min(Clock::now() + std::chrono::seconds(1), give_up);
    std::this_thread::sleep_until(next);
    auto devices = client->list_devices(CallOptions().timeout(std::chrono::seconds(10)));
    if (!devices) return fail(devices.status());
    for (const Device& device : *devices) {
      if (known.count(device.id) != 0) continue;
      std::cout << "joined: " << device.device_type << " " << device.model << " " << device.id << std::endl;
      return 0;
    }
    const auto now = Clock::now();
    if (now >= give_up) {
      std::cerr << "error: timeout: no device joined within " << args->wait.count() << " s\n";
      return 1;
    }
    if (now >= code_ends) {
      std::cerr << "error: link_code_expired: the code expired before a device joined; run the demo again for a new "
                   "code\n";
      return 1;
    }
  }
}
