#pragma once
// Helpers for the jose tests: an independent base64url coder (so hand-assembled tokens
// do not depend on the code under test), key resolvers, and PEM keys made with OpenSSL's
// C API exactly as `openssl genpkey` makes them.
#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "jose/jwk.hpp"
#include "jose/jws.hpp"

namespace ssokit::jose::testing {

inline std::string b64url(std::string_view bytes) {
  std::vector<unsigned char> out(4 * ((bytes.size() + 2) / 3) + 1);
  const int n =
      EVP_EncodeBlock(out.data(), reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  std::string text(reinterpret_cast<const char*>(out.data()), static_cast<std::size_t>(n));
  while (!text.empty() && text.back() == '=') text.pop_back();
  for (char& c : text) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return text;
}

inline std::string b64url_decode(std::string text) {
  for (char& c : text) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  while (text.size() % 4 != 0) text.push_back('=');
  std::vector<unsigned char> out(text.size());
  const int n =
      EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (n < 0) throw std::invalid_argument("bad base64 in test data");
  std::size_t size = static_cast<std::size_t>(n);
  for (auto it = text.rbegin(); it != text.rend() && *it == '='; ++it) --size;
  return std::string(reinterpret_cast<const char*>(out.data()), size);
}

inline std::vector<std::string> split(const std::string& compact) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t dot = compact.find('.'); dot != std::string::npos; dot = compact.find('.', start)) {
    parts.push_back(compact.substr(start, dot - start));
    start = dot + 1;
  }
  parts.push_back(compact.substr(start));
  return parts;
}

inline std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i == 0 ? "" : ".") + parts[i];
  return out;
}

// Replaces one character in the middle of `segment` with a different base64url character.
inline std::string flip_middle(std::string segment) {
  char& c = segment[segment.size() / 2];
  c = c == 'A' ? 'B' : 'A';
  return segment;
}

// Resolves every kid to `key`.
inline KeyResolver only(const Jwk& key) {
  return [&key](const std::string&) { return &key; };
}

// Resolves exactly the listed kids.
inline KeyResolver by_kid(std::map<std::string, const Jwk*> keys) {
  return [keys = std::move(keys)](const std::string& kid) -> const Jwk* {
    const auto it = keys.find(kid);
    return it == keys.end() ? nullptr : it->second;
  };
}

struct JsonFree {
  void operator()(json_t* json) const { json_decref(json); }
};
using Json = std::unique_ptr<json_t, JsonFree>;

inline Json parse_json(const std::string& text) {
  json_error_t error;
  Json json(json_loads(text.c_str(), 0, &error));
  if (!json) throw std::invalid_argument("not JSON: " + text);
  return json;
}

// String member `name` of a JSON object text, or "<absent>".
inline std::string member(const std::string& json_text, const char* name) {
  const Json json = parse_json(json_text);
  const json_t* value = json_object_get(json.get(), name);
  return json_is_string(value) ? std::string(json_string_value(value)) : std::string("<absent>");
}

struct PkeyFree {
  void operator()(EVP_PKEY* pkey) const { EVP_PKEY_free(pkey); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

// `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048`
inline Pkey generate_rsa_pkey() {
  Pkey pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{2048}));
  if (!pkey) throw std::runtime_error("RSA key generation failed");
  return pkey;
}

// `openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:<curve>`
inline Pkey generate_ec_pkey(const char* curve = "P-256") {
  Pkey pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve));
  if (!pkey) throw std::runtime_error("EC key generation failed");
  return pkey;
}

inline Pkey generate_ed25519_pkey() {
  Pkey pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  if (!pkey) throw std::runtime_error("Ed25519 key generation failed");
  return pkey;
}

enum class PemForm {
  kPkcs8,        // "BEGIN PRIVATE KEY", what genpkey writes
  kTraditional,  // "BEGIN RSA PRIVATE KEY" / "BEGIN EC PRIVATE KEY"
  kEncrypted,    // "BEGIN ENCRYPTED PRIVATE KEY", passphrase "secret"
  kPublic,       // "BEGIN PUBLIC KEY", what `openssl pkey -pubout` writes
};

inline std::string pem_of(EVP_PKEY* pkey, PemForm form) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  int ok = 0;
  switch (form) {
    case PemForm::kPkcs8: ok = PEM_write_bio_PrivateKey(bio.get(), pkey, nullptr, nullptr, 0, nullptr, nullptr); break;
    case PemForm::kTraditional:
      ok = PEM_write_bio_PrivateKey_traditional(bio.get(), pkey, nullptr, nullptr, 0, nullptr, nullptr);
      break;
    case PemForm::kEncrypted: {
      static char passphrase[] = "secret";
      ok = PEM_write_bio_PKCS8PrivateKey(bio.get(), pkey, EVP_aes_256_cbc(), passphrase, 6, nullptr, nullptr);
      break;
    }
    case PemForm::kPublic: ok = PEM_write_bio_PUBKEY(bio.get(), pkey); break;
  }
  if (ok != 1) throw std::runtime_error("PEM write failed");
  std::string out(BIO_ctrl_pending(bio.get()), '\0');
  BIO_read(bio.get(), out.data(), static_cast<int>(out.size()));
  return out;
}

}  // namespace ssokit::jose::testing
