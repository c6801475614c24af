#include "service_token_cache.hpp"

#include <algorithm>
#include <limits>

#include "stored_values.hpp"
#include "time_limits.hpp"
#include "wire/wire.hpp"

namespace ssokit::internal {
namespace {

constexpr const char* kServiceTokenKey = "service_token";
constexpr const char* kServerOffsetKey = "server_offset_ms";

std::int64_t millis(ServerTime time) {
  return time.time_since_epoch().count();
}

// Answers after which the local token is useless: unlinked, past the grace, or refused.
bool clears_local_state(ErrorCode code) {
  return code == ErrorCode::kDeviceUnlinked || code == ErrorCode::kTokenExpired || code == ErrorCode::kTokenInvalid;
}

}  // namespace

ServiceTokenCache::ServiceTokenCache(const ClientOptions& options, RequestRunner& runner, SecureStore& store,
                                     Clock& clock, std::string device_id)
    : options_(options), runner_(runner), store_(store), clock_(clock), device_id_(std::move(device_id)) {}

ServiceTokenCache::Cached ServiceTokenCache::make_cached(const ServiceToken& token) const {
  // Time left by the server's clock, turned into a steady-clock moment. In ms since the epoch
  // the difference cannot overflow (notAfter is at most 2^53, the server's now is bounded by
  // the clock offset's cap); it is cut to [0, kMaxLifetime] before it meets the steady clock's
  // nanoseconds, so a token claiming centuries is refreshed within a year.
  const auto server_now = std::chrono::time_point_cast<std::chrono::milliseconds>(runner_.server_now());
  const auto left =
      std::clamp<std::chrono::milliseconds>(token.not_after - server_now, std::chrono::milliseconds(0), kMaxLifetime);
  const auto lifetime = token.not_after - token.not_before;  // at most kMaxLifetime: the wire cuts it
  const auto margin = std::min<std::chrono::milliseconds>(options_.refresh_ahead, lifetime / 2);
  Cached cached;
  cached.token = token;
  cached.expires = clock_.steady_now() + left;
  cached.refresh_at = cached.expires - margin;
  return cached;
}

void ServiceTokenCache::adopt(const ServiceToken& token) {
  {
    std::lock_guard lock(mutex_);
    cached_ = make_cached(token);
    loaded_ = true;
  }
  // Persisted with the server clock offset, so a restart knows the expiry without a call.
  // A store that fails costs only that: the token still serves this process.
  const Status stored = store_.put(kServiceTokenKey, token.value + "\n" + std::to_string(millis(token.not_before)) +
                                                         "\n" + std::to_string(millis(token.not_after)));
  const Status offset = store_.put(kServerOffsetKey, std::to_string(runner_.server_offset().count()));
  if (!stored.ok() || !offset.ok()) {
    runner_.log(LogLevel::kWarn, "could not keep the service token in the secure store: " +
                                     (stored.ok() ? offset.message() : stored.message()));
  }
}

void ServiceTokenCache::load_from_store() {
  // Called with mutex_ held, once.
  loaded_ = true;
  auto stored = store_.get(kServiceTokenKey);
  if (!stored || !*stored) return;
  const std::string_view text = **stored;
  const auto first = text.find('\n');
  const auto second = first == std::string_view::npos ? first : text.find('\n', first + 1);
  if (second == std::string_view::npos) return;
  const auto not_before = parse_stored_time(text.substr(first + 1, second - first - 1));
  const auto not_after = parse_stored_time(text.substr(second + 1));
  // Not what adopt() writes: a damaged or edited store, read as no token (signing in again
  // replaces it). Not logged: the app's log hook is never called with mutex_ held.
  if (!not_before || !not_after || *not_after < *not_before) return;
  ServiceToken token;
  token.value = std::string(text.substr(0, first));
  token.not_before = *not_before;
  token.not_after = std::min(*not_after, *not_before + kMaxLifetime);  // as the wire would have cut it
  if (auto offset = store_.get(kServerOffsetKey); offset && *offset) {
    // An offset beyond the cap (or not a number) is ignored: the device's clock is used.
    const auto ms = parse_stored_integer(**offset, std::numeric_limits<std::int64_t>::min(),
                                         std::numeric_limits<std::int64_t>::max());
    if (ms) runner_.set_server_offset(std::chrono::milliseconds(*ms));
  }
  cached_ = make_cached(token);
}

bool ServiceTokenCache::has_token() {
  std::lock_guard lock(mutex_);
  if (!loaded_) load_from_store();
  return cached_.has_value();
}

void ServiceTokenCache::clear() {
  {
    std::lock_guard lock(mutex_);
    cached_.reset();
    loaded_ = true;
  }
  store_.remove(kServiceTokenKey);
}

Result<ServiceToken> ServiceTokenCache::current(CallContext& call) {
  {
    std::lock_guard lock(mutex_);
    if (!loaded_) load_from_store();
    if (!cached_) return Status(ErrorCode::kNotSignedIn, "no service token: sign in or redeem a link code first");
    if (clock_.steady_now() < cached_->refresh_at) return cached_->token;
  }
  auto refreshed = refresh_flight_.run([&] { return refresh(call); });
  return refreshed ? refreshed : still_valid_or(refreshed.status());
}

Result<ServiceToken> ServiceTokenCache::from_server(CallContext& call) {
  // A refresh already in flight is joined: its answer is the server's too, and no newer.
  return refresh_flight_.run([&] { return refresh(call); });
}

Result<ServiceToken> ServiceTokenCache::refresh_after_refusal(const std::string& refused_token, CallContext& call) {
  auto refreshed = refresh_flight_.run([&]() -> Result<ServiceToken> {
    {
      std::lock_guard lock(mutex_);
      // Someone refreshed since this token was refused: use theirs.
      if (cached_ && cached_->token.value != refused_token) return cached_->token;
    }
    return refresh(call);
  });
  return refreshed ? refreshed : still_valid_or(refreshed.status());
}

Result<ServiceToken> ServiceTokenCache::still_valid_or(const Status& failure) {
  // A token that is still valid is better than none: serve it and try again next time. One
  // that a failure cleared (unlinked, expired, refused) is gone by now.
  std::lock_guard lock(mutex_);
  if (cached_ && clock_.steady_now() < cached_->expires) return cached_->token;
  return failure;
}

Result<ServiceToken> ServiceTokenCache::refresh(CallContext& call) {
  std::optional<Cached> before;
  {
    std::lock_guard lock(mutex_);
    if (!loaded_) load_from_store();
    before = cached_;
  }
  if (!before) return Status(ErrorCode::kNotSignedIn, "no service token: sign in or redeem a link code first");
  ApiRequest request;
  request.method = "GET";
  request.path = "/api/" + options_.service_provider + "/serviceToken";
  request.headers = {{"AD-Service-Token", before->token.value}, {"AP-Device-Identifier", "fingerprint " + device_id_}};
  request.idempotent = true;
  auto response = runner_.run(request, call);
  // An answer that is not a token (a captive portal's page) fails like no answer.
  auto token = response ? wire::parse_service_token(response->body) : Result<ServiceToken>(response.status());
  if (token) {
    adopt(*token);
    return token;
  }
  const Status& failure = token.status();
  if (clears_local_state(failure.code())) {
    runner_.log(LogLevel::kWarn, "the server ended this device's SSO (" + std::string(to_string(failure.code())) +
                                     "); local tokens cleared");
    clear();
    return failure;
  }
  if (clock_.steady_now() < before->expires) {
    // Logged once per refresh, not once per caller then served the cached token (callers
    // that asked the server get the failure instead).
    runner_.log(LogLevel::kWarn,
                "service token refresh failed (" + failure.message() + "); the cached token is kept while it is valid");
  }
  return failure;
}

}  // namespace ssokit::internal
