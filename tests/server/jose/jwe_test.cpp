#include "jose/jwe.hpp"

#include <cjose/cjose.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "interop_vectors.hpp"
#include "jose/jwk.hpp"
#include "jose/jws.hpp"
#include "jose_test_support.hpp"

namespace ssokit::jose {
namespace {

using testing::b64url;
using testing::by_kid;
using testing::flip_middle;
using testing::join;
using testing::member;
using testing::only;
using testing::split;

const std::vector<std::string> kAlgs = {"RSA-OAEP", "ECDH-ES"};
const std::vector<std::string> kEncs = {"A256GCM"};

struct KeyCase {
  const char* alg;
  Jwk (*make)();
};

class JweRoundTripTest : public ::testing::TestWithParam<KeyCase> {};

TEST_P(JweRoundTripTest, NestedJwsRoundTrips) {
  // The platform signs its identity claims, then encrypts them to the server's key.
  Jwk platform = Jwk::generate_ec_p256();
  platform.set_kid("roku-1");
  const std::string claims = R"({"iss":"roku","sub":"account-7","exp":1893456000})";
  const std::string inner = sign_compact(claims, platform, {"ES256", "roku-1", "JWT", ""});

  Jwk server = GetParam().make();
  server.set_kid("enc-1");
  const std::string outer = encrypt_compact(inner, server, {GetParam().alg, "A256GCM", "enc-1", "JWT"});
  EXPECT_EQ(split(outer).size(), 5u);
  EXPECT_EQ(outer.find(claims), std::string::npos);

  const DecryptResult decrypted = decrypt_compact(outer, by_kid({{"enc-1", &server}}), kAlgs, kEncs);
  ASSERT_TRUE(decrypted) << to_string(decrypted.error);
  EXPECT_EQ(decrypted.value->plaintext, inner);
  EXPECT_EQ(decrypted.value->alg, GetParam().alg);
  EXPECT_EQ(decrypted.value->enc, "A256GCM");
  EXPECT_EQ(decrypted.value->kid, "enc-1");
  EXPECT_EQ(decrypted.value->cty, "JWT");

  const VerifyResult verified = verify_compact(decrypted.value->plaintext, by_kid({{"roku-1", &platform}}), {"ES256"});
  ASSERT_TRUE(verified) << to_string(verified.error);
  EXPECT_EQ(verified.value->payload, claims);
}

TEST_P(JweRoundTripTest, EncryptsToThePublicKey) {
  const Jwk server = GetParam().make();
  const std::optional<Jwk> published = Jwk::from_json(*server.to_public_json("enc", GetParam().alg));
  ASSERT_TRUE(published.has_value());
  const std::string token = encrypt_compact("to the public key", *published, {GetParam().alg, "A256GCM", "", ""});
  const DecryptResult decrypted = decrypt_compact(token, only(server), kAlgs, kEncs);
  ASSERT_TRUE(decrypted) << to_string(decrypted.error);
  EXPECT_EQ(decrypted.value->plaintext, "to the public key");
  EXPECT_EQ(decrypted.value->kid, "");
  EXPECT_EQ(decrypted.value->cty, "");
  // Holding only the public key, nobody can read it.
  EXPECT_EQ(decrypt_compact(token, only(*published), kAlgs, kEncs).error, JoseError::kDecryptFailed);
}

TEST_P(JweRoundTripTest, EmptyAndBinaryPlaintextsRoundTrip) {
  const Jwk server = GetParam().make();
  for (const std::string& plaintext : {std::string(), std::string("\0\x01\xff", 3), std::string(20000, 'z')}) {
    const std::string token = encrypt_compact(plaintext, server, {GetParam().alg, "A256GCM", "", ""});
    const DecryptResult decrypted = decrypt_compact(token, only(server), kAlgs, kEncs);
    ASSERT_TRUE(decrypted) << to_string(decrypted.error);
    EXPECT_EQ(decrypted.value->plaintext, plaintext);
  }
}

TEST_P(JweRoundTripTest, WrongKeyFails) {
  const Jwk server = GetParam().make();
  const Jwk other = GetParam().make();
  const std::string token = encrypt_compact("secret", server, {GetParam().alg, "A256GCM", "enc-1", ""});
  EXPECT_EQ(decrypt_compact(token, only(other), kAlgs, kEncs).error, JoseError::kDecryptFailed);
}

TEST_P(JweRoundTripTest, TamperingFails) {
  const Jwk server = GetParam().make();
  const std::vector<std::string> parts =
      split(encrypt_compact("secret claims", server, {GetParam().alg, "A256GCM", "", ""}));
  for (const std::size_t index : {std::size_t{2}, std::size_t{3}, std::size_t{4}}) {
    std::vector<std::string> tampered = parts;
    tampered[index] = flip_middle(tampered[index]);
    EXPECT_EQ(decrypt_compact(join(tampered), only(server), kAlgs, kEncs).error, JoseError::kDecryptFailed) << index;
  }
  // The protected header is authenticated too: adding a member breaks the tag.
  std::vector<std::string> tampered = parts;
  const std::string header = testing::b64url_decode(parts[0]);
  tampered[0] = b64url(header.substr(0, header.size() - 1) + R"(, "cty": "JWT"})");
  EXPECT_EQ(decrypt_compact(join(tampered), only(server), kAlgs, kEncs).error, JoseError::kDecryptFailed);
  // A truncated authentication tag (CVE-2023-37464 in older cjose) never verifies.
  tampered = parts;
  tampered[4] = b64url(testing::b64url_decode(parts[4]).substr(0, 4));
  EXPECT_EQ(decrypt_compact(join(tampered), only(server), kAlgs, kEncs).error, JoseError::kDecryptFailed);
}

TEST_P(JweRoundTripTest, EncNotAllowedIsRefused) {
  const Jwk server = GetParam().make();
  const std::string a128 = encrypt_compact("x", server, {GetParam().alg, "A128GCM", "", ""});
  EXPECT_EQ(decrypt_compact(a128, only(server), kAlgs, {"A256GCM"}).error, JoseError::kAlgNotAllowed);
  const DecryptResult allowed = decrypt_compact(a128, only(server), kAlgs, {"A256GCM", "A128GCM"});
  ASSERT_TRUE(allowed) << to_string(allowed.error);
  EXPECT_EQ(allowed.value->enc, "A128GCM");
}

TEST_P(JweRoundTripTest, AlgNotAllowedIsRefused) {
  const Jwk server = GetParam().make();
  const std::string token = encrypt_compact("x", server, {GetParam().alg, "A256GCM", "", ""});
  const std::string other = std::string(GetParam().alg) == "RSA-OAEP" ? "ECDH-ES" : "RSA-OAEP";
  EXPECT_EQ(decrypt_compact(token, only(server), {other}, kEncs).error, JoseError::kAlgNotAllowed);
  EXPECT_EQ(decrypt_compact(token, only(server), {}, kEncs).error, JoseError::kAlgNotAllowed);
}

INSTANTIATE_TEST_SUITE_P(KeyManagement, JweRoundTripTest,
                         ::testing::Values(KeyCase{"RSA-OAEP", [] { return Jwk::generate_rsa(); }},
                                           KeyCase{"ECDH-ES", [] { return Jwk::generate_ec_p256(); }}),
                         [](const auto& instance) {
                           return std::string(instance.param.alg) == "RSA-OAEP" ? "RsaOaep" : "EcdhEs";
                         });

TEST(JweTest, UnknownKidIsUnknownKey) {
  Jwk server = Jwk::generate_rsa();
  const std::string token = encrypt_compact("x", server, {"RSA-OAEP", "A256GCM", "old-key", "JWT"});
  EXPECT_EQ(decrypt_compact(token, by_kid({{"new-key", &server}}), kAlgs, kEncs).error, JoseError::kUnknownKey);
  EXPECT_EQ(decrypt_compact(token, KeyResolver(), kAlgs, kEncs).error, JoseError::kUnknownKey);
}

TEST(JweTest, AlgMustFitTheKeyType) {
  const Jwk rsa = Jwk::generate_rsa();
  const Jwk ec = Jwk::generate_ec_p256();
  const Jwk oct = Jwk::generate_hmac();
  const std::string oaep = encrypt_compact("x", rsa, {"RSA-OAEP", "A256GCM", "", ""});
  const std::string ecdh = encrypt_compact("x", ec, {"ECDH-ES", "A256GCM", "", ""});
  EXPECT_EQ(decrypt_compact(oaep, only(ec), kAlgs, kEncs).error, JoseError::kKeyMismatch);
  EXPECT_EQ(decrypt_compact(oaep, only(oct), kAlgs, kEncs).error, JoseError::kKeyMismatch);
  EXPECT_EQ(decrypt_compact(ecdh, only(rsa), kAlgs, kEncs).error, JoseError::kKeyMismatch);
  EXPECT_EQ(decrypt_compact(ecdh, only(oct), kAlgs, kEncs).error, JoseError::kKeyMismatch);
}

TEST(JweTest, EcdhEsWithAKeyOnAnotherCurveFails) {
  cjose_err err{};
  cjose_jwk_t* raw = cjose_jwk_create_EC_random(CJOSE_JWK_EC_P_384, &err);
  ASSERT_NE(raw, nullptr);
  char* json = cjose_jwk_to_json(raw, true, &err);
  const std::optional<Jwk> p384 = Jwk::from_json(json);
  cjose_get_dealloc()(json);
  cjose_jwk_release(raw);
  ASSERT_TRUE(p384.has_value());

  const std::string token = encrypt_compact("x", *p384, {"ECDH-ES", "A256GCM", "", ""});
  ASSERT_TRUE(decrypt_compact(token, only(*p384), kAlgs, kEncs));
  EXPECT_EQ(decrypt_compact(token, only(Jwk::generate_ec_p256()), kAlgs, kEncs).error, JoseError::kDecryptFailed);
}

TEST(JweTest, AlgorithmsNotOfferedAreRefusedEvenWhenAllowListed) {
  const Jwk rsa = Jwk::generate_rsa();
  std::vector<std::string> parts = split(encrypt_compact("x", rsa, {"RSA-OAEP", "A256GCM", "", ""}));
  const std::vector<std::string> everything = {"RSA-OAEP", "ECDH-ES", "RSA1_5",      "dir",
                                               "A256KW",   "none",    "RSA-OAEP-256"};
  const std::vector<std::string> every_enc = {"A256GCM", "A128CBC-HS256", "A256CBC-HS512"};
  for (const std::string header :
       {R"({"alg":"RSA1_5","enc":"A256GCM"})", R"({"alg":"dir","enc":"A256GCM"})",
        R"({"alg":"A256KW","enc":"A256GCM"})", R"({"alg":"none","enc":"A256GCM"})",
        R"({"alg":"RSA-OAEP-256","enc":"A256GCM"})", R"({"alg":"RSA-OAEP","enc":"A128CBC-HS256"})",
        R"({"alg":"RSA-OAEP","enc":"A256CBC-HS512"})", R"({"alg":"RSA-OAEP","enc":"A256GCM","zip":"DEF"})"}) {
    parts[0] = b64url(header);
    EXPECT_EQ(decrypt_compact(join(parts), only(rsa), everything, every_enc).error, JoseError::kAlgNotAllowed)
        << header;
  }
}

TEST(JweTest, EncryptedKeySegmentMustMatchTheAlgorithm) {
  const Jwk rsa = Jwk::generate_rsa();
  const Jwk ec = Jwk::generate_ec_p256();
  std::vector<std::string> oaep = split(encrypt_compact("x", rsa, {"RSA-OAEP", "A256GCM", "", ""}));
  oaep[1] = "";
  EXPECT_EQ(decrypt_compact(join(oaep), only(rsa), kAlgs, kEncs).error, JoseError::kMalformed);

  std::vector<std::string> ecdh = split(encrypt_compact("x", ec, {"ECDH-ES", "A256GCM", "", ""}));
  std::vector<std::string> with_key = ecdh;
  with_key[1] = b64url(std::string(4096, 'k'));  // would be leaked by cjose's ECDH-ES path
  EXPECT_EQ(decrypt_compact(join(with_key), only(ec), kAlgs, kEncs).error, JoseError::kMalformed);
  std::vector<std::string> without_epk = ecdh;
  without_epk[0] = b64url(R"({"alg":"ECDH-ES","enc":"A256GCM"})");
  EXPECT_EQ(decrypt_compact(join(without_epk), only(ec), kAlgs, kEncs).error, JoseError::kMalformed);
  without_epk[0] = b64url(R"({"alg":"ECDH-ES","enc":"A256GCM","epk":"P-256"})");
  EXPECT_EQ(decrypt_compact(join(without_epk), only(ec), kAlgs, kEncs).error, JoseError::kMalformed);
}

TEST(JweTest, EcdhEsWithAnOffCurveEphemeralKeyFails) {
  const Jwk ec = Jwk::generate_ec_p256();
  std::vector<std::string> parts = split(encrypt_compact("x", ec, {"ECDH-ES", "A256GCM", "", ""}));
  // The P-256 generator with its y coordinate's last bit flipped: not on the curve.
  parts[0] = b64url(
      R"({"alg":"ECDH-ES","enc":"A256GCM","epk":{"kty":"EC","crv":"P-256",)"
      R"("x":"axfR8uEsQkf4vOblY6RA8ncDfYEt6zOg9KE5RdiYwpY","y":"T-NC4v4af5uO5-tKfA-eFivOM1drMV7Oy7ZAaDe_UfQ"}})");
  EXPECT_EQ(decrypt_compact(join(parts), only(ec), kAlgs, kEncs).error, JoseError::kDecryptFailed);
  parts[0] = b64url(R"({"alg":"ECDH-ES","enc":"A256GCM","epk":{"kty":"EC","crv":"P-256"}})");
  EXPECT_EQ(decrypt_compact(join(parts), only(ec), kAlgs, kEncs).error, JoseError::kDecryptFailed);
}

TEST(JweTest, HeaderBinaryMembersThatAreNotCanonicalBase64urlAreMalformed) {
  // cjose's base64url decoder assert()s on input of length 1 modulo 4 (or cut short by '='),
  // so the header members it decodes (the ephemeral key, the party info) are checked first.
  const Jwk ec = Jwk::generate_ec_p256();
  std::vector<std::string> parts = split(encrypt_compact("x", ec, {"ECDH-ES", "A256GCM", "", ""}));
  for (const std::string header :
       {R"({"alg":"ECDH-ES","enc":"A256GCM","epk":{"kty":"EC","crv":"P-256","x":"AAAAA","y":"AAAA"}})",
        R"({"alg":"ECDH-ES","enc":"A256GCM","epk":{"kty":"EC","crv":"P-256","x":"AAAA","y":"A"}})",
        R"({"alg":"ECDH-ES","enc":"A256GCM","epk":{"kty":"EC","crv":"P-256","x":"AA==","y":"AAAA"}})",
        R"({"alg":"ECDH-ES","enc":"A256GCM","epk":{"kty":"EC","crv":"P-256","x":7,"y":"AAAA"}})",
        R"({"alg":"ECDH-ES","enc":"A256GCM","apu":"A","epk":{"kty":"EC","crv":"P-256"}})"}) {
    parts[0] = b64url(header);
    EXPECT_EQ(decrypt_compact(join(parts), only(ec), kAlgs, kEncs).error, JoseError::kMalformed) << header;
  }
  // The real header with a party info member of the key derivation.
  const std::string real = testing::b64url_decode(split(encrypt_compact("x", ec, {"ECDH-ES", "A256GCM", "", ""}))[0]);
  for (const char* member : {R"("apu":"A",)", R"("apv":"AAAAA",)"}) {
    parts[0] = b64url("{" + std::string(member) + real.substr(1));
    EXPECT_EQ(decrypt_compact(join(parts), only(ec), kAlgs, kEncs).error, JoseError::kMalformed) << member;
  }
}

TEST(JweTest, DecryptsTokensFromAnotherLibrary) {
  std::optional<Jwk> ec = Jwk::from_json(interop::kEcdhPrivateJwk);
  std::optional<Jwk> rsa = Jwk::from_json(interop::kRsaPrivateJwk);
  ASSERT_TRUE(ec && rsa);
  const KeyResolver keys = by_kid({{"enc-ec", &*ec}, {"enc-rsa", &*rsa}});

  const DecryptResult ecdh = decrypt_compact(interop::kEcdhToken, keys, kAlgs, kEncs);
  ASSERT_TRUE(ecdh) << to_string(ecdh.error);
  EXPECT_EQ(ecdh.value->plaintext, R"({"iss":"node-jose","sub":"ecdh"})");
  EXPECT_EQ(ecdh.value->cty, "JWT");

  const DecryptResult oaep = decrypt_compact(interop::kRsaToken, keys, kAlgs, kEncs);
  ASSERT_TRUE(oaep) << to_string(oaep.error);
  EXPECT_EQ(oaep.value->plaintext, R"({"iss":"node-jose","sub":"oaep"})");
  EXPECT_EQ(oaep.value->kid, "enc-rsa");
}

TEST(JweTest, EncryptedHeaderNamesWhatWasAsked) {
  const Jwk rsa = Jwk::generate_rsa();
  const std::string token = encrypt_compact("x", rsa, {"RSA-OAEP", "A256GCM", "enc-9", "JWT"});
  const std::optional<std::string> header = peek_protected_header(token);
  ASSERT_TRUE(header.has_value());
  EXPECT_EQ(member(*header, "alg"), "RSA-OAEP");
  EXPECT_EQ(member(*header, "enc"), "A256GCM");
  EXPECT_EQ(member(*header, "kid"), "enc-9");
  EXPECT_EQ(member(*header, "cty"), "JWT");
  EXPECT_EQ(member(*peek_protected_header(encrypt_compact("x", rsa, {})), "kid"), "<absent>");
  // The header says only what the options say, never the key's own kid.
  Jwk named = Jwk::generate_ec_p256();
  named.set_kid("stored");
  const std::optional<Jwk> restored = Jwk::from_json(named.to_private_json());
  ASSERT_TRUE(restored.has_value());
  EXPECT_EQ(member(*peek_protected_header(encrypt_compact("x", *restored, {"ECDH-ES", "A256GCM", "", ""})), "kid"),
            "<absent>");
  EXPECT_EQ(member(*peek_protected_header(sign_compact("x", *restored, {"ES256", "", "", ""})), "kid"), "<absent>");
}

TEST(JweTest, EncryptRefusesMisuse) {
  const Jwk rsa = Jwk::generate_rsa();
  const Jwk ec = Jwk::generate_ec_p256();
  EXPECT_THROW(encrypt_compact("x", rsa, {"RSA1_5", "A256GCM", "", ""}), std::runtime_error);
  EXPECT_THROW(encrypt_compact("x", rsa, {"dir", "A256GCM", "", ""}), std::runtime_error);
  EXPECT_THROW(encrypt_compact("x", rsa, {"RSA-OAEP", "A128CBC-HS256", "", ""}), std::runtime_error);
  EXPECT_THROW(encrypt_compact("x", rsa, {"ECDH-ES", "A256GCM", "", ""}), std::runtime_error);
  EXPECT_THROW(encrypt_compact("x", ec, {"RSA-OAEP", "A256GCM", "", ""}), std::runtime_error);
  EXPECT_THROW(encrypt_compact("x", Jwk::generate_hmac(), {"RSA-OAEP", "A256GCM", "", ""}), std::runtime_error);
  EXPECT_THROW(encrypt_compact("x", rsa, {"RSA-OAEP", "A256GCM", "\xc3", ""}), std::runtime_error);
}

TEST(JweTest, MalformedInputsAreMalformed) {
  const Jwk rsa = Jwk::generate_rsa();
  const std::string good = encrypt_compact("x", rsa, {"RSA-OAEP", "A256GCM", "", ""});
  const std::vector<std::string> parts = split(good);
  const auto with_header = [&](const std::string& header_json) {
    std::vector<std::string> p = parts;
    p[0] = b64url(header_json);
    return join(p);
  };
  std::string giant = good;
  giant.insert(good.find('.') + 1, std::string(kMaxCompactSize, 'A'));

  const std::vector<std::pair<std::string, std::string>> cases = {
      {"empty", ""},
      {"four dots", "...."},
      {"JWS shape", parts[0] + "." + parts[1] + "." + parts[2]},
      {"four segments", parts[0] + "." + parts[1] + "." + parts[2] + "." + parts[3]},
      {"six segments", good + ".AAAA"},
      {"empty header", "." + parts[1] + "." + parts[2] + "." + parts[3] + "." + parts[4]},
      {"bad base64url", parts[0] + "." + parts[1] + ".!!!!." + parts[3] + "." + parts[4]},
      {"padding", good + "=="},
      {"header not JSON", with_header("RSA-OAEP")},
      {"header array", with_header(R"(["RSA-OAEP","A256GCM"])")},
      {"missing alg", with_header(R"({"enc":"A256GCM"})")},
      {"missing enc", with_header(R"({"alg":"RSA-OAEP"})")},
      {"enc not a string", with_header(R"({"alg":"RSA-OAEP","enc":256})")},
      {"kid not a string", with_header(R"({"alg":"RSA-OAEP","enc":"A256GCM","kid":1})")},
      {"cty not a string", with_header(R"({"alg":"RSA-OAEP","enc":"A256GCM","cty":true})")},
      {"duplicate enc", with_header(R"({"alg":"RSA-OAEP","enc":"A128GCM","enc":"A256GCM"})")},
      {"crit extension", with_header(R"({"alg":"RSA-OAEP","enc":"A256GCM","crit":["x"],"x":1})")},
      {"giant", giant},
  };
  for (const auto& [name, token] : cases) {
    const DecryptResult result = decrypt_compact(token, only(rsa), kAlgs, {"A256GCM", "A128GCM"});
    EXPECT_FALSE(result) << name;
    EXPECT_EQ(result.error, JoseError::kMalformed) << name << ": " << to_string(result.error);
  }
  EXPECT_TRUE(decrypt_compact(good, only(rsa), kAlgs, kEncs));
}

}  // namespace
}  // namespace ssokit::jose
