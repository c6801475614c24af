// Random damage to valid tokens: every variant must be refused with an error value, and
// nothing may crash or leak on the way (this suite also runs under ASan and UBSan).
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <thread>
#include <vector>

#include "jose/jwe.hpp"
#include "jose/jwk.hpp"
#include "jose/jws.hpp"
#include "jose_test_support.hpp"

namespace ssokit::jose {
namespace {

using testing::only;

constexpr int kMutationsPerToken = 400;

std::string mutate(const std::string& token, std::mt19937& rng) {
  std::string out = token;
  const auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };
  const auto any_byte = [&] { return static_cast<char>(std::uniform_int_distribution<int>(0, 255)(rng)); };
  const std::string likely = "AQgw_-.=+/ {}\"";
  switch (pick(6)) {
    case 0: out[pick(out.size())] = any_byte(); break;
    case 1: out[pick(out.size())] = likely[pick(likely.size())]; break;
    case 2: out.erase(pick(out.size()), 1 + pick(8)); break;
    case 3: out.insert(pick(out.size() + 1), 1 + pick(4), likely[pick(likely.size())]); break;
    case 4: out.resize(pick(out.size())); break;
    default: {  // swap two characters
      const std::size_t a = pick(out.size());
      const std::size_t b = pick(out.size());
      std::swap(out[a], out[b]);
    }
  }
  return out;
}

TEST(MutationTest, DamagedSignedTokensAreRefused) {
  std::mt19937 rng(20240611);
  const Jwk hmac = Jwk::generate_hmac();
  const Jwk ec = Jwk::generate_ec_p256();
  const Jwk rsa = Jwk::generate_rsa();
  const std::string claims = R"({"iss":"ssoservicetoken","sub":"c","aud":"sp","exp":1893456000})";
  const std::vector<std::pair<std::string, const Jwk*>> tokens = {
      {sign_compact(claims, hmac, {"HS256", "k1", "JWT", ""}), &hmac},
      {sign_compact(claims, ec, {"ES256", "k2", "JWT", ""}), &ec},
      {sign_compact(claims, rsa, {"RS256", "k3", "JWT", ""}), &rsa},
  };
  for (const auto& [token, key] : tokens) {
    ASSERT_TRUE(verify_compact(token, only(*key), {"HS256", "ES256", "RS256"}));
    for (int i = 0; i < kMutationsPerToken; ++i) {
      const std::string damaged = mutate(token, rng);
      if (damaged == token) continue;
      const VerifyResult result = verify_compact(damaged, only(*key), {"HS256", "ES256", "RS256"});
      EXPECT_FALSE(result) << damaged;
    }
  }
}

TEST(MutationTest, DamagedEncryptedTokensAreRefused) {
  std::mt19937 rng(7516);
  const Jwk rsa = Jwk::generate_rsa();
  const Jwk ec = Jwk::generate_ec_p256();
  const std::vector<std::pair<std::string, const Jwk*>> tokens = {
      {encrypt_compact("inner.jws.token", rsa, {"RSA-OAEP", "A256GCM", "e1", "JWT"}), &rsa},
      {encrypt_compact("inner.jws.token", ec, {"ECDH-ES", "A256GCM", "e2", "JWT"}), &ec},
  };
  for (const auto& [token, key] : tokens) {
    ASSERT_TRUE(decrypt_compact(token, only(*key), {"RSA-OAEP", "ECDH-ES"}, {"A256GCM"}));
    for (int i = 0; i < kMutationsPerToken; ++i) {
      const std::string damaged = mutate(token, rng);
      if (damaged == token) continue;
      const DecryptResult result = decrypt_compact(damaged, only(*key), {"RSA-OAEP", "ECDH-ES"}, {"A256GCM"});
      EXPECT_FALSE(result) << damaged;
    }
  }
}

TEST(MutationTest, SharedKeysServeConcurrentCalls) {
  // Keys are shared read-only between request threads (KeyRing hands out shared_ptr<const Jwk>).
  const Jwk hmac = Jwk::generate_hmac();
  const Jwk ec = Jwk::generate_ec_p256();
  const Jwk rsa = Jwk::generate_rsa();
  const std::string hs = sign_compact("h", hmac, {"HS256", "", "", ""});
  const std::string es = sign_compact("e", ec, {"ES256", "", "", ""});
  const std::string jwe = encrypt_compact("j", rsa, {"RSA-OAEP", "A256GCM", "", ""});
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (std::size_t t = 0; t < failures.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        if (!verify_compact(hs, only(hmac), {"HS256"})) ++failures[t];
        if (!verify_compact(es, only(ec), {"ES256"})) ++failures[t];
        if (!verify_compact(sign_compact("x", ec, {"ES256", "", "", ""}), only(ec), {"ES256"})) ++failures[t];
        if (!decrypt_compact(jwe, only(rsa), {"RSA-OAEP"}, {"A256GCM"})) ++failures[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const int f : failures) EXPECT_EQ(f, 0);
}

}  // namespace
}  // namespace ssokit::jose
