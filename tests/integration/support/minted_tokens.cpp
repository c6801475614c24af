#include "minted_tokens.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "http_client.hpp"
#include "json_text.hpp"
#include "jwt.hpp"
#include "test_store.hpp"

namespace ssokit::testing {

std::string hmac_sha256(const std::string& key, const std::string& message) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
       message.size(), digest, &size);
  return std::string(reinterpret_cast<const char*>(digest), size);
}

std::optional<ServiceTokenKey> read_service_token_key(const std::string& data_dir) {
  const std::string row =
      query_store(data_dir, "SELECT kid, jwk_json FROM keys WHERE purpose = 'service-token-hs256' "
                            "ORDER BY seq DESC LIMIT 1")
          .value_or("");
  const auto space = row.find(' ');
  if (space == std::string::npos) return std::nullopt;
  ServiceTokenKey key;
  key.kid = row.substr(0, space);
  std::string jwk = row.substr(space + 1);
  while (!jwk.empty() && (jwk.back() == '\n' || jwk.back() == '\r')) jwk.pop_back();
  const auto k = as_json(jwk).json("k");
  if (!k) return std::nullopt;
  auto secret = base64url_decode(*k);
  if (!secret || secret->empty()) return std::nullopt;
  key.secret = *secret;
  return key;
}

std::string mint(const ServiceTokenKey& key, const std::string& payload_json, const std::string& alg) {
  const std::string signing_input =
      base64url("{\"alg\":\"" + alg + "\",\"kid\":\"" + key.kid + "\",\"typ\":\"JWT\"}") + "." +
      base64url(payload_json);
  return signing_input + "." + base64url(hmac_sha256(key.secret, signing_input));
}

}  // namespace ssokit::testing
