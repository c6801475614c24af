#pragma once
// What the core reports as it works, for metrics and logs. The core never formats a log
// line or knows Prometheus; the API layer implements this.
#include <string_view>

#include "core/clock.hpp"

namespace ssokit::server {

class ServiceEvents {
 public:
  virtual ~ServiceEvents() = default;
  // result: "redeemed", "invalid" or "limited".
  virtual void link_redemption(std::string_view result) = 0;
  // limit: "device" (the per-device throttle), the redemption limits "redeem_device",
  // "redeem_address", "redeem_service_provider", or "address_create" (--address-rate).
  virtual void rate_limited(std::string_view limit) = 0;
  // reason: e.g. "bad_signature", "expired", "untrusted_issuer" (see platform_identity.hpp).
  virtual void platform_identity_rejected(std::string_view reason) = 0;
  // A device signed in to, or redeemed a code of, another profile than the one it was in.
  // Device ids are an unauthenticated claim (docs/security.md), so moves are worth watching.
  virtual void device_moved() = 0;

  // A link code was made (SPEC §6.4: test control keeps the clear text of the codes a device
  // made, in memory, so CI redeems without reading a screen). Nothing else may keep `code`.
  struct LinkCodeMade {
    std::string_view sp;
    std::string_view device_id;
    std::string_view code;
    Millis not_after = 0;
    bool approval_required = false;
  };
  virtual void link_code_made(const LinkCodeMade& made) { static_cast<void>(made); }
};

}  // namespace ssokit::server
