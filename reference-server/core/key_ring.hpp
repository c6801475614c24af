#pragma once
// The server's keys, kept in the store so every instance signs and verifies alike.
// A purpose's newest key signs; every key still verifies (found by kid), so rotating a key
// logs nobody out. Keys missing at startup are generated (first writer wins across instances).
#include <initializer_list>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "jose/jwk.hpp"
#include "store/store.hpp"

namespace ssokit::server {

enum class KeyPurpose {
  kServiceTokenHs256,  // oct, signs service tokens by default
  kServiceTokenEs256,  // EC P-256, signs service tokens with --service-token-alg ES256
  kSoftwareStatement,  // EC P-256, signs software statements (ES256)
  kEncryptionRsa,      // RSA 2048, platforms encrypt JWE identity tokens to it (RSA-OAEP)
  kEncryptionEc,       // EC P-256, the same with ECDH-ES
};

const char* purpose_name(KeyPurpose purpose);

class KeyRing {
 public:
  KeyRing(store::Store& store, Clock& clock, Random& random);

  // Loads every key, generating the purposes that have none.
  void load_or_create();
  // Adds a new newest key for `purpose` (older keys keep verifying).
  void rotate(KeyPurpose purpose);

  // The newest key of `purpose`. Keys are re-read from the store at most once a minute, so a
  // rotation made by `ssokit-server rotate-keys` (or another instance) is picked up.
  std::shared_ptr<const jose::Jwk> signing_key(KeyPurpose purpose);
  // The key with this kid if it serves one of `purposes` (a software-statement key must
  // never verify a service token). On a miss, reloads from the store (another instance may
  // have rotated), at most every few seconds. nullptr when unknown.
  std::shared_ptr<const jose::Jwk> find(const std::string& kid, std::initializer_list<KeyPurpose> purposes);
  // Keys of one purpose, newest first.
  std::vector<std::shared_ptr<const jose::Jwk>> keys_of(KeyPurpose purpose) const;

  // The public JWKS document. Symmetric keys never appear; the ES256 service-token keys
  // appear only when `publish_service_token_keys` (they sign only with ES256 configured).
  std::string jwks_json(bool publish_service_token_keys);

 private:
  struct Entry {
    KeyPurpose purpose;
    std::shared_ptr<const jose::Jwk> key;
  };
  void reload();
  void reload_if_stale();
  std::shared_ptr<const jose::Jwk> find_loaded(const std::string& kid,
                                               std::initializer_list<KeyPurpose> purposes) const;
  static jose::Jwk generate(KeyPurpose purpose);
  store::KeyRecord new_key_record(KeyPurpose purpose);

  store::Store& store_;
  Clock& clock_;
  Random& random_;
  mutable std::shared_mutex mutex_;
  std::vector<Entry> entries_;  // newest first within a purpose
  Millis last_reload_ms_ = 0;
};

}  // namespace ssokit::server
