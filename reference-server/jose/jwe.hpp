#pragma once
// Compact JWE: decrypt with an allow-list of key-management and content algorithms, and
// encrypt (used by tests and by platform simulators in samples).
#include <optional>
#include <string>
#include <vector>

#include "jose/jwk.hpp"
#include "jose/jws.hpp"

namespace ssokit::jose {

struct EncryptOptions {
  std::string alg = "RSA-OAEP";  // or "ECDH-ES"
  std::string enc = "A256GCM";
  std::string kid;                // omitted when empty
  std::string cty;                // "JWT" for a nested JWS
};

// Encrypts to a public (or private) key; throws std::runtime_error on misuse.
std::string encrypt_compact(const std::string& plaintext, const Jwk& recipient, const EncryptOptions& options);

struct Decrypted {
  std::string plaintext;
  std::string alg;
  std::string enc;
  std::string kid;
  std::string cty;
};

struct DecryptResult {
  std::optional<Decrypted> value;
  JoseError error = JoseError::kMalformed;
  explicit operator bool() const { return value.has_value(); }
};

DecryptResult decrypt_compact(const std::string& compact, const KeyResolver& resolve_key,
                              const std::vector<std::string>& allowed_algs,
                              const std::vector<std::string>& allowed_encs);

}  // namespace ssokit::jose
