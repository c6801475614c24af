#pragma once
// Dynamic client registration (RFC 7591 shape) and client-credentials access tokens
// (RFC 6749 §4.4), as the real service does them, so the SDK works against both.
// A software statement is a JWT (ES256) signed by this server naming the service providers
// an app may use; `ssokit-server software-statement` prints one.
#include <optional>
#include <string>
#include <vector>

#include "core/key_ring.hpp"
#include "core/outcome.hpp"
#include "core/random.hpp"
#include "core/service_config.hpp"
#include "store/store.hpp"

namespace ssokit::server {

// An OAuth error answer: {"error", "error_description"} with 400 or 401.
struct OAuthError {
  int http_status = 400;
  std::string error;  // invalid_request, invalid_client, invalid_software_statement, unsupported_grant_type
  std::string description;
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
};

inline constexpr const char* kSoftwareStatementIssuer = "ssokit-server";

class ClientRegistry {
 public:
  ClientRegistry(const ServiceConfig& config, store::Store& store, KeyRing& keys, Clock& clock, Random& random);

  // Creates the service provider when new, and signs a statement for it.
  std::string issue_software_statement(const std::string& sp);

  Outcome<ClientRegistration, OAuthError> register_client(const std::string& software_statement);
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
};

}  // namespace ssokit::server
