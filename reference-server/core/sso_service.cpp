#include "core/sso_service.hpp"

#include "core/base64.hpp"
#include "core/creation_limit.hpp"
#include "core/device_info.hpp"
#include "core/header_scheme.hpp"
#include "core/housekeeping.hpp"
#include "core/json.hpp"
#include "core/secret_hash.hpp"

namespace ssokit::server {
namespace {

Outcome<ServiceTokenGrant> granted(Outcome<IssuedServiceToken> token) {
  if (!token) return token.error();
  return ServiceTokenGrant{std::move(token.value()), std::nullopt};
}

// Link-code creation draws candidates in batches; with at most a few codes live per profile
// in a space of a million, twelve straight collisions mean the space is full.
constexpr std::size_t kCandidatesPerAttempt = 4;
constexpr int kCodeAttempts = 3;
// Random bytes of a link id: 96 bits, so no two links of a device ever share one.
constexpr std::size_t kLinkIdBytes = 12;

// Characters, not bytes: SPEC counts X-SSO-ID in characters, and ids may be non-ASCII.
// Continuation bytes (10xxxxxx) do not start a character.
std::size_t utf8_length(const std::string& text) {
  std::size_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80 ? 1 : 0;
  return count;
}

}  // namespace

std::optional<std::string> parse_device_identifier(const std::string& header_value) {
  auto id = value_after_scheme(header_value, "fingerprint ");
  if (!id || id->size() > kMaxDeviceIdLength) return std::nullopt;
  if (!base64_decode(*id) && !base64url_decode(*id)) return std::nullopt;
  return id;
}

SsoService::SsoService(const ServiceConfig& config, store::Store& store, ServiceTokens& tokens,
                       const PlatformIdentity& platform, const ProfilePseudonyms& pseudonyms, ServiceEvents& events,
                       Clock& clock, Random& random, std::string link_code_pepper)
    : config_(config),
      store_(store),
      tokens_(tokens),
      platform_(platform),
      pseudonyms_(pseudonyms),
      events_(events),
      clock_(clock),
      random_(random),
      code_hmac_(link_code_pepper),
      device_rates_(device_rate_counter(store)) {}

std::string SsoService::link_code_hash(const std::string& sp, const std::string& code) const {
  return code_hmac_.hex(sp + '\n' + code);
}

Outcome<std::string> SsoService::require_device_id(const SsoRequest& request) const {
  if (!request.device_identifier) {
    return ApiError(ErrorId::kHeaderMissing, "AP-Device-Identifier header is required");
  }
  auto id = parse_device_identifier(*request.device_identifier);
  if (!id) {
    return ApiError(ErrorId::kHeaderInvalid, "AP-Device-Identifier must be 'fingerprint <base64 device id>'");
  }
  return *id;
}

Outcome<Done> SsoService::throttle(const std::string& sp, const std::string& device_id) {
  if (!config_.device_rate) return Done{};
  const RateDecision decision =
      device_rates_->consume("device:" + sp + "\n" + device_id, *config_.device_rate, clock_.now_ms());
  if (decision.allowed) return Done{};
  events_.rate_limited("device");
  return ApiError(ErrorId::kTooManyRequests, {}, retry_after_seconds(decision.retry_after_ms));
}

std::string SsoService::device_info_for(const SsoRequest& request, const std::optional<std::string>& parsed) const {
  Json info = parsed ? json_parse(*parsed) : json_object();
  if (request.user_agent && !request.user_agent->empty() &&
      cJSON_GetObjectItemCaseSensitive(info.get(), "userAgent") == nullptr) {
    json_set(info.get(), "userAgent", *request.user_agent);
  }
  return json_print(info.get());
}

const char* status_name(LinkCodeStatus status) {
  switch (status) {
    case LinkCodeStatus::kWaiting: return "WAITING";
    case LinkCodeStatus::kAwaitingApproval: return "AWAITING_APPROVAL";
    case LinkCodeStatus::kRedeemed: return "REDEEMED";
    case LinkCodeStatus::kDenied: return "DENIED";
    case LinkCodeStatus::kExpired: return "EXPIRED";
  }
  return "EXPIRED";
}

std::string SsoService::wait_key(const std::string& sp, const std::string& code_hash) {
  return sp + '\n' + code_hash;
}

Outcome<ServiceTokenGrant> SsoService::create_service_token(const SsoRequest& request) {
  auto device_id = require_device_id(request);
  if (!device_id) return device_id.error();
  std::optional<std::string> parsed_info;
  if (request.device_info) {
    parsed_info = parse_device_info(*request.device_info);
    if (!parsed_info) return ErrorId::kInvalidHeaderDeviceInfo;
  }
  if (request.sso_id && request.sso_link) return ErrorId::kRequestInvalidHeaders;
  if (auto throttled = throttle(request.sp, *device_id); !throttled) return throttled.error();
  const std::string info = device_info_for(request, parsed_info);

  if (request.sso_id) {
    if (request.sso_id->empty() || utf8_length(*request.sso_id) > kMaxSsoIdLength) {
      return ApiError(ErrorId::kHeaderInvalid, "X-SSO-ID must be 1 to 256 characters");
    }
    return granted(sign_in(request, *device_id, info, ProfileSource::kSsoId, *request.sso_id));
  }
  if (request.sso_link) return redeem(request, *device_id, info);

  // Platform identity counts only when neither X-SSO-ID nor X-SSO-LINK is sent; an unusable
  // token is ignored as if absent, as the real service does, but logged and counted.
  if (request.platform_token) {
    const PlatformIdentityResult identity = platform_.validate(*request.platform_token, request.sp);
    if (identity.common_id) {
      return granted(sign_in(request, *device_id, info, ProfileSource::kPlatform, *identity.common_id));
    }
    events_.platform_identity_rejected(identity.rejection);
  }
  if (config_.require_sso_id) {
    return ApiError(ErrorId::kHeaderMissing, "The X-SSO-ID or X-SSO-LINK header is required for POST requests");
  }
  return granted(sign_in(request, *device_id, info, ProfileSource::kDeviceId, *device_id));
}

Outcome<ServiceTokenGrant> SsoService::redeem_again(const SsoRequest& request) {
  auto device_id = require_device_id(request);
  if (!device_id) return device_id.error();
  if (!request.sso_link) return ErrorId::kLinkCodeInvalid;
  std::optional<std::string> parsed_info;
  if (request.device_info) parsed_info = parse_device_info(*request.device_info);
  return redeem(request, *device_id, device_info_for(request, parsed_info));
}

store::JoinLimits SsoService::join_limits(const SsoRequest& request) const {
  return store::JoinLimits{config_.max_devices, address_creation_limit(config_, request.client_address)};
}

std::optional<ApiError> SsoService::join_refusal(store::JoinResult result, Millis retry_after_ms) {
  switch (result) {
    case store::JoinResult::kDeviceLimit:
      return ApiError(ErrorId::kDeviceLimitReached);
    case store::JoinResult::kCreationLimited:
      events_.rate_limited(kAddressCreateLimit);
      return ApiError(ErrorId::kTooManyRequests, "Too many new devices from this address; retry later",
                      retry_after_seconds(retry_after_ms));
    case store::JoinResult::kAdded:
    case store::JoinResult::kRejoined:
    case store::JoinResult::kMoved:
      break;
  }
  return std::nullopt;
}

Outcome<IssuedServiceToken> SsoService::sign_in(const SsoRequest& request, const std::string& device_id,
                                                const std::string& device_info, ProfileSource source,
                                                const std::string& common_id) {
  const Millis now = clock_.now_ms();
  store::DeviceRecord device;
  device.service_provider = request.sp;
  device.device_id = device_id;
  device.profile_id = pseudonyms_.profile_id(request.sp, source, common_id);
  device.link_id = random_.token(kLinkIdBytes);  // used only if this starts a new link
  device.type = store::DeviceType::kRegular;
  device.info_json = device_info;
  device.first_seen = now;
  device.last_seen = now;
  const store::JoinOutcome joined = store_.join_device(device, join_limits(request), now);
  if (auto refused = join_refusal(joined.result, joined.retry_after_ms)) return *refused;
  if (joined.result == store::JoinResult::kMoved) events_.device_moved();
  return tokens_.issue(device.profile_id, request.sp, device_id, joined.link_id);
}

Outcome<ServiceTokenGrant> SsoService::redeem(const SsoRequest& request, const std::string& device_id,
                                              const std::string& device_info) {
  const Millis now = clock_.now_ms();
  store::DeviceRecord joining;
  joining.service_provider = request.sp;
  joining.device_id = device_id;
  joining.link_id = random_.token(kLinkIdBytes);
  joining.type = store::DeviceType::kSso;
  joining.info_json = device_info;
  joining.first_seen = now;
  joining.last_seen = now;
  const std::vector<store::NamedLimit> limits = {
      {"redeem-device:" + request.sp + "\n" + device_id, "redeem_device", config_.redeem_failures},
      {"redeem-address:" + request.sp + "\n" + request.client_address, "redeem_address", config_.redeem_failures},
      {"redeem-sp:" + request.sp, "redeem_service_provider", config_.redeem_budget},
  };
  const std::string code = config_.link_code_format.normalize(*request.sso_link);
  const std::string code_hash = link_code_hash(request.sp, code);
  const store::RedeemOutcome outcome = store_.redeem_link_code(code_hash, joining, limits, join_limits(request), now);
  switch (outcome.result) {
    case store::RedeemResult::kRedeemed:
      events_.link_redemption("redeemed");
      if (outcome.join == store::JoinResult::kMoved) events_.device_moved();
      return granted(tokens_.issue(outcome.profile_id, request.sp, device_id, outcome.link_id));
    case store::RedeemResult::kAwaitingApproval:
      events_.link_redemption("awaiting_approval");
      return ServiceTokenGrant{std::nullopt, AwaitingApproval{outcome.expires_at, wait_key(request.sp, code_hash)}};
    case store::RedeemResult::kDenied:
      return ErrorId::kLinkDenied;
    case store::RedeemResult::kLimited:
      events_.link_redemption("limited");
      events_.rate_limited(outcome.limited_by);
      return ApiError(ErrorId::kTooManyAttempts, {}, retry_after_seconds(outcome.retry_after_ms));
    case store::RedeemResult::kCreationLimited:
      events_.link_redemption("limited");
      return *join_refusal(store::JoinResult::kCreationLimited, outcome.retry_after_ms);
    case store::RedeemResult::kDeviceLimit:
      events_.link_redemption("device_limit");
      return ApiError(ErrorId::kDeviceLimitReached);
    case store::RedeemResult::kInvalid:
      break;
  }
  events_.link_redemption("invalid");
  return ErrorId::kLinkCodeInvalid;
}

Outcome<IssuedServiceToken> SsoService::refresh_service_token(const SsoRequest& request) {
  if (!request.service_token) {
    return ApiError(ErrorId::kHeaderMissing, "AD-Service-Token header is required for GET requests");
  }
  std::optional<std::string> device_id;
  if (request.device_identifier) {
    auto parsed = require_device_id(request);
    if (!parsed) return parsed.error();
    device_id = *parsed;
  }
  auto claims = tokens_.verify(*request.service_token, request.sp, TokenUse::kRefresh);
  if (!claims) return claims.error();
  if (device_id && *device_id != claims->did) {
    return ApiError(ErrorId::kHeaderInvalidServiceToken, "AD-Service-Token was issued to another device");
  }
  if (auto throttled = throttle(request.sp, claims->did); !throttled) return throttled.error();
  const auto profile = linked_profile(request.sp, *claims);
  if (!profile) return ErrorId::kDeviceUnlinked;
  // A token from before link ids (lid "") named the profile by its legacy id; its
  // successor carries the pseudonym the store renamed the profile to.
  return tokens_.issue(*profile, request.sp, claims->did, claims->lid);
}

store::DeviceLink SsoService::link_of(const std::string& sp, const ServiceTokenClaims& claims) {
  // A link names one profile: a token naming another was not issued for it. Tokens from
  // before link ids (lid "") named the profile by its legacy id, so only the link counts.
  return store::DeviceLink{sp, claims.did, claims.lid, claims.lid.empty() ? std::string() : claims.sub};
}

std::optional<std::string> SsoService::linked_profile(const std::string& sp, const ServiceTokenClaims& claims) {
  return store_.check_device_link(link_of(sp, claims), clock_.now_ms());
}

Outcome<ServiceTokenClaims> SsoService::verify_caller(const SsoRequest& request) {
  auto device_id = require_device_id(request);
  if (!device_id) return device_id.error();
  if (!request.service_token) return ErrorId::kHeaderMissingServiceToken;
  if (auto throttled = throttle(request.sp, *device_id); !throttled) return throttled.error();
  auto claims = tokens_.verify(*request.service_token, request.sp, TokenUse::kCall);
  if (!claims) return claims.error();
  if (*device_id != claims->did) {
    return ApiError(ErrorId::kHeaderInvalidServiceToken, "AD-Service-Token was issued to another device");
  }
  return claims;
}

Outcome<Caller> SsoService::authorize(const SsoRequest& request) {
  auto claims = verify_caller(request);
  if (!claims) return claims.error();
  auto profile = linked_profile(request.sp, *claims);
  if (!profile) return ErrorId::kDeviceUnlinked;
  return Caller{std::move(*profile), claims->did};
}

Outcome<IssuedLinkCode> SsoService::create_link_code(const SsoRequest& request, bool approval_required) {
  auto claims = verify_caller(request);
  if (!claims) return claims.error();
  const Millis now = clock_.now_ms();
  store::NewLinkCode code;
  code.expires_at = now + config_.link_code_ttl_ms;
  code.max_live_codes = config_.max_live_codes;
  code.approval_required = approval_required || config_.link_approval_required;
  for (int attempt = 0; attempt < kCodeAttempts; ++attempt) {
    // Several candidates in one command: a collision with a live code costs no extra trip.
    std::vector<std::string> drawn(kCandidatesPerAttempt);
    code.candidate_hashes.clear();
    for (std::string& candidate : drawn) {
      candidate = config_.link_code_format.generate(random_);
      code.candidate_hashes.push_back(link_code_hash(request.sp, candidate));
    }
    const store::NewCodeOutcome made = store_.create_link_code(link_of(request.sp, *claims), code, now);
    if (!made.linked) return ErrorId::kDeviceUnlinked;
    if (made.inserted) {
      const IssuedLinkCode issued{drawn[*made.inserted], now, code.expires_at, code.approval_required};
      events_.link_code_made({request.sp, claims->did, issued.code, issued.not_after, issued.approval_required});
      return issued;
    }
  }
  return ApiError(ErrorId::kInternalError, "No free link code; try a longer --link-code-format");
}

Outcome<CodeOfCaller> SsoService::code_of_caller(const SsoRequest& request) {
  auto claims = verify_caller(request);
  if (!claims) return claims.error();
  if (!request.sso_link) return ApiError(ErrorId::kHeaderMissing, "X-SSO-LINK header is required");
  const std::string code = config_.link_code_format.normalize(*request.sso_link);
  return CodeOfCaller{link_of(request.sp, *claims), link_code_hash(request.sp, code)};
}

Outcome<LinkCodeView> SsoService::link_code_view(const CodeOfCaller& code) {
  const Millis now = clock_.now_ms();
  const std::optional<std::string> profile = store_.check_device_link(code.caller, now);
  if (!profile) return ErrorId::kDeviceUnlinked;
  const std::optional<store::LinkCodeRecord> record = store_.find_link_code(code.caller.sp, code.code_hash);
  // Another device's code, or one past its readable life, is as unknown as any (no oracle).
  if (!record || record->creator_device_id != code.caller.device_id || record->profile_id != *profile ||
      record->expires_at + kLinkCodeStatusRetentionMs <= now) {
    return ErrorId::kLinkCodeInvalid;
  }
  LinkCodeView view;
  view.not_after = record->expires_at;
  view.wait_key = wait_key(code.caller.sp, code.code_hash);
  const bool expired = record->expires_at <= now;
  switch (record->state) {
    case store::LinkCodeState::kWaiting: view.status = expired ? LinkCodeStatus::kExpired : LinkCodeStatus::kWaiting; break;
    case store::LinkCodeState::kAwaitingApproval:
      view.status = expired ? LinkCodeStatus::kExpired : LinkCodeStatus::kAwaitingApproval;
      break;
    case store::LinkCodeState::kRedeemed: view.status = LinkCodeStatus::kRedeemed; break;
    case store::LinkCodeState::kDenied: view.status = LinkCodeStatus::kDenied; break;
  }
  if (view.status != LinkCodeStatus::kWaiting && view.status != LinkCodeStatus::kExpired) {
    store::DeviceRecord device;
    device.service_provider = code.caller.sp;
    device.device_id = record->joining_device_id;
    device.profile_id = record->profile_id;
    device.type = store::DeviceType::kSso;
    device.info_json = record->joining_info_json;
    device.first_seen = record->taken_at;
    device.last_seen = record->taken_at;
    view.device = std::move(device);
  }
  return view;
}

Outcome<Done> SsoService::decide_link_code(const SsoRequest& request, bool approve) {
  auto code = code_of_caller(request);
  if (!code) return code.error();
  const store::JoinLimits limits{config_.max_devices, std::nullopt};
  const store::DecisionOutcome decided =
      store_.decide_link_code(code->caller, code->code_hash, approve, limits, clock_.now_ms());
  if (!decided.linked) return ErrorId::kDeviceUnlinked;
  switch (decided.result) {
    case store::DecisionResult::kDecided:
      if (approve && decided.join == store::JoinResult::kMoved) events_.device_moved();
      return Done{};
    case store::DecisionResult::kDeviceLimit: return ErrorId::kDeviceLimitReached;
    case store::DecisionResult::kInvalid: break;
  }
  return ErrorId::kLinkCodeInvalid;
}

Outcome<std::vector<std::string>> SsoService::unlink(const SsoRequest& request,
                                                     const std::vector<std::string>& device_ids) {
  auto claims = verify_caller(request);
  if (!claims) return claims.error();
  store::UnlinkOutcome outcome = store_.unlink_devices(link_of(request.sp, *claims), device_ids, clock_.now_ms());
  if (!outcome.linked) return ErrorId::kDeviceUnlinked;
  return std::move(outcome.unlinked);
}

Outcome<std::vector<store::DeviceRecord>> SsoService::list_devices(const SsoRequest& request) {
  auto claims = verify_caller(request);
  if (!claims) return claims.error();
  store::DeviceList list = store_.list_devices_of(link_of(request.sp, *claims), clock_.now_ms());
  if (!list.linked) return ErrorId::kDeviceUnlinked;
  return std::move(list.devices);
}

}  // namespace ssokit::server
