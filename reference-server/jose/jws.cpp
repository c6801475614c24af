#include "jose/jws.hpp"

#include <algorithm>
#include <cstdint>
#include <stdexcept>

#include "jose/base64url.hpp"
#include "jose/cjose_handles.hpp"
#include "jose/compact.hpp"
#include "jose/key_requirements.hpp"

namespace ssokit::jose {
namespace {

VerifyResult refuse(JoseError error) {
  VerifyResult result;
  result.error = error;
  return result;
}

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// RFC 7518 §3.4: an ES* signature is R || S, each as long as the curve's field. cjose
// splits whatever it is given in half, so the length is checked before it sees it.
std::size_t ecdsa_signature_size(int curve) {
  switch (curve) {
    case CJOSE_JWK_EC_P_256: return 64;
    case CJOSE_JWK_EC_P_384: return 96;
    case CJOSE_JWK_EC_P_521: return 132;
    default: return 0;
  }
}

}  // namespace

const char* to_string(JoseError error) {
  switch (error) {
    case JoseError::kMalformed: return "malformed";
    case JoseError::kAlgNotAllowed: return "alg_not_allowed";
    case JoseError::kUnknownKey: return "unknown_key";
    case JoseError::kKeyMismatch: return "key_mismatch";
    case JoseError::kBadSignature: return "bad_signature";
    case JoseError::kDecryptFailed: return "decrypt_failed";
  }
  return "unknown";
}

std::string sign_compact(const std::string& payload, const Jwk& key, const SignOptions& options) {
  const std::optional<detail::KeyRequirement> requirement = detail::signature_key_requirement(options.alg);
  if (!requirement) throw std::runtime_error("sign_compact: unsupported alg \"" + options.alg + "\"");
  if (!detail::key_fits(key, *requirement)) {
    throw std::runtime_error("sign_compact: the key does not fit alg " + options.alg);
  }
  cjose_err err{};
  const detail::JsonPtr header(cjose_header_new(&err));
  if (!header) throw std::bad_alloc();
  detail::add_header_member(header.get(), CJOSE_HDR_ALG, options.alg);
  detail::add_header_member(header.get(), CJOSE_HDR_KID, options.kid);
  detail::add_header_member(header.get(), "typ", options.typ);
  detail::add_header_member(header.get(), CJOSE_HDR_CTY, options.cty);

  const detail::JwsPtr jws(cjose_jws_sign(key.raw(), header.get(),
                                          reinterpret_cast<const std::uint8_t*>(payload.data()), payload.size(), &err));
  // A key without its private part ends here too.
  if (!jws) throw std::runtime_error("cjose_jws_sign: " + detail::describe(err));
  const char* compact = nullptr;  // owned by `jws`
  if (!cjose_jws_export(jws.get(), &compact, &err) || compact == nullptr) {
    throw std::runtime_error("cjose_jws_export: " + detail::describe(err));
  }
  return std::string(compact);
}

VerifyResult verify_compact(const std::string& compact, const KeyResolver& resolve_key,
                            const std::vector<std::string>& allowed_algs) {
  const auto segments = detail::split_compact(compact, detail::kJwsSegmentCount);
  if (!segments) return refuse(JoseError::kMalformed);
  const std::optional<detail::ProtectedHeader> header = detail::parse_protected_header((*segments)[0]);
  if (!header) return refuse(JoseError::kMalformed);

  Verified verified;
  const json_t* fields = header->json.get();
  if (detail::string_member(fields, "alg", verified.alg) != detail::Member::kString ||
      detail::string_member(fields, "kid", verified.kid) == detail::Member::kNotString ||
      detail::string_member(fields, "typ", verified.typ) == detail::Member::kNotString ||
      detail::string_member(fields, "cty", verified.cty) == detail::Member::kNotString) {
    return refuse(JoseError::kMalformed);
  }
  // RFC 7515 §4.1.11: a "crit" extension the verifier does not implement must be refused,
  // and this one implements none.
  if (json_object_get(fields, "crit") != nullptr) return refuse(JoseError::kMalformed);

  if (verified.alg == "none" || !contains(allowed_algs, verified.alg)) return refuse(JoseError::kAlgNotAllowed);
  const std::optional<detail::KeyRequirement> requirement = detail::signature_key_requirement(verified.alg);
  if (!requirement) return refuse(JoseError::kAlgNotAllowed);

  const Jwk* key = resolve_key ? resolve_key(verified.kid) : nullptr;
  if (key == nullptr) return refuse(JoseError::kUnknownKey);
  if (!detail::key_fits(*key, *requirement)) return refuse(JoseError::kKeyMismatch);

  const std::string_view signature = (*segments)[2];
  if (signature.empty()) return refuse(JoseError::kBadSignature);
  // Signatures of the wrong length are refused here: cjose compares an HMAC over the length
  // of the computed digest before it checks the received one's length (a heap over-read on
  // a short signature), and reads ECDSA's r and s as halves of whatever it is given.
  if (requirement->type == KeyType::kEc &&
      detail::base64url_decoded_size(signature) != ecdsa_signature_size(requirement->ec_curve)) {
    return refuse(JoseError::kBadSignature);
  }
  if (requirement->type == KeyType::kOct && detail::base64url_decoded_size(signature) != requirement->min_bits / 8) {
    return refuse(JoseError::kBadSignature);  // HS256/384/512: the digest's length, 32/48/64 bytes
  }

  cjose_err err{};
  const detail::JwsPtr jws(cjose_jws_import(compact.data(), compact.size(), &err));
  if (!jws) return refuse(JoseError::kMalformed);
  if (!cjose_jws_verify(jws.get(), key->raw(), &err)) return refuse(JoseError::kBadSignature);
  std::uint8_t* payload = nullptr;  // owned by `jws`
  std::size_t payload_len = 0;
  if (!cjose_jws_get_plaintext(jws.get(), &payload, &payload_len, &err)) return refuse(JoseError::kMalformed);
  verified.payload.assign(reinterpret_cast<const char*>(payload), payload_len);

  VerifyResult result;
  result.value = std::move(verified);
  return result;
}

}  // namespace ssokit::jose
