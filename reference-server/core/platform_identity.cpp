#include "core/platform_identity.hpp"

#include <cctype>

#include "core/base64.hpp"
#include "core/json.hpp"
#include "jose/jwe.hpp"
#include "jose/jws.hpp"

namespace ssokit::server {
namespace {

PlatformIdentityResult reject(const char* reason) {
  PlatformIdentityResult result;
  result.rejection = reason;
  return result;
}

// The claims of a compact JWS, read without verifying: only to learn which issuer's key
// must verify it. Nothing read here is trusted until verify_compact succeeds.
std::optional<std::string> unverified_issuer(const std::string& jws) {
  const auto first = jws.find('.');
  const auto second = first == std::string::npos ? first : jws.find('.', first + 1);
  if (second == std::string::npos) return std::nullopt;
  const auto payload = base64url_decode(std::string_view(jws).substr(first + 1, second - first - 1));
  if (!payload) return std::nullopt;
  Json claims = json_parse(*payload);
  if (!claims || !cJSON_IsObject(claims.get())) return std::nullopt;
  return json_string(claims.get(), "iss");
}

bool audience_matches(const cJSON* claims, const std::string& sp) {
  const cJSON* aud = cJSON_GetObjectItemCaseSensitive(claims, "aud");
  if (aud == nullptr) return true;  // optional unless the issuer requires it (checked before)
  if (cJSON_IsString(aud)) return sp == aud->valuestring;
  if (cJSON_IsArray(aud)) {
    const cJSON* item = nullptr;
    cJSON_ArrayForEach(item, aud) {
      if (cJSON_IsString(item) && sp == item->valuestring) return true;
    }
  }
  return false;
}

}  // namespace

std::optional<PlatformIssuer> make_platform_issuer(const std::string& name, const std::string& pem,
                                                   std::string& error) {
  auto key = jose::Jwk::from_pem(pem);
  if (!key) {
    error = "not an RSA or EC P-256 public key in PEM form";
    return std::nullopt;
  }
  PlatformIssuer issuer;
  issuer.name = name;
  switch (key->type()) {
    case jose::KeyType::kRsa: issuer.algs = {"RS256"}; break;
    case jose::KeyType::kEc: issuer.algs = {"ES256"}; break;
    case jose::KeyType::kOct:
      error = "symmetric keys are not accepted for platform issuers";
      return std::nullopt;
  }
  issuer.key = std::make_shared<const jose::Jwk>(std::move(*key));
  return issuer;
}

PlatformIdentity::PlatformIdentity(std::vector<PlatformIssuer> issuers, KeyRing& keys, Clock& clock,
                                   Millis clock_skew_ms)
    : issuers_(std::move(issuers)), keys_(keys), clock_(clock), clock_skew_ms_(clock_skew_ms) {}

bool PlatformIdentity::names_platform_account(const std::string& common_id) const {
  for (const PlatformIssuer& issuer : issuers_) {
    if (common_id.size() > issuer.name.size() && common_id.compare(0, issuer.name.size(), issuer.name) == 0 &&
        common_id[issuer.name.size()] == ':') {
      return true;
    }
  }
  return false;
}

PlatformIdentityResult PlatformIdentity::validate(const std::string& token, const std::string& sp) const {
  const auto header_text = jose::peek_protected_header(token);
  if (!header_text) return reject("malformed");
  Json header = json_parse(*header_text);
  if (!header || !cJSON_IsObject(header.get())) return reject("malformed");
  if (cJSON_GetObjectItemCaseSensitive(header.get(), "enc") == nullptr) return validate_jws(token, sp);

  // JWE: decrypt with our encryption keys; the kid, when sent, picks the key, otherwise
  // the key-management algorithm does.
  const std::string alg = json_string(header.get(), "alg").value_or("");
  std::shared_ptr<const jose::Jwk> key;
  const jose::KeyResolver resolve = [&](const std::string& kid) -> const jose::Jwk* {
    if (!kid.empty()) {
      key = keys_.find(kid, {KeyPurpose::kEncryptionRsa, KeyPurpose::kEncryptionEc});
    } else {
      const auto candidates =
          keys_.keys_of(alg == "ECDH-ES" ? KeyPurpose::kEncryptionEc : KeyPurpose::kEncryptionRsa);
      key = candidates.empty() ? nullptr : candidates.front();
    }
    return key.get();
  };
  const jose::DecryptResult decrypted = jose::decrypt_compact(token, resolve, {"RSA-OAEP", "ECDH-ES"}, {"A256GCM"});
  if (!decrypted) {
    switch (decrypted.error) {
      case jose::JoseError::kAlgNotAllowed: return reject("alg_not_allowed");
      case jose::JoseError::kMalformed: return reject("malformed");
      default: return reject("decrypt_failed");
    }
  }
  // Nested JWT (RFC 7519 §5.2): cty names the plaintext as a JWT, which must itself be signed.
  std::string cty = decrypted.value->cty;
  for (char& c : cty) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (cty != "JWT") return reject("not_nested_jwt");
  return validate_jws(decrypted.value->plaintext, sp);
}

PlatformIdentityResult PlatformIdentity::validate_jws(const std::string& jws, const std::string& sp) const {
  const auto iss = unverified_issuer(jws);
  if (!iss) return reject("malformed");
  const PlatformIssuer* issuer = nullptr;
  for (const PlatformIssuer& candidate : issuers_) {
    if (candidate.name == *iss) issuer = &candidate;
  }
  if (issuer == nullptr) return reject("untrusted_issuer");

  const jose::KeyResolver resolve = [&](const std::string&) -> const jose::Jwk* { return issuer->key.get(); };
  const jose::VerifyResult verified = jose::verify_compact(jws, resolve, issuer->algs);
  if (!verified) {
    switch (verified.error) {
      case jose::JoseError::kAlgNotAllowed:
      case jose::JoseError::kKeyMismatch: return reject("alg_not_allowed");
      case jose::JoseError::kMalformed: return reject("malformed");
      default: return reject("bad_signature");
    }
  }
  Json claims = json_parse(verified.value->payload);
  if (!claims || !cJSON_IsObject(claims.get())) return reject("malformed");
  const auto sub = json_string(claims.get(), "sub");
  if (!sub || sub->empty()) return reject("missing_subject");
  const Millis now = clock_.now_ms();
  const auto exp = json_integer(claims.get(), "exp");
  if (!exp || *exp * 1000 + clock_skew_ms_ <= now) return reject("expired");
  const auto nbf = json_integer(claims.get(), "nbf");
  if (nbf && *nbf * 1000 > now + clock_skew_ms_) return reject("not_yet_valid");
  // Seconds, compared as seconds: claims are attacker-chosen numbers and must not overflow.
  const auto iat = json_integer(claims.get(), "iat");
  const std::int64_t start = iat ? *iat : nbf ? *nbf : now / 1000;
  if (*exp - start > issuer->max_lifetime_ms / 1000) return reject("lifetime_too_long");
  if (issuer->audience_required && cJSON_GetObjectItemCaseSensitive(claims.get(), "aud") == nullptr) {
    return reject("missing_audience");
  }
  if (!audience_matches(claims.get(), sp)) return reject("wrong_audience");

  PlatformIdentityResult result;
  result.common_id = issuer->name + ":" + *sub;
  return result;
}

}  // namespace ssokit::server
