#include <string_view>

#include "wire/device_entry.hpp"
#include "wire/json.hpp"
#include "wire/wire.hpp"

namespace ssokit::wire {
namespace {

constexpr std::string_view kAnswer = "link code status answer";

struct StateName {
  std::string_view name;
  LinkCodeState state;
};
constexpr StateName kStates[] = {
    {"WAITING", LinkCodeState::kWaiting},   {"AWAITING_APPROVAL", LinkCodeState::kAwaitingApproval},
    {"REDEEMED", LinkCodeState::kRedeemed}, {"DENIED", LinkCodeState::kDenied},
    {"EXPIRED", LinkCodeState::kExpired},
};

}  // namespace

// Unlike a success body's `status` elsewhere, this one is the answer itself: a state the SDK
// does not know is refused rather than guessed. `device` is read in any state when present
// (the server sends it from AWAITING_APPROVAL on), as the list's entry plus its `id`.
Result<LinkCodeStatus> parse_link_code_status(const std::string& body, const std::string& current_device_id) {
  auto object = json::parse_object(body, kAnswer);
  if (!object) return object.status();
  const json::Fields fields(object->get(), kAnswer);
  auto name = fields.text({"status"});
  if (!name) return name.status();
  LinkCodeStatus status;
  bool known = false;
  for (const StateName& state : kStates) {
    if (state.name == *name) {
      status.state = state.state;
      known = true;
    }
  }
  if (!known) return fields.error("status", "is not a link code state the SDK knows");
  auto not_after = fields.time("notAfter");
  if (!not_after) return not_after.status();
  status.not_after = *not_after;

  auto entry = fields.optional_object("device");
  if (!entry) return entry.status();
  if (*entry != nullptr) {
    auto id = json::Fields(*entry, kAnswer, "device.").text({"id"});
    if (!id) return id.status();
    auto device = parse_device_entry(*entry, std::move(id).value(), kAnswer, "device");
    if (!device) return device.status();
    device->extra.erase("id");  // the entry's own key here, not metadata the device sent
    device->current = !current_device_id.empty() && device->id == current_device_id;
    status.device = std::move(device).value();
  }
  return status;
}

}  // namespace ssokit::wire
