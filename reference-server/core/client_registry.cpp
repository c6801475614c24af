#include "core/client_registry.hpp"

#include <cctype>
#include <stdexcept>

#include "core/creation_limit.hpp"
#include "core/header_scheme.hpp"
#include "core/json.hpp"
#include "core/secret_hash.hpp"
#include "jose/jws.hpp"

namespace ssokit::server {
namespace {

OAuthError oauth_error(int status, const char* error, std::string description) {
  return OAuthError{status, error, std::move(description), 0};
}

// A statement id is a UUID; anything else given to revoke-statement is taken for a statement.
bool looks_like_statement(const std::string& text) {
  return text.find('.') != std::string::npos;
}

}  // namespace

ClientRegistry::ClientRegistry(const ServiceConfig& config, store::Store& store, KeyRing& keys, Clock& clock,
                               Random& random)
    : config_(config), store_(store), keys_(keys), clock_(clock), random_(random) {}

std::string ClientRegistry::issue_software_statement(const std::string& sp, std::optional<Millis> lifetime_ms) {
  const Millis now = clock_.now_ms();
  store_.ensure_service_provider(sp, now);
  const auto key = keys_.signing_key(KeyPurpose::kSoftwareStatement);
  Json claims = json_object();
  json_set(claims.get(), "iss", kSoftwareStatementIssuer);
  json_set(claims.get(), "sub", random_.uuid());  // the software id
  json_set(claims.get(), "jti", random_.uuid());  // the statement id, by which it is revoked
  json_set(claims.get(), "iat", now / 1000);
  if (lifetime_ms) json_set(claims.get(), "exp", (now + *lifetime_ms) / 1000);
  Json providers = json_array();
  json_append(providers.get(), sp);
  json_set(claims.get(), "service_providers", std::move(providers));
  jose::SignOptions options;
  options.alg = "ES256";
  options.kid = key->kid();
  options.typ = "JWT";
  return jose::sign_compact(json_print(claims.get()), *key, options);
}

Outcome<Json, OAuthError> ClientRegistry::verified_statement(const std::string& software_statement) {
  std::shared_ptr<const jose::Jwk> key;
  const jose::KeyResolver resolve = [&](const std::string& kid) -> const jose::Jwk* {
    key = keys_.find(kid, {KeyPurpose::kSoftwareStatement});
    return key.get();
  };
  const jose::VerifyResult verified = jose::verify_compact(software_statement, resolve, {"ES256"});
  if (!verified) {
    return oauth_error(400, "invalid_software_statement",
                       std::string("the software statement does not verify: ") + jose::to_string(verified.error));
  }
  Json claims = json_parse(verified.value->payload);
  if (!claims || !cJSON_IsObject(claims.get())) {
    return oauth_error(400, "invalid_software_statement", "the software statement's claims are not a JSON object");
  }
  if (json_string(claims.get(), "iss").value_or("") != kSoftwareStatementIssuer) {
    return oauth_error(400, "invalid_software_statement", "the software statement has another issuer");
  }
  return claims;
}

std::string ClientRegistry::revoke_software_statement(const std::string& statement_or_id) {
  std::string id = statement_or_id;
  if (looks_like_statement(statement_or_id)) {
    auto claims = verified_statement(statement_or_id);
    if (!claims) throw std::invalid_argument(claims.error().description);
    id = json_string(claims.value().get(), "jti").value_or("");
    if (id.empty()) throw std::invalid_argument("the software statement has no id (jti)");
  } else if (id.empty() || id.size() > 64) {
    throw std::invalid_argument("a statement id is the jti of a software statement");
  }
  store_.revoke_software_statement(id, clock_.now_ms());
  return id;
}

std::optional<OAuthError> ClientRegistry::creation_refusal(const store::CreationOutcome& outcome,
                                                           const char* revoked_error, int revoked_status) {
  switch (outcome.result) {
    case store::CreationResult::kCreated: return std::nullopt;
    case store::CreationResult::kStatementRevoked:
      return oauth_error(revoked_status, revoked_error,
                         revoked_status == 401 ? "the client's software statement was revoked"
                                               : "the software statement was revoked");
    case store::CreationResult::kLimited: break;
  }
  OAuthError error =
      oauth_error(429, "too_many_requests", "too many registrations and tokens from this address; retry later");
  error.retry_after_seconds = retry_after_seconds(outcome.retry_after_ms);
  return error;
}

Outcome<ClientRegistration, OAuthError> ClientRegistry::register_client(const std::string& software_statement,
                                                                        const std::string& client_address) {
  auto verified = verified_statement(software_statement);
  if (!verified) return verified.error();
  const cJSON* claims = verified.value().get();
  const auto exp = json_integer(claims, "exp");
  if (exp && *exp * 1000 <= clock_.now_ms()) {
    return oauth_error(400, "invalid_software_statement", "the software statement has expired");
  }
  const std::string statement_id = json_string(claims, "jti").value_or("");
  const cJSON* providers = cJSON_GetObjectItemCaseSensitive(claims, "service_providers");
  std::vector<std::string> service_providers;
  const cJSON* item = nullptr;
  if (cJSON_IsArray(providers)) {
    cJSON_ArrayForEach(item, providers) {
      if (cJSON_IsString(item)) service_providers.emplace_back(item->valuestring);
    }
  }
  if (service_providers.empty()) {
    return oauth_error(400, "invalid_software_statement", "the software statement names no service provider");
  }
  ClientRegistration registration;
  registration.client_id = random_.token(18);
  registration.client_secret = random_.token(32);
  registration.issued_at = clock_.now_ms();
  store::ClientRecord record;
  record.client_id = registration.client_id;
  record.secret_hash = sha256_hex(registration.client_secret);
  record.service_providers = std::move(service_providers);
  record.statement_id = statement_id;
  record.issued_at = registration.issued_at;
  const auto created =
      store_.register_client(record, address_creation_limit(config_, client_address), registration.issued_at);
  if (auto refused = creation_refusal(created, "invalid_software_statement", 400)) return *refused;
  return registration;
}

Outcome<AccessTokenGrant, OAuthError> ClientRegistry::issue_access_token(const ClientCredentialsRequest& request) {
  if (request.grant_type.empty()) return oauth_error(400, "invalid_request", "grant_type is required");
  if (request.grant_type != "client_credentials") {
    return oauth_error(400, "unsupported_grant_type", "only client_credentials is supported");
  }
  if (request.client_id.empty() || request.client_secret.empty()) {
    return oauth_error(400, "invalid_request", "client_id and client_secret are required");
  }
  const auto client = store_.find_client(request.client_id);
  // Same answer for an unknown client and a wrong secret: no oracle for client ids.
  if (!client || !constant_time_equals(client->secret_hash, sha256_hex(request.client_secret))) {
    return oauth_error(401, "invalid_client", "unknown client or wrong secret");
  }
  AccessTokenGrant grant;
  grant.access_token = random_.token(32);
  grant.created_at = clock_.now_ms();
  grant.expires_in_seconds = config_.access_token_ttl_ms / 1000;
  const auto created = store_.issue_access_token(
      {sha256_hex(grant.access_token), client->client_id, grant.created_at + config_.access_token_ttl_ms},
      address_creation_limit(config_, request.client_address), grant.created_at);
  if (auto refused = creation_refusal(created, "invalid_client", 401)) return *refused;
  return grant;
}

Outcome<std::string> ClientRegistry::authenticate(const std::optional<std::string>& authorization,
                                                  const std::string& sp) {
  const auto token = authorization ? value_after_scheme(*authorization, "bearer ") : std::nullopt;
  if (!token) return ApiError(ErrorId::kInvalidAccessTokenClientApplication, "Authorization: Bearer <access token> is required");
  // Three rows that never change once written (store.hpp): remembered once found.
  const std::string token_hash = sha256_hex(*token);
  const auto record = access_tokens_.get(token_hash, [&] { return store_.find_access_token(token_hash); });
  if (!record || record->expires_at <= clock_.now_ms()) return ErrorId::kInvalidAccessTokenClientApplication;
  const auto known_sp = service_providers_.get(sp, [&]() -> std::optional<bool> {
    if (store_.service_provider_exists(sp)) return true;
    return std::nullopt;
  });
  if (!known_sp) return ErrorId::kInvalidParameterServiceProvider;
  const auto client = clients_.get(record->client_id, [&] { return store_.find_client(record->client_id); });
  if (!client) return ErrorId::kInvalidAccessTokenClientApplication;
  for (const std::string& allowed : client->service_providers) {
    if (allowed == sp) return client->client_id;
  }
  return ErrorId::kInvalidAccessTokenServiceProvider;
}

}  // namespace ssokit::server
