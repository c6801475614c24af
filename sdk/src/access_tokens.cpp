#include "access_tokens.hpp"

#include <algorithm>

#include "encoding.hpp"
#include "stored_values.hpp"
#include "time_limits.hpp"

namespace ssokit::internal {
namespace {

constexpr const char* kClientIdKey = "client_id";
constexpr const char* kClientSecretKey = "client_secret";
constexpr const char* kAccessTokenKey = "access_token";
// Renew this long before the server's expiry (or at half the lifetime, if shorter).
constexpr std::chrono::seconds kRenewAhead{60};

}  // namespace

AccessTokens::AccessTokens(const ClientOptions& options, RequestRunner& runner, SecureStore& store, Clock& clock)
    : options_(options), runner_(runner), store_(store), clock_(clock) {}

Result<std::string> AccessTokens::access_token(CallContext& call) {
  {
    std::lock_guard lock(mutex_);
    if (cached_ && clock_.steady_now() < cached_->renew_at) return cached_->value;
  }
  return renewal_.run([&] { return renew(call); });
}

void AccessTokens::reject(const std::string& token) {
  std::lock_guard lock(mutex_);
  if (cached_ && cached_->value == token) cached_.reset();
  // The stored copy must go too, or a restart would bring it back.
  store_.remove(kAccessTokenKey);
}

Result<wire::ClientCredentials> AccessTokens::client_credentials(CallContext& call, bool register_anew) {
  if (!register_anew) {
    auto id = store_.get(kClientIdKey);
    auto secret = store_.get(kClientSecretKey);
    if (!id) return id.status();
    if (!secret) return secret.status();
    if (*id && *secret) return wire::ClientCredentials{**id, **secret};
  }
  ApiRequest request;
  request.method = "POST";
  request.path = "/o/client/register";
  request.headers = {{"Content-Type", "application/json"}};
  request.body = wire::registration_request_body(options_.software_statement);
  request.idempotent = true;  // a second registration only makes an unused client
  request.needs_access_token = false;
  auto response = runner_.run(request, call);
  if (!response) return response.status();
  auto client = wire::parse_registration(response->body);
  if (!client) return client.status();
  if (Status stored = store_.put(kClientIdKey, client->client_id); !stored.ok()) return stored;
  if (Status stored = store_.put(kClientSecretKey, client->client_secret); !stored.ok()) return stored;
  runner_.log(LogLevel::kInfo, "registered the application with the server");
  return client;
}

Result<std::string> AccessTokens::request_token(const wire::ClientCredentials& client, CallContext& call) {
  ApiRequest request;
  request.method = "POST";
  request.path = "/o/client/token";
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  request.body = form_encode(
      {{"grant_type", "client_credentials"}, {"client_id", client.client_id}, {"client_secret", client.client_secret}});
  request.idempotent = true;
  request.needs_access_token = false;
  auto response = runner_.run(request, call);
  if (!response) return response.status();
  auto token = wire::parse_access_token(response->body);
  if (!token) return token.status();
  const auto lifetime = std::chrono::duration_cast<std::chrono::milliseconds>(token->expires_in);
  const auto ahead = std::min<std::chrono::milliseconds>(kRenewAhead, lifetime / 2);
  {
    std::lock_guard lock(mutex_);
    cached_ = Cached{token->value, clock_.steady_now() + lifetime - ahead};
  }
  // Kept with its expiry in server time, so a restart knows how long it still lives.
  const auto expires =
      std::chrono::duration_cast<std::chrono::milliseconds>((runner_.server_now() + lifetime).time_since_epoch())
          .count();
  store_.put(kAccessTokenKey, token->value + "\n" + std::to_string(expires));
  return token->value;
}

Result<std::string> AccessTokens::renew(CallContext& call) {
  // A token kept from an earlier run is used while it lives.
  {
    std::lock_guard lock(mutex_);
    if (!cached_) {
      if (auto stored = store_.get(kAccessTokenKey); stored && *stored) {
        const std::string& text = **stored;
        const auto newline = text.find('\n');
        std::optional<ServerTime> expires;
        if (newline != std::string::npos) expires = parse_stored_time(std::string_view(text).substr(newline + 1));
        if (expires) {
          // Both in ms since the epoch: no overflow; cut to kMaxLifetime before the steady clock.
          const auto server_now = std::chrono::time_point_cast<std::chrono::milliseconds>(runner_.server_now());
          const auto left = std::min<std::chrono::milliseconds>(*expires - server_now, kMaxLifetime);
          if (left > kRenewAhead) {
            cached_ = Cached{text.substr(0, newline), clock_.steady_now() + left - kRenewAhead};
            return cached_->value;
          }
        }
      }
    }
  }
  auto client = client_credentials(call, false);
  if (!client) return client.status();
  auto token = request_token(*client, call);
  const auto& error = token.status().server_error();
  if (token || !error || error->code != "invalid_client") return token;
  // The server no longer knows this client: register again, once.
  runner_.log(LogLevel::kInfo, "the server no longer knows this client; registering again");
  client = client_credentials(call, true);
  if (!client) return client.status();
  return request_token(*client, call);
}

}  // namespace ssokit::internal
