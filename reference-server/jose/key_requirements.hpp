#pragma once
// Which key each supported algorithm needs. The token's header names the algorithm, but
// only a key of this type and strength may be used with it: that is what stops
// "HS256 signed with the RSA public key" and undersized keys. Internal to ssokit_jose.
#include <cstddef>
#include <optional>
#include <string_view>

#include "jose/jwk.hpp"

namespace ssokit::jose::detail {

// RFC 7518 §3.2: an HMAC key at least as long as the hash output.
// RFC 7518 §3.3, §4.3: RSA moduli of 2048 bits or more.
inline constexpr std::size_t kMinRsaBits = 2048;

struct KeyRequirement {
  KeyType type = KeyType::kOct;
  std::size_t min_bits = 0;  // oct: secret length; RSA: modulus length
  int ec_curve = 0;          // EC: the cjose_jwk_ec_curve (an OpenSSL NID); 0 = any curve cjose knows
};

// JWS "alg" values cjose implements: HS/RS/PS/ES 256/384/512. nullopt for anything else.
std::optional<KeyRequirement> signature_key_requirement(std::string_view alg);

// JWE "alg" values this wrapper offers: RSA-OAEP and ECDH-ES. nullopt for anything else.
std::optional<KeyRequirement> key_management_requirement(std::string_view alg);

// JWE "enc" values this wrapper offers: A128GCM, A192GCM, A256GCM.
bool is_supported_content_encryption(std::string_view enc);

bool key_fits(const Jwk& key, const KeyRequirement& requirement);

}  // namespace ssokit::jose::detail
