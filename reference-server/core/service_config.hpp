#pragma once
// Every tunable of the SSO service, with SPEC §4's defaults. The server's flags fill it.
#include <map>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/link_code_format.hpp"
#include "core/rate_limit.hpp"

namespace ssokit::server {

struct MvpdAccount {
  std::string user;
  std::string password;
};

struct ServiceConfig {
  Millis service_token_ttl_ms = 3600 * 1000;
  Millis link_code_ttl_ms = 600 * 1000;
  Millis refresh_grace_ms = 86400 * 1000;
  Millis access_token_ttl_ms = 86400 * 1000;
  // Tolerated difference between a token's times and ours (SPEC: 60 s).
  Millis clock_skew_ms = 60 * 1000;
  bool require_sso_id = false;
  std::optional<RateLimit> device_rate = RateLimit{1000, 10};  // nullopt: --device-rate off
  LinkCodeFormat link_code_format;
  int max_live_codes = 5;
  // --link-approval required: every link code needs its issuing device's approval (SPEC §6.2);
  // otherwise (optional, the default) the request's body decides.
  bool link_approval_required = false;
  // Devices a profile may hold (SPEC §6.3); nullopt: --max-devices off. An unbounded profile
  // is a denial of service against its own devices, whose `list` outgrows what they accept.
  std::optional<int> max_devices = 100;
  // Creations per client address (SPEC §2): client registrations, access tokens and
  // sign-ins that add a device, as a burst of N refilling evenly over W. The default lets
  // a CI suite create thousands of devices an hour from one loopback address and caps a
  // flood at 10,000 an hour per address (docs/security.md); nullopt: --address-rate off.
  std::optional<RateLimit> address_rate = RateLimit::per_window(10000, 3600);
  RateLimit redeem_failures = RateLimit::per_window(5, 600);
  // Derived in docs/security.md: emptying it (a denial of pairing) takes 200 client
  // addresses at the default --redeem-failures, while a given code's odds stay bounded.
  RateLimit redeem_budget = RateLimit::per_window(1000, 600);
  std::string service_token_alg = "HS256";                   // or "ES256"
  Millis mvpd_profile_ttl_ms = 86400 * 1000;
  Millis mvpd_session_ttl_ms = 30 * 60 * 1000;
  std::map<std::string, MvpdAccount> mvpds;  // name -> the one test user of its mock page
  // The server's own base URL, for helpUrl and the mock MVPD page (e.g. http://127.0.0.1:8080).
  std::string public_url = "http://127.0.0.1:8080";
};

}  // namespace ssokit::server
