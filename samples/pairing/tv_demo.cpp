// ssokit-tv-demo: the new TV of the pairing demo (docs/demos.md). It takes the code shown on
// the phone, redeems it with the asynchronous call while its "screen" keeps drawing (and,
// when the code needs the phone's approval, says so and waits for it the same way), then
// lists the devices of the profile it joined.
#include <chrono>
#include <condition_variable>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "demo_support.hpp"
#include "ssokit/ssokit.hpp"

namespace {

using ssokit::ErrorCode;
using ssokit::SsoClient;
using ssokit::Status;

// Failure: the error line, then what the person in front of the TV should do.
int fail(const Status& status) {
  ssokit::demo::print_error(status, std::cerr);
  const std::string advice = ssokit::demo::what_to_do(status);
  if (!advice.empty()) std::cerr << advice << "\n";
  return 1;
}

int list_devices(SsoClient& client) {
  auto devices = client.list_devices();
  if (!devices) return fail(devices.status());
  std::cout << "Devices in this profile (" << devices->size() << "):\n";
  ssokit::demo::print_devices(*devices, std::cout);
  return 0;
}

// How long the TV waits for the phone's decision: the longest code lifetime a server is
// expected to use (the seed allows 5 to 30 minutes). The server ends the wait earlier, with
// link_code_invalid, when the code ends first.
constexpr std::chrono::minutes kApprovalWait{30};

// Where the SDK's worker thread leaves the result for the UI thread. Shared, so it outlives
// whichever of the two threads finishes last.
struct Outcome {
  std::mutex mutex;
  std::condition_variable finished;
  bool done = false;
  std::optional<ssokit::Result<ssokit::Redemption>> result;
};

// One redemption call without blocking the UI thread: the call runs on an SDK worker, and
// this thread keeps drawing a frame (a dot) every 100 ms until the callback has handed over
// the result. `frames` counts the frames drawn.
ssokit::Result<ssokit::Redemption> redeem_once_while_drawing(SsoClient& client, const std::string& code,
                                                             const ssokit::RedeemOptions& options,
                                                             ssokit::CallOptions call, int& frames) {
  auto outcome = std::make_shared<Outcome>();
  client.redeem_link_code_async(
      code, options,
      [outcome](ssokit::Result<ssokit::Redemption> redemption) {
        // An SDK worker thread: hand the result over, never touch the screen from here.
        std::lock_guard<std::mutex> lock(outcome->mutex);
        outcome->result = std::move(redemption);  // the token stays inside the SDK; the TV never prints it
        outcome->done = true;
        outcome->finished.notify_one();
      },
      std::move(call));
  std::unique_lock<std::mutex> lock(outcome->mutex);
  while (!outcome->finished.wait_for(lock, std::chrono::milliseconds(100), [&] { return outcome->done; })) {
    lock.unlock();
    std::cout << '.' << std::flush;  // one frame of the "screen"; the UI stays responsive
    ++frames;
    lock.lock();
  }
  return std::move(*outcome->result);
}

// Redeems `code`; when the code needs the phone's approval, tells the person so and waits for
// the decision (held requests on the server, no polling), still drawing.
Status redeem_while_drawing(SsoClient& client, const std::string& code) {
  std::cout << "Joining the profile of your phone" << std::flush;
  const auto started = std::chrono::steady_clock::now();
  int frames = 0;
  auto redemption = redeem_once_while_drawing(client, code, ssokit::RedeemOptions(), ssokit::CallOptions(), frames);
  if (redemption && redemption->state == ssokit::RedemptionState::kAwaitingApproval) {
    std::cout << "\nYour phone asks whether this TV may join: allow it there. Waiting" << std::flush;
    ssokit::RedeemOptions wait;
    wait.wait_for_approval = true;
    redemption = redeem_once_while_drawing(client, code, wait, ssokit::CallOptions().timeout(kApprovalWait), frames);
    if (redemption && redemption->state == ssokit::RedemptionState::kAwaitingApproval) {
      redemption = Status(ErrorCode::kTimeout, "your phone did not decide in time");
    }
  }
  const Status status = redemption.status();
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  std::cout << (status.ok() ? " done" : " failed") << " (" << took.count() << " ms; the screen drew " << frames
            << " frames meanwhile)" << std::endl;
  return status;
}

std::string trimmed(std::string text) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && space(text.back())) text.pop_back();
  std::size_t start = 0;
  while (start < text.size() && space(text[start])) ++start;
  return text.substr(start);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace ssokit;
  auto start = demo::start_demo(demo::DemoKind::kTv, argc, argv, "tizen", "ssokit-tv-demo/0.1");
  if (!start.client) return start.exit_status;
  const std::optional<demo::DemoArgs>& args = start.args;
  std::optional<SsoClient>& client = start.client;

  // A session kept in the state folder from an earlier run: no code needed.
  if (client->signed_in()) {
    auto token = client->service_token();  // from the cache while fresh; refreshed near its end
    if (token) {
      std::cout << "This TV is already signed in; no code needed." << std::endl;
      return list_devices(*client);
    }
    switch (token.status().code()) {
      case ErrorCode::kNotSignedIn:
      case ErrorCode::kDeviceUnlinked:
      case ErrorCode::kTokenExpired:
      case ErrorCode::kTokenInvalid:
        std::cout << "The saved session of this TV has ended (" << to_string(token.status().code())
                  << "); pair it again." << std::endl;
        break;
      default:
        return fail(token.status());
    }
  }

  std::string code;
  if (args->code) {
    code = *args->code;
  } else {
    std::cout << "Type the code shown on your phone: " << std::flush;
    if (!std::getline(std::cin, code)) {
      std::cout << "\n";
      std::cerr << "error: invalid_argument: no code was typed (end of input)\n"
                << "Run ssokit-phone-demo on your phone and type the code it shows.\n";
      return 1;
    }
  }
  code = trimmed(code);

  const Status joined = redeem_while_drawing(*client, code);
  if (!joined.ok()) return fail(joined);
  std::cout << "This TV is now signed in, in the same profile as your phone." << std::endl;
  return list_devices(*client);
}
