#include "jose/jwe.hpp"

#include <algorithm>
#include <cstdint>
#include <stdexcept>

#include "jose/base64url.hpp"
#include "jose/cjose_handles.hpp"
#include "jose/compact.hpp"
#include "jose/key_requirements.hpp"

#if defined(__SANITIZE_ADDRESS__)
#define SSOKIT_JOSE_WITH_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SSOKIT_JOSE_WITH_LSAN 1
#endif
#endif
#ifdef SSOKIT_JOSE_WITH_LSAN
#include <sanitizer/lsan_interface.h>
#endif

namespace ssokit::jose {
namespace {

// AES-GCM in JWE: a 96-bit IV and a 128-bit tag (RFC 7518 §5.3). Checked here because
// older cjose releases accepted a truncated tag (CVE-2023-37464).
constexpr std::size_t kGcmIvBytes = 12;
constexpr std::size_t kGcmTagBytes = 16;

constexpr const char* kDirectKeyAgreement = "ECDH-ES";

DecryptResult refuse(JoseError error) {
  DecryptResult result;
  result.error = error;
  return result;
}

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// cjose 0.6.2.1 leaks the encrypted-key buffer cjose_jwe_import decodes whenever the token
// is then decrypted with ECDH-ES (_cjose_jwe_decrypt_ek_ecdh_es sets
// recipient->enc_key.raw to NULL without freeing it). decrypt_compact lets only an empty
// encrypted key through for ECDH-ES, which bounds the loss to one 1-byte allocation per
// call; sanitizer builds ignore the allocations of exactly that import so the leak checker
// keeps watching everything else.
cjose_jwe_t* import_compact(const std::string& compact, bool direct_key_agreement, cjose_err* err) {
#ifdef SSOKIT_JOSE_WITH_LSAN
  if (direct_key_agreement) {
    const __lsan::ScopedDisabler known_cjose_leak;
    return cjose_jwe_import(compact.data(), compact.size(), err);
  }
#endif
  static_cast<void>(direct_key_agreement);
  return cjose_jwe_import(compact.data(), compact.size(), err);
}

// cjose's base64url decoder assert()s on input of length 1 modulo 4 (or cut short by '='), and
// it decodes the ephemeral key's members and the party info from the protected header: each
// of them must be canonical base64url before cjose sees it, so no header can abort the server.
bool header_binary_members_canonical(const json_t* fields) {
  const auto canonical_if_present = [](const json_t* object, const char* name) {
    const json_t* member = json_object_get(object, name);
    if (member == nullptr) return true;
    return json_is_string(member) && detail::is_canonical_base64url(json_string_value(member));
  };
  for (const char* name : {"apu", "apv"}) {
    if (!canonical_if_present(fields, name)) return false;
  }
  const json_t* epk = json_object_get(fields, "epk");
  if (epk == nullptr) return true;
  for (const char* name : {"x", "y", "d", "n", "e", "k"}) {
    if (!canonical_if_present(epk, name)) return false;
  }
  return true;
}

}  // namespace

std::string encrypt_compact(const std::string& plaintext, const Jwk& recipient, const EncryptOptions& options) {
  const std::optional<detail::KeyRequirement> requirement = detail::key_management_requirement(options.alg);
  if (!requirement) throw std::runtime_error("encrypt_compact: unsupported alg \"" + options.alg + "\"");
  if (!detail::is_supported_content_encryption(options.enc)) {
    throw std::runtime_error("encrypt_compact: unsupported enc \"" + options.enc + "\"");
  }
  if (!detail::key_fits(recipient, *requirement)) {
    throw std::runtime_error("encrypt_compact: the key does not fit alg " + options.alg);
  }
  cjose_err err{};
  const detail::JsonPtr header(cjose_header_new(&err));
  if (!header) throw std::bad_alloc();
  detail::add_header_member(header.get(), CJOSE_HDR_ALG, options.alg);
  detail::add_header_member(header.get(), CJOSE_HDR_ENC, options.enc);
  detail::add_header_member(header.get(), CJOSE_HDR_KID, options.kid);
  detail::add_header_member(header.get(), CJOSE_HDR_CTY, options.cty);

  const detail::JwePtr jwe(cjose_jwe_encrypt(
      recipient.raw(), header.get(), reinterpret_cast<const std::uint8_t*>(plaintext.data()), plaintext.size(), &err));
  if (!jwe) throw std::runtime_error("cjose_jwe_encrypt: " + detail::describe(err));
  const detail::CjoseBuffer<char> compact(cjose_jwe_export(jwe.get(), &err));
  if (!compact) throw std::runtime_error("cjose_jwe_export: " + detail::describe(err));
  return std::string(compact.get());
}

DecryptResult decrypt_compact(const std::string& compact, const KeyResolver& resolve_key,
                              const std::vector<std::string>& allowed_algs,
                              const std::vector<std::string>& allowed_encs) {
  const auto segments = detail::split_compact(compact, detail::kJweSegmentCount);
  if (!segments) return refuse(JoseError::kMalformed);
  const std::optional<detail::ProtectedHeader> header = detail::parse_protected_header((*segments)[0]);
  if (!header) return refuse(JoseError::kMalformed);

  Decrypted decrypted;
  const json_t* fields = header->json.get();
  if (detail::string_member(fields, "alg", decrypted.alg) != detail::Member::kString ||
      detail::string_member(fields, "enc", decrypted.enc) != detail::Member::kString ||
      detail::string_member(fields, "kid", decrypted.kid) == detail::Member::kNotString ||
      detail::string_member(fields, "cty", decrypted.cty) == detail::Member::kNotString) {
    return refuse(JoseError::kMalformed);
  }
  // RFC 7516 §4.1.13 via RFC 7515 §4.1.11: no "crit" extension is implemented here.
  if (json_object_get(fields, "crit") != nullptr) return refuse(JoseError::kMalformed);
  // cjose does not inflate "zip":"DEF" content, so compressed tokens are not offered.
  if (json_object_get(fields, "zip") != nullptr) return refuse(JoseError::kAlgNotAllowed);

  const std::optional<detail::KeyRequirement> requirement = detail::key_management_requirement(decrypted.alg);
  if (!requirement || !contains(allowed_algs, decrypted.alg)) return refuse(JoseError::kAlgNotAllowed);
  if (!detail::is_supported_content_encryption(decrypted.enc) || !contains(allowed_encs, decrypted.enc)) {
    return refuse(JoseError::kAlgNotAllowed);
  }

  const Jwk* key = resolve_key ? resolve_key(decrypted.kid) : nullptr;
  if (key == nullptr) return refuse(JoseError::kUnknownKey);
  if (!detail::key_fits(*key, *requirement)) return refuse(JoseError::kKeyMismatch);

  // Direct key agreement carries its key in "epk" and an empty encrypted key
  // (RFC 7516 §5.1 step 5); key transport must carry one.
  const bool direct_key_agreement = decrypted.alg == kDirectKeyAgreement;
  if (direct_key_agreement != (*segments)[1].empty()) return refuse(JoseError::kMalformed);
  if (direct_key_agreement && !json_is_object(json_object_get(fields, "epk"))) return refuse(JoseError::kMalformed);
  if (!header_binary_members_canonical(fields)) return refuse(JoseError::kMalformed);
  if (detail::base64url_decoded_size((*segments)[2]) != kGcmIvBytes ||
      detail::base64url_decoded_size((*segments)[4]) != kGcmTagBytes) {
    return refuse(JoseError::kDecryptFailed);
  }

  cjose_err err{};
  const detail::JwePtr jwe(import_compact(compact, direct_key_agreement, &err));
  if (!jwe) return refuse(JoseError::kMalformed);
  std::size_t plaintext_len = 0;
  const detail::CjoseBuffer<std::uint8_t> plaintext(cjose_jwe_decrypt(jwe.get(), key->raw(), &plaintext_len, &err));
  if (!plaintext) return refuse(JoseError::kDecryptFailed);
  decrypted.plaintext.assign(reinterpret_cast<const char*>(plaintext.get()), plaintext_len);

  DecryptResult result;
  result.value = std::move(decrypted);
  return result;
}

}  // namespace ssokit::jose
