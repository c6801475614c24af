// libFuzzer target: compact JWS and JWE from anyone, as the server's token and platform
// identity checks receive them, verified and decrypted through jose/ (cjose) against fixed
// keys and the server's allow-lists. Bytes are used two ways: as a whole compact token, and
// cut into parts that are base64url-encoded and joined with dots, so the fuzzer also reaches
// the header JSON, the alg checks and the signature and key-unwrapping code behind them.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/base64.hpp"
#include "jose/jwe.hpp"
#include "jose/jws.hpp"

namespace {

using namespace ssokit;

struct Keys {
  jose::Jwk hmac = jose::Jwk::generate_hmac();
  jose::Jwk rsa = jose::Jwk::generate_rsa();
  jose::Jwk ec = jose::Jwk::generate_ec_p256();
};

const Keys& keys() {
  static const Keys* generated = new Keys;  // once: RSA generation is slow
  return *generated;
}

// Up to five parts: the input split at 0xFF bytes, each base64url-encoded.
std::string as_compact_parts(const std::string& bytes) {
  std::vector<std::string> parts(1);
  for (char c : bytes) {
    if (static_cast<unsigned char>(c) == 0xFF && parts.size() < 5) {
      parts.emplace_back();
    } else {
      parts.back() += c;
    }
  }
  std::string compact;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) compact += '.';
    compact += server::base64url_encode(parts[i]);
  }
  return compact;
}

void verify_every_way(const std::string& compact) {
  const std::vector<std::string> allowed = {"HS256", "RS256", "ES256"};
  for (const jose::Jwk* key : {&keys().hmac, &keys().rsa, &keys().ec}) {
    const auto resolve = [key](const std::string&) { return key; };
    const jose::VerifyResult verified = jose::verify_compact(compact, resolve, allowed);
    if (verified && verified.value->alg != "HS256" && verified.value->alg != "RS256" &&
        verified.value->alg != "ES256") {
      std::abort();  // only an allowed algorithm can verify
    }
  }
  for (const jose::Jwk* key : {&keys().rsa, &keys().ec}) {
    const auto resolve = [key](const std::string&) { return key; };
    const jose::DecryptResult decrypted = jose::decrypt_compact(compact, resolve, {"RSA-OAEP", "ECDH-ES"}, {"A256GCM"});
    if (decrypted && decrypted.value->enc != "A256GCM") std::abort();
  }
  (void)jose::peek_protected_header(compact);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  verify_every_way(bytes);
  verify_every_way(as_compact_parts(bytes));
  return 0;
}
