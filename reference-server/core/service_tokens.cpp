#include "core/service_tokens.hpp"

#include "core/json.hpp"
#include "jose/jws.hpp"

namespace ssokit::server {
namespace {

ApiError invalid(const char* why) { return ApiError(ErrorId::kHeaderInvalidServiceToken, why); }

}  // namespace

ServiceTokens::ServiceTokens(const ServiceConfig& config, KeyRing& keys, Clock& clock, Random& random)
    : config_(config), keys_(keys), clock_(clock), random_(random) {}

IssuedServiceToken ServiceTokens::issue(const std::string& sub, const std::string& sp, const std::string& device_id,
                                        const std::string& link_id) {
  const bool es256 = config_.service_token_alg == "ES256";
  const auto key = keys_.signing_key(es256 ? KeyPurpose::kServiceTokenEs256 : KeyPurpose::kServiceTokenHs256);
  const std::int64_t now_s = clock_.now_ms() / 1000;
  const std::int64_t exp_s = now_s + config_.service_token_ttl_ms / 1000;

  Json claims = json_object();
  json_set(claims.get(), "iss", kServiceTokenIssuer);
  json_set(claims.get(), "sub", sub);
  json_set(claims.get(), "aud", sp);
  json_set(claims.get(), "did", device_id);
  if (!link_id.empty()) json_set(claims.get(), "lid", link_id);
  json_set(claims.get(), "jti", random_.uuid());
  json_set(claims.get(), "iat", now_s);
  json_set(claims.get(), "nbf", now_s);
  json_set(claims.get(), "exp", exp_s);

  jose::SignOptions options;
  options.alg = es256 ? "ES256" : "HS256";
  options.kid = key->kid();
  options.typ = "JWT";
  IssuedServiceToken issued;
  issued.token = jose::sign_compact(json_print(claims.get()), *key, options);
  issued.not_before = now_s * 1000;
  issued.not_after = exp_s * 1000;
  return issued;
}

Outcome<ServiceTokenClaims> ServiceTokens::verify(const std::string& token, const std::string& sp, TokenUse use) {
  // Both algorithms verify, so switching --service-token-alg logs nobody out; each key only
  // verifies its own family (the allow-list plus the key type decide, never the header).
  std::shared_ptr<const jose::Jwk> key;
  const jose::KeyResolver resolve = [&](const std::string& kid) -> const jose::Jwk* {
    key = keys_.find(kid, {KeyPurpose::kServiceTokenHs256, KeyPurpose::kServiceTokenEs256});
    return key.get();
  };
  const jose::VerifyResult verified = jose::verify_compact(token, resolve, {"HS256", "ES256"});
  if (!verified) {
    switch (verified.error) {
      case jose::JoseError::kBadSignature: return invalid("Invalid JWT signature in AD-Service-Token");
      case jose::JoseError::kUnknownKey: return invalid("Unknown signing key in AD-Service-Token");
      case jose::JoseError::kAlgNotAllowed:
      case jose::JoseError::kKeyMismatch: return invalid("Signing algorithm not allowed in AD-Service-Token");
      default: return invalid("AD-Service-Token is not a well-formed JWS");
    }
  }
  Json claims = json_parse(verified.value->payload);
  if (!claims || !cJSON_IsObject(claims.get())) return invalid("AD-Service-Token claims are not a JSON object");

  ServiceTokenClaims out;
  const auto iss = json_string(claims.get(), "iss");
  if (!iss || *iss != kServiceTokenIssuer) return invalid("AD-Service-Token has the wrong issuer");
  const auto sub = json_string(claims.get(), "sub");
  if (!sub || sub->empty()) return invalid("JWT subject (sub) is missing or empty in AD-Service-Token");
  const auto aud = json_string(claims.get(), "aud");
  if (!aud || *aud != sp) return invalid("AD-Service-Token was issued for another service provider");
  const auto did = json_string(claims.get(), "did");
  if (!did || did->empty()) return invalid("AD-Service-Token has no device binding (did)");
  const auto exp = json_integer(claims.get(), "exp");
  const auto nbf = json_integer(claims.get(), "nbf");
  if (!exp || !nbf) return invalid("AD-Service-Token lacks nbf or exp");
  out.sub = *sub;
  out.aud = *aud;
  out.did = *did;
  out.jti = json_string(claims.get(), "jti").value_or("");
  out.lid = json_string(claims.get(), "lid").value_or("");
  out.iat = json_integer(claims.get(), "iat").value_or(*nbf);
  out.nbf = *nbf;
  out.exp = *exp;

  const Millis now = clock_.now_ms();
  if (out.nbf * 1000 > now + config_.clock_skew_ms) return invalid("AD-Service-Token is not valid yet");
  const Millis deadline = use == TokenUse::kRefresh ? out.exp * 1000 + config_.refresh_grace_ms
                                                    : out.exp * 1000 + config_.clock_skew_ms;
  if (now >= deadline) {
    return ApiError(ErrorId::kTokenExpired, use == TokenUse::kRefresh
                                                ? "The service token is past its refresh grace; sign in again"
                                                : "The service token has expired; refresh it");
  }
  return out;
}

}  // namespace ssokit::server
