#pragma once
// Dynamic client registration (RFC 7591 shape) and client-credentials access tokens
// (RFC 6749 §4.4), as the real service does them, so the SDK works against both.
// A software statement is a JWT (ES256) signed by this server naming the service providers
// an app may use; `ssokit-server software-statement` prints one.
#include <optional>
#include <string>
#include <vector>

#include "core/immutable_cache.hpp"
#include "core/json.hpp"
#include "core/key_ring.hpp"
#include "core/outcome.hpp"
#include "core/random.hpp"
#include "core/service_config.hpp"
#include "store/store.hpp"

namespace ssokit::server {

// An OAuth error answer: {"error", "error_description"} with 400, 401 or 429.
struct OAuthError {
  int http_status = 400;
  // invalid_request, invalid_client, invalid_software_statement, unsupported_grant_type,
  // too_many_requests (429, with Retry-After: --address-rate)
  std::string error;
  std::string description;
  std::int64_t retry_after_seconds = 0;  // 429 only
};

struct ClientRegistration {
  std::string client_id;
  std::string client_secret;
  Millis issued_at = 0;
};

struct AccessTokenGrant {
  std::string access_token;
  std::int64_t expires_in_seconds = 0;
  Millis created_at = 0;
};

struct ClientCredentialsRequest {
  std::string grant_type;
  std::string client_id;
  std::string client_secret;
  std::string client_address;  // what --address-rate counts
};

inline constexpr const char* kSoftwareStatementIssuer = "ssokit-server";

class ClientRegistry {
 public:
  ClientRegistry(const ServiceConfig& config, store::Store& store, KeyRing& keys, Clock& clock, Random& random);

  // Creates the service provider when new, and signs a statement for it; with a lifetime
  // the statement carries `exp` and registers nobody after it.
  std::string issue_software_statement(const std::string& sp, std::optional<Millis> lifetime_ms = std::nullopt);
  // Revokes a statement for good: it registers nobody, and clients registered with it get
  // no new access token. Takes the statement itself (it must verify as one of ours, expired
  // or not) or its id (jti); returns the id. Throws std::invalid_argument otherwise.
  std::string revoke_software_statement(const std::string& statement_or_id);

  Outcome<ClientRegistration, OAuthError> register_client(const std::string& software_statement,
                                                          const std::string& client_address);
  Outcome<AccessTokenGrant, OAuthError> issue_access_token(const ClientCredentialsRequest& request);

  // The Authorization header of an /api/ call: 401 invalid_access_token_client_application
  // when missing, unknown or expired; 401 invalid_access_token_service_provider when the
  // client may not use `sp`; 400 invalid_parameter_service_provider when `sp` is unknown.
  Outcome<std::string> authenticate(const std::optional<std::string>& authorization, const std::string& sp);

 private:
  const ServiceConfig& config_;
  store::Store& store_;
  KeyRing& keys_;
  Clock& clock_;
  Random& random_;
  // Rows authenticate() reads on every /api/ call; none of them ever changes once written.
  // 65536 each: a few MB at most, more than the access tokens live on one instance at once
  // in any test or benchmark.
  ImmutableCache<store::AccessTokenRecord> access_tokens_{65536};
  ImmutableCache<store::ClientRecord> clients_{65536};
  ImmutableCache<bool> service_providers_{1024};

  // The verified claims of a statement of ours, or the OAuth error to answer.
  Outcome<Json, OAuthError> verified_statement(const std::string& software_statement);
  // The OAuth answer to a creation the store refused (a revoked statement answers
  // `revoked_error` with `revoked_status`); nullopt when it went through.
  static std::optional<OAuthError> creation_refusal(const store::CreationOutcome& outcome, const char* revoked_error,
                                                    int revoked_status);
};

}  // namespace ssokit::server
