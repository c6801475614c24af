#include "store/link_code_rules.hpp"

namespace ssokit::store {

bool is_live(const LinkCodeRecord& code, Millis now) {
  return code.state == LinkCodeState::kWaiting && code.expires_at > now;
}

std::optional<RedeemOutcome> repeat_of_taker(const std::optional<LinkCodeRecord>& code, const std::string& device_id,
                                             Millis now, const std::function<bool()>& still_linked) {
  if (!code || !code->approval_required || code->state == LinkCodeState::kWaiting ||
      code->joining_device_id != device_id) {
    return std::nullopt;
  }
  RedeemOutcome outcome;  // kInvalid: past the code's lifetime, the answer is the same as for any dead code
  if (code->expires_at <= now) return outcome;
  switch (code->state) {
    case LinkCodeState::kAwaitingApproval:
      outcome.result = RedeemResult::kAwaitingApproval;
      outcome.expires_at = code->expires_at;
      break;
    case LinkCodeState::kDenied:
      outcome.result = RedeemResult::kDenied;
      break;
    case LinkCodeState::kRedeemed:
      // Approved: the token goes to the device only while the link approval made stands.
      if (still_linked()) {
        outcome.result = RedeemResult::kRedeemed;
        outcome.profile_id = code->profile_id;
        outcome.join = JoinResult::kRejoined;
        outcome.link_id = code->joining_link_id;
      }
      break;
    case LinkCodeState::kWaiting:
      break;
  }
  return outcome;
}

bool awaits_decision_of(const std::optional<LinkCodeRecord>& code, const DeviceLink& caller,
                        const std::string& profile_id, Millis now) {
  return code && code->profile_id == profile_id && code->creator_device_id == caller.device_id &&
         code->state == LinkCodeState::kAwaitingApproval && code->expires_at > now;
}

DeviceRecord approved_device(const LinkCodeRecord& code, Millis now) {
  DeviceRecord device;
  device.service_provider = code.service_provider;
  device.device_id = code.joining_device_id;
  device.profile_id = code.profile_id;
  device.link_id = code.joining_link_id;
  device.type = DeviceType::kSso;
  device.info_json = code.joining_info_json;
  device.first_seen = now;
  device.last_seen = now;
  return device;
}

}  // namespace ssokit::store
