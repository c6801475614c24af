#pragma once
// The rules of a link code's life that do not depend on the backend (store.hpp states them):
// both stores read the rows their own way and decide with these, so the two cannot drift.
#include <functional>
#include <optional>
#include <string>

#include "store/store.hpp"

namespace ssokit::store {

// Live: may still be redeemed.
bool is_live(const LinkCodeRecord& code, Millis now);

// Step 0 of redeem_link_code(): the device that took a code needing approval asks again.
// nullopt when it is not that (the redemption goes on as any other); otherwise the answer,
// where `still_linked()` says whether the link the approval made still stands.
std::optional<RedeemOutcome> repeat_of_taker(const std::optional<LinkCodeRecord>& code, const std::string& device_id,
                                             Millis now, const std::function<bool()>& still_linked);

// decide_link_code(): whether `code` awaits the decision of `caller`, linked in `profile_id`.
bool awaits_decision_of(const std::optional<LinkCodeRecord>& code, const DeviceLink& caller,
                        const std::string& profile_id, Millis now);

// The device an approval joins: the one that took the code, as it described itself, with the
// link it was promised, first and last seen `now`.
DeviceRecord approved_device(const LinkCodeRecord& code, Millis now);

// The limits of the join an approval makes: the device cap only (the creation limit was
// consumed when the code was taken).
inline JoinLimits approval_limits(const JoinLimits& limits) {
  return JoinLimits{limits.max_devices, std::nullopt};
}

}  // namespace ssokit::store
