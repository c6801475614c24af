#pragma once
// Service tokens: compact JWS with the seed's claims (iss "ssoservicetoken", sub, nbf, exp,
// iat) plus aud (the service provider), jti, did (the device it was issued to) and lid (the
// device's link to its profile: a token dies with the link, at an unlink or a move).
#include <cstdint>
#include <string>

#include "core/clock.hpp"
#include "core/key_ring.hpp"
#include "core/outcome.hpp"
#include "core/random.hpp"
#include "core/service_config.hpp"

namespace ssokit::server {

inline constexpr const char* kServiceTokenIssuer = "ssoservicetoken";

struct ServiceTokenClaims {
  std::string sub;  // the profile's pseudonym
  std::string aud;  // the service provider
  std::string did;  // the device id the token was issued to
  std::string jti;
  std::string lid;       // "" in tokens issued before link ids existed
  std::int64_t iat = 0;  // seconds, as JWT wants
  std::int64_t nbf = 0;
  std::int64_t exp = 0;
};

struct IssuedServiceToken {
  std::string token;
  Millis not_before = 0;  // = nbf in ms
  Millis not_after = 0;   // = exp in ms
};

// How a token is being used decides how late it may be.
enum class TokenUse {
  kCall,     // any call: valid until exp + clock skew
  kRefresh,  // GET serviceToken: valid until exp + refresh grace (the skew does not stretch it)
};

class ServiceTokens {
 public:
  ServiceTokens(const ServiceConfig& config, KeyRing& keys, Clock& clock, Random& random);

  IssuedServiceToken issue(const std::string& sub, const std::string& sp, const std::string& device_id,
                           const std::string& link_id);

  // Signature, kid, alg, claims and time. Errors: 401 header_invalid (malformed, bad
  // signature, unknown kid, disallowed alg, wrong iss/aud, missing sub/did, not yet valid)
  // or 401 token_expired. Device binding and linkage are the caller's checks.
  Outcome<ServiceTokenClaims> verify(const std::string& token, const std::string& sp, TokenUse use);

 private:
  const ServiceConfig& config_;
  KeyRing& keys_;
  Clock& clock_;
  Random& random_;
};

}  // namespace ssokit::server
