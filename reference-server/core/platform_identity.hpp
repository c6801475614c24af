#pragma once
// Platform identity (SPEC §3): a Roku-style connect token, a compact JWS signed by a trusted
// platform issuer, or a JWE (RSA-OAEP or ECDH-ES, A256GCM) to our encryption key whose
// payload is such a JWS. A valid one names the common id "ISSUER:sub".
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/key_ring.hpp"
#include "core/service_config.hpp"
#include "jose/jwk.hpp"

namespace ssokit::server {

struct PlatformIssuer {
  std::string name;
  std::shared_ptr<const jose::Jwk> key;  // public key from --platform-issuer NAME=KEY.pem
  std::vector<std::string> algs;         // allow-list, from the key type: RS256 or ES256
  // Refuse tokens without `aud` (a token minted for another app of the same platform
  // would otherwise be accepted here); ",aud-required" on the flag.
  bool audience_required = false;
  // The longest life a token may claim (exp - iat, or exp - nbf, or exp - now when it has
  // neither): a long-lived token taken from one device must not work for months.
  Millis max_lifetime_ms = 24LL * 3600 * 1000;
};

// nullopt (with `error`) when the PEM is not an RSA or EC P-256 key.
std::optional<PlatformIssuer> make_platform_issuer(const std::string& name, const std::string& pem,
                                                   std::string& error);

struct PlatformIdentityResult {
  std::optional<std::string> common_id;  // "ISSUER:sub" when accepted
  // When refused: malformed, decrypt_failed, untrusted_issuer, alg_not_allowed,
  // bad_signature, expired, not_yet_valid, wrong_audience, missing_audience,
  // lifetime_too_long, missing_subject, not_nested_jwt.
  std::string rejection;
};

class PlatformIdentity {
 public:
  PlatformIdentity(std::vector<PlatformIssuer> issuers, KeyRing& keys, Clock& clock, Millis clock_skew_ms);

  PlatformIdentityResult validate(const std::string& token, const std::string& sp) const;
  // Whether `common_id` has the form of a trusted issuer's account ("ISSUER:..."). Stores
  // before schema v2 named platform profiles so (and refused such X-SSO-IDs), which is how
  // their profiles are told apart when renamed to pseudonyms.
  bool names_platform_account(const std::string& common_id) const;

 private:
  PlatformIdentityResult validate_jws(const std::string& jws, const std::string& sp) const;

  std::vector<PlatformIssuer> issuers_;
  KeyRing& keys_;
  Clock& clock_;
  Millis clock_skew_ms_;
};

}  // namespace ssokit::server
