#pragma once
// Compact JWS: sign, and verify against an algorithm allow-list. Verification never
// trusts the token's header to choose the algorithm family: the key's type and the
// allow-list decide, so "alg":"none" and HMAC-with-a-public-key are refused.
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "jose/jwk.hpp"

namespace ssokit::jose {

enum class JoseError {
  kMalformed,        // not a compact JWS/JWE, bad base64url, header not a JSON object
  kAlgNotAllowed,    // header alg (or enc) not in the allow-list, or "none"
  kUnknownKey,       // the resolver found no key for the header's kid
  kKeyMismatch,      // alg does not fit the key type (e.g. HS256 with an RSA key)
  kBadSignature,     // signature does not verify
  kDecryptFailed,    // JWE did not decrypt / authenticate
};

// Stable snake_case names ("malformed", "alg_not_allowed", ...) for logs and metric labels.
const char* to_string(JoseError error);

// Longest compact JWS or JWE accepted (bytes); anything longer is kMalformed unread.
inline constexpr std::size_t kMaxCompactSize = 64 * 1024;

struct SignOptions {
  std::string alg;  // "HS256", "RS256", "ES256"
  std::string kid;  // header kid; omitted when empty
  std::string typ;  // header typ; omitted when empty
  std::string cty;  // header cty; omitted when empty
};

// Signs `payload` (usually JSON claims); returns the compact serialization.
// Throws std::runtime_error only on misuse (alg not fitting the key).
std::string sign_compact(const std::string& payload, const Jwk& key, const SignOptions& options);

struct Verified {
  std::string payload;  // the signed payload, as bytes
  std::string alg;
  std::string kid;      // "" when the header had none
  std::string typ;
  std::string cty;
};

// Finds the key for a header `kid` ("" when the header has none); nullptr when unknown.
using KeyResolver = std::function<const Jwk*(const std::string& kid)>;

struct VerifyResult {
  std::optional<Verified> value;
  JoseError error = JoseError::kMalformed;  // meaningful when !value
  explicit operator bool() const { return value.has_value(); }
};

VerifyResult verify_compact(const std::string& compact, const KeyResolver& resolve_key,
                            const std::vector<std::string>& allowed_algs);

// Reads the protected header of a compact JWS or JWE without verifying anything:
// returns the header JSON text, nullopt when malformed. Used to tell JWS from JWE.
std::optional<std::string> peek_protected_header(const std::string& compact);

}  // namespace ssokit::jose
