#pragma once
// The SSO service of SPEC §2 as pure logic: service tokens, link codes, listing and
// unlinking. Inputs are the raw header values (validated here, so every rule is testable
// without HTTP); storage is the injected Store, time the injected Clock.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/outcome.hpp"
#include "core/platform_identity.hpp"
#include "core/profile_pseudonyms.hpp"
#include "core/random.hpp"
#include "core/rate_counter.hpp"
#include "core/secret_hash.hpp"
#include "core/service_config.hpp"
#include "core/service_events.hpp"
#include "core/service_tokens.hpp"
#include "store/store.hpp"

namespace ssokit::server {

// The SSO-relevant parts of one request, as sent (nullopt: header absent).
struct SsoRequest {
  std::string sp;
  std::optional<std::string> device_identifier;  // AP-Device-Identifier
  std::optional<std::string> device_info;        // X-Device-Info
  std::optional<std::string> sso_id;             // X-SSO-ID
  std::optional<std::string> sso_link;           // X-SSO-LINK
  std::optional<std::string> platform_token;     // X-Roku-Reserved-Roku-Connect-Token
  std::optional<std::string> service_token;      // AD-Service-Token
  std::optional<std::string> user_agent;         // User-Agent, kept as device metadata
  std::string client_address;                    // what per-address limits count (core/client_address.hpp)
};

// Who is calling, once the service token checked out.
struct Caller {
  std::string profile_id;  // the profile's pseudonym
  std::string device_id;
};

struct IssuedLinkCode {
  std::string code;
  Millis not_before = 0;
  Millis not_after = 0;
  bool approval_required = false;
};

// A redeemed code that needs its issuing device's approval (SPEC §6.2): no token yet.
struct AwaitingApproval {
  Millis not_after = 0;   // the decision must come before the code's end
  std::string wait_key;   // what a held request waits on (LinkWaiters)
};

// What POST serviceToken grants: a service token, or the wait for an approval.
struct ServiceTokenGrant {
  std::optional<IssuedServiceToken> token;
  std::optional<AwaitingApproval> awaiting;
};

// A link code as the device that made it sees it (SPEC §6.1).
enum class LinkCodeStatus { kWaiting, kAwaitingApproval, kRedeemed, kDenied, kExpired };
const char* status_name(LinkCodeStatus status);  // "WAITING", ...

struct LinkCodeView {
  LinkCodeStatus status = LinkCodeStatus::kWaiting;
  Millis not_after = 0;
  std::optional<store::DeviceRecord> device;  // the joining device, unless WAITING or EXPIRED
  std::string wait_key;                       // what a held request waits on (LinkWaiters)
};

// The code a status, approve or deny call names, once its caller is known.
struct CodeOfCaller {
  store::DeviceLink caller;
  std::string code_hash;
};

inline constexpr std::size_t kMaxSsoIdLength = 256;
inline constexpr std::size_t kMaxDeviceIdLength = 512;

class SsoService {
 public:
  SsoService(const ServiceConfig& config, store::Store& store, ServiceTokens& tokens, const PlatformIdentity& platform,
             const ProfilePseudonyms& pseudonyms, ServiceEvents& events, Clock& clock, Random& random,
             std::string link_code_pepper);

  // POST serviceToken: sign in with X-SSO-ID, redeem X-SSO-LINK, or use platform identity.
  Outcome<ServiceTokenGrant> create_service_token(const SsoRequest& request);
  // The redemption of an approval code asked again for a held request that woke: no
  // throttle (a held request counts once), no limits (SPEC §6.2).
  Outcome<ServiceTokenGrant> redeem_again(const SsoRequest& request);
  // GET serviceToken: a new token for a valid or recently expired one.
  Outcome<IssuedServiceToken> refresh_service_token(const SsoRequest& request);
  // POST link; `approval_required` as the request's body asked (--link-approval required
  // makes every code require it).
  Outcome<IssuedLinkCode> create_link_code(const SsoRequest& request, bool approval_required = false);
  // GET link/status (SPEC §6.1): the caller and the code it names (X-SSO-LINK), checked as
  // any call; then the code's view, read again on every wake of a held request.
  Outcome<CodeOfCaller> code_of_caller(const SsoRequest& request);
  Outcome<LinkCodeView> link_code_view(const CodeOfCaller& code);
  // POST link/approve and link/deny (SPEC §6.2).
  Outcome<Done> decide_link_code(const SsoRequest& request, bool approve);
  // What waiters on a code are keyed by: the same for the maker and the redeemer.
  static std::string wait_key(const std::string& sp, const std::string& code_hash);
  Outcome<std::vector<std::string>> unlink(const SsoRequest& request, const std::vector<std::string>& device_ids);
  Outcome<std::vector<store::DeviceRecord>> list_devices(const SsoRequest& request);

  // For every call that takes AD-Service-Token: device header, throttle, token, binding,
  // and "still linked by the token's link" (which also moves lastSeen).
  Outcome<Caller> authorize(const SsoRequest& request);

  // The keyed hash under which a link code is stored.
  std::string link_code_hash(const std::string& sp, const std::string& code) const;

 private:
  Outcome<std::string> require_device_id(const SsoRequest& request) const;
  Outcome<Done> throttle(const std::string& sp, const std::string& device_id);
  Outcome<IssuedServiceToken> sign_in(const SsoRequest& request, const std::string& device_id,
                                      const std::string& device_info, ProfileSource source,
                                      const std::string& common_id);
  Outcome<ServiceTokenGrant> redeem(const SsoRequest& request, const std::string& device_id,
                                    const std::string& device_info);
  std::string device_info_for(const SsoRequest& request, const std::optional<std::string>& parsed) const;
  store::JoinLimits join_limits(const SsoRequest& request) const;
  // The answer to a join the store refused; nullopt when it went through.
  std::optional<ApiError> join_refusal(store::JoinResult result, Millis retry_after_ms);
  // Device header, token, throttle and device binding of a call; not the link (each command
  // checks it with its own work, in one store command).
  Outcome<ServiceTokenClaims> verify_caller(const SsoRequest& request);
  static store::DeviceLink link_of(const std::string& sp, const ServiceTokenClaims& claims);
  // The profile the token's device is still linked to by the token's link; nullopt when it
  // was unlinked or moved since the token was issued (SPEC §2: unlink is final).
  std::optional<std::string> linked_profile(const std::string& sp, const ServiceTokenClaims& claims);

  const ServiceConfig& config_;
  store::Store& store_;
  ServiceTokens& tokens_;
  const PlatformIdentity& platform_;
  const ProfilePseudonyms& pseudonyms_;
  ServiceEvents& events_;
  Clock& clock_;
  Random& random_;
  KeyedHmacSha256 code_hmac_;  // keyed with the link-code pepper
  std::unique_ptr<RateCounter> device_rates_;  // the per-device throttle's counts
};

// "fingerprint <base64>" -> the base64 text; nullopt when not of that form.
std::optional<std::string> parse_device_identifier(const std::string& header_value);

}  // namespace ssokit::server
