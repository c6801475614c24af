#include "core/key_ring.hpp"

#include <stdexcept>

#include "core/json.hpp"

namespace ssokit::server {
namespace {

constexpr KeyPurpose kAllPurposes[] = {KeyPurpose::kServiceTokenHs256, KeyPurpose::kServiceTokenEs256,
                                       KeyPurpose::kSoftwareStatement, KeyPurpose::kEncryptionRsa,
                                       KeyPurpose::kEncryptionEc};
// A kid miss reloads from the store at most this often, so forged kids cannot hammer it.
constexpr Millis kReloadInterval = 5000;
// Signing keys and JWKS are re-read this often, so rotations reach every instance.
constexpr Millis kStaleAfter = 60 * 1000;

bool purpose_from_name(const std::string& name, KeyPurpose& out) {
  for (KeyPurpose p : kAllPurposes) {
    if (name == purpose_name(p)) {
      out = p;
      return true;
    }
  }
  return false;
}

const char* jwks_use(KeyPurpose purpose) {
  return purpose == KeyPurpose::kEncryptionRsa || purpose == KeyPurpose::kEncryptionEc ? "enc" : "sig";
}

const char* jwks_alg(KeyPurpose purpose) {
  switch (purpose) {
    case KeyPurpose::kServiceTokenHs256: return "HS256";
    case KeyPurpose::kServiceTokenEs256: return "ES256";
    case KeyPurpose::kSoftwareStatement: return "ES256";
    case KeyPurpose::kEncryptionRsa: return "RSA-OAEP";
    case KeyPurpose::kEncryptionEc: return "ECDH-ES";
  }
  return "";
}

}  // namespace

const char* purpose_name(KeyPurpose purpose) {
  switch (purpose) {
    case KeyPurpose::kServiceTokenHs256: return "service-token-hs256";
    case KeyPurpose::kServiceTokenEs256: return "service-token-es256";
    case KeyPurpose::kSoftwareStatement: return "software-statement";
    case KeyPurpose::kEncryptionRsa: return "encryption-rsa";
    case KeyPurpose::kEncryptionEc: return "encryption-ec";
  }
  return "unknown";
}

KeyRing::KeyRing(store::Store& store, Clock& clock, Random& random)
    : store_(store), clock_(clock), random_(random) {}

jose::Jwk KeyRing::generate(KeyPurpose purpose) {
  switch (purpose) {
    case KeyPurpose::kServiceTokenHs256: return jose::Jwk::generate_hmac(32);
    case KeyPurpose::kEncryptionRsa: return jose::Jwk::generate_rsa(2048);
    default: return jose::Jwk::generate_ec_p256();
  }
}

store::KeyRecord KeyRing::new_key_record(KeyPurpose purpose) {
  jose::Jwk key = generate(purpose);
  key.set_kid(std::string(purpose_name(purpose)) + "-" + random_.token(9));
  store::KeyRecord record;
  record.kid = key.kid();
  record.purpose = purpose_name(purpose);
  record.jwk_json = key.to_private_json();
  record.created_at = clock_.now_ms();
  return record;
}

void KeyRing::load_or_create() {
  const std::vector<store::KeyRecord> existing = store_.keys();
  for (KeyPurpose purpose : kAllPurposes) {
    // Check first: generating an RSA key on every start would cost ~100 ms.
    bool present = false;
    for (const store::KeyRecord& record : existing) present |= record.purpose == purpose_name(purpose);
    if (!present) store_.insert_key_if_purpose_absent(new_key_record(purpose));
  }
  reload();
}

void KeyRing::rotate(KeyPurpose purpose) {
  store_.insert_key(new_key_record(purpose));
  reload();
}

void KeyRing::reload() {
  std::vector<Entry> loaded;
  for (const store::KeyRecord& record : store_.keys()) {
    KeyPurpose purpose;
    if (!purpose_from_name(record.purpose, purpose)) continue;  // a newer server's key
    auto key = jose::Jwk::from_json(record.jwk_json);
    if (!key) throw std::runtime_error("stored key " + record.kid + " cannot be read");
    key->set_kid(record.kid);
    loaded.push_back({purpose, std::make_shared<const jose::Jwk>(std::move(*key))});
  }
  std::unique_lock lock(mutex_);
  entries_ = std::move(loaded);
  last_reload_ms_ = clock_.now_ms();
}

void KeyRing::reload_if_stale() {
  {
    std::shared_lock lock(mutex_);
    if (clock_.now_ms() - last_reload_ms_ < kStaleAfter) return;
  }
  reload();
}

std::shared_ptr<const jose::Jwk> KeyRing::signing_key(KeyPurpose purpose) {
  reload_if_stale();
  std::shared_lock lock(mutex_);
  for (const Entry& entry : entries_) {
    if (entry.purpose == purpose) return entry.key;
  }
  throw std::logic_error(std::string("no key for ") + purpose_name(purpose) + "; load_or_create() first");
}

std::vector<std::shared_ptr<const jose::Jwk>> KeyRing::keys_of(KeyPurpose purpose) const {
  std::vector<std::shared_ptr<const jose::Jwk>> out;
  std::shared_lock lock(mutex_);
  for (const Entry& entry : entries_) {
    if (entry.purpose == purpose) out.push_back(entry.key);
  }
  return out;
}

std::shared_ptr<const jose::Jwk> KeyRing::find_loaded(const std::string& kid,
                                                      std::initializer_list<KeyPurpose> purposes) const {
  for (const Entry& entry : entries_) {
    if (entry.key->kid() != kid) continue;
    for (KeyPurpose purpose : purposes) {
      if (entry.purpose == purpose) return entry.key;
    }
  }
  return nullptr;
}

std::shared_ptr<const jose::Jwk> KeyRing::find(const std::string& kid, std::initializer_list<KeyPurpose> purposes) {
  {
    std::shared_lock lock(mutex_);
    if (auto key = find_loaded(kid, purposes)) return key;
    if (clock_.now_ms() - last_reload_ms_ < kReloadInterval) return nullptr;
  }
  reload();
  std::shared_lock lock(mutex_);
  return find_loaded(kid, purposes);
}

std::string KeyRing::jwks_json(bool publish_service_token_keys) {
  reload_if_stale();
  Json jwks = json_object();
  Json keys = json_array();
  std::shared_lock lock(mutex_);
  for (const Entry& entry : entries_) {
    if (entry.purpose == KeyPurpose::kServiceTokenEs256 && !publish_service_token_keys) continue;
    auto text = entry.key->to_public_json(jwks_use(entry.purpose), jwks_alg(entry.purpose));
    if (!text) continue;  // symmetric
    Json key = json_parse(*text);
    if (key) cJSON_AddItemToArray(keys.get(), key.release());
  }
  json_set(jwks.get(), "keys", std::move(keys));
  return json_print(jwks.get());
}

}  // namespace ssokit::server
