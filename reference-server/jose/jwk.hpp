#pragma once
// A JSON Web Key, owning a cjose_jwk_t. Thin by design: cjose does the cryptography.
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <utility>

// cjose's opaque key type: cjose_jwk_t is `struct _cjose_jwk_int`, so raw() can be handed
// to cjose functions as it is.
struct _cjose_jwk_int;
using cjose_jwk_int = _cjose_jwk_int;

namespace ssokit::jose {

enum class KeyType { kOct, kRsa, kEc };

class Jwk {
 public:
  // New keys from the OpenSSL CSPRNG (through cjose).
  static Jwk generate_hmac(std::size_t bytes = 32);
  static Jwk generate_rsa(int bits = 2048);
  static Jwk generate_ec_p256();

  // Parse a JWK (public or private) as cjose reads it; nullopt when not a valid key.
  static std::optional<Jwk> from_json(const std::string& json);
  // Parse a PEM public key ("BEGIN PUBLIC KEY", RSA or EC P-256) or private key
  // ("BEGIN PRIVATE KEY" / "BEGIN RSA PRIVATE KEY" / "BEGIN EC PRIVATE KEY");
  // nullopt when it is none of these.
  static std::optional<Jwk> from_pem(const std::string& pem);

  Jwk(Jwk&&) noexcept;
  Jwk& operator=(Jwk&&) noexcept;
  ~Jwk();

  KeyType type() const;
  const std::string& kid() const { return kid_; }
  void set_kid(std::string kid) { kid_ = std::move(kid); }

  // JSON including private parts (for the store); the kid is included.
  std::string to_private_json() const;
  // JSON of the public key only (for JWKS); nullopt for symmetric keys. Includes kid,
  // and "use"/"alg" when given.
  std::optional<std::string> to_public_json(const std::string& use = "", const std::string& alg = "") const;
  // The public key as PEM ("BEGIN PUBLIC KEY"); nullopt for symmetric keys.
  std::optional<std::string> to_public_pem() const;

  cjose_jwk_int* raw() const { return jwk_.get(); }

 private:
  struct Deleter {
    void operator()(cjose_jwk_int* jwk) const;
  };
  explicit Jwk(cjose_jwk_int* jwk);
  std::unique_ptr<cjose_jwk_int, Deleter> jwk_;
  std::string kid_;
};

}  // namespace ssokit::jose
