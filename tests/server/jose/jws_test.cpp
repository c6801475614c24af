#include "jose/jws.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "interop_vectors.hpp"
#include "jose/jwk.hpp"
#include "jose_test_support.hpp"

namespace ssokit::jose {
namespace {

using testing::b64url;
using testing::by_kid;
using testing::flip_middle;
using testing::join;
using testing::only;
using testing::split;

// Sets a spare low bit of the last character of unpadded base64url whose length is 2 or 3
// mod 4: the same bytes, spelled differently.
std::string set_spare_bit(std::string text) {
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  text.back() = alphabet[alphabet.find(text.back()) | 1];
  return text;
}

const std::string kClaims = R"({"iss":"ssoservicetoken","sub":"common-id","exp":1893456000})";

// A header and payload assembled by hand, with a signature segment of our choosing.
std::string hand_made(const std::string& header_json, const std::string& payload, const std::string& signature) {
  return b64url(header_json) + "." + b64url(payload) + "." + signature;
}

struct RoundTripCase {
  const char* alg;
  Jwk (*make)();
};

class JwsRoundTripTest : public ::testing::TestWithParam<RoundTripCase> {};

TEST_P(JwsRoundTripTest, SignsAndVerifiesWithHeaderFields) {
  Jwk key = GetParam().make();
  key.set_kid("kid-" + std::string(GetParam().alg));
  const std::string token = sign_compact(kClaims, key, {GetParam().alg, key.kid(), "JWT", "application/json"});
  EXPECT_EQ(split(token).size(), 3u);

  const VerifyResult verified =
      verify_compact(token, by_kid({{key.kid(), &key}}), {"HS256", "RS256", "ES256", "PS256"});
  ASSERT_TRUE(verified) << to_string(verified.error);
  EXPECT_EQ(verified.value->payload, kClaims);
  EXPECT_EQ(verified.value->alg, GetParam().alg);
  EXPECT_EQ(verified.value->kid, key.kid());
  EXPECT_EQ(verified.value->typ, "JWT");
  EXPECT_EQ(verified.value->cty, "application/json");
}

TEST_P(JwsRoundTripTest, TamperedPayloadFails) {
  const Jwk key = GetParam().make();
  std::vector<std::string> parts = split(sign_compact(kClaims, key, {GetParam().alg, "", "", ""}));
  parts[1] = b64url(R"({"iss":"ssoservicetoken","sub":"someone-else","exp":1893456000})");
  EXPECT_EQ(verify_compact(join(parts), only(key), {GetParam().alg}).error, JoseError::kBadSignature);
}

TEST_P(JwsRoundTripTest, TamperedSignatureFails) {
  const Jwk key = GetParam().make();
  std::vector<std::string> parts = split(sign_compact(kClaims, key, {GetParam().alg, "", "", ""}));
  parts[2] = flip_middle(parts[2]);
  EXPECT_EQ(verify_compact(join(parts), only(key), {GetParam().alg}).error, JoseError::kBadSignature);
}

TEST_P(JwsRoundTripTest, TamperedHeaderFails) {
  const Jwk key = GetParam().make();
  std::vector<std::string> parts = split(sign_compact(kClaims, key, {GetParam().alg, "", "JWT", ""}));
  parts[0] = b64url(std::string(R"({"alg":")") + GetParam().alg + R"(","typ":"at+jwt"})");
  EXPECT_EQ(verify_compact(join(parts), only(key), {GetParam().alg}).error, JoseError::kBadSignature);
}

TEST_P(JwsRoundTripTest, AnotherKeyOfTheSameTypeFails) {
  const Jwk key = GetParam().make();
  const Jwk other = GetParam().make();
  const std::string token = sign_compact(kClaims, key, {GetParam().alg, "", "", ""});
  EXPECT_EQ(verify_compact(token, only(other), {GetParam().alg}).error, JoseError::kBadSignature);
}

TEST_P(JwsRoundTripTest, EmptyPayloadRoundTrips) {
  const Jwk key = GetParam().make();
  const VerifyResult verified =
      verify_compact(sign_compact("", key, {GetParam().alg, "", "", ""}), only(key), {GetParam().alg});
  ASSERT_TRUE(verified) << to_string(verified.error);
  EXPECT_EQ(verified.value->payload, "");
  EXPECT_EQ(verified.value->kid, "");
}

INSTANTIATE_TEST_SUITE_P(Algorithms, JwsRoundTripTest,
                         ::testing::Values(RoundTripCase{"HS256", [] { return Jwk::generate_hmac(); }},
                                           RoundTripCase{"RS256", [] { return Jwk::generate_rsa(); }},
                                           RoundTripCase{"PS256", [] { return Jwk::generate_rsa(); }},
                                           RoundTripCase{"ES256", [] { return Jwk::generate_ec_p256(); }}),
                         [](const auto& instance) { return std::string(instance.param.alg); });

TEST(JwsTest, BinaryPayloadRoundTrips) {
  const Jwk key = Jwk::generate_hmac();
  const std::string payload("\0\x01\xff\xfe binary", 11);
  const VerifyResult verified = verify_compact(sign_compact(payload, key, {"HS256", "", "", ""}), only(key), {"HS256"});
  ASSERT_TRUE(verified);
  EXPECT_EQ(verified.value->payload, payload);
}

TEST(JwsTest, AlgNoneIsRefusedEvenWhenAllowListed) {
  const Jwk key = Jwk::generate_hmac();
  const std::string unsigned_token = hand_made(R"({"alg":"none"})", kClaims, "");
  EXPECT_EQ(verify_compact(unsigned_token, only(key), {"HS256"}).error, JoseError::kAlgNotAllowed);
  EXPECT_EQ(verify_compact(unsigned_token, only(key), {"none", "HS256"}).error, JoseError::kAlgNotAllowed);
  // With a signature segment and a typ, still none.
  const std::string with_signature = hand_made(R"({"typ":"JWT","alg":"none"})", kClaims, b64url("sig"));
  EXPECT_EQ(verify_compact(with_signature, only(key), {"none"}).error, JoseError::kAlgNotAllowed);
  // Case variants are simply algorithms nobody implements.
  EXPECT_EQ(verify_compact(hand_made(R"({"alg":"None"})", kClaims, ""), only(key), {"None"}).error,
            JoseError::kAlgNotAllowed);
}

TEST(JwsTest, HmacWithThePublicKeyAsSecretIsRefused) {
  const testing::Pkey pkey = testing::generate_rsa_pkey();
  const std::string public_pem = testing::pem_of(pkey.get(), testing::PemForm::kPublic);
  const std::optional<Jwk> rsa_public = Jwk::from_pem(public_pem);
  ASSERT_TRUE(rsa_public.has_value());

  // The attacker knows the public key and uses its PEM bytes as an HMAC secret.
  const std::optional<Jwk> forged_secret = Jwk::from_json(R"({"kty":"oct","k":")" + b64url(public_pem) + R"("})");
  ASSERT_TRUE(forged_secret.has_value());
  const std::string forged = sign_compact(kClaims, *forged_secret, {"HS256", "", "JWT", ""});

  const VerifyResult verified = verify_compact(forged, only(*rsa_public), {"RS256", "HS256"});
  EXPECT_FALSE(verified);
  EXPECT_EQ(verified.error, JoseError::kKeyMismatch);
}

TEST(JwsTest, AlgMustFitTheKeyType) {
  const Jwk hmac = Jwk::generate_hmac();
  const Jwk rsa = Jwk::generate_rsa();
  const Jwk ec = Jwk::generate_ec_p256();
  const std::vector<std::string> all = {"HS256", "RS256", "PS256", "ES256"};
  const std::string hs = sign_compact(kClaims, hmac, {"HS256", "", "", ""});
  const std::string rs = sign_compact(kClaims, rsa, {"RS256", "", "", ""});
  const std::string es = sign_compact(kClaims, ec, {"ES256", "", "", ""});
  EXPECT_EQ(verify_compact(hs, only(ec), all).error, JoseError::kKeyMismatch);
  EXPECT_EQ(verify_compact(rs, only(hmac), all).error, JoseError::kKeyMismatch);
  EXPECT_EQ(verify_compact(rs, only(ec), all).error, JoseError::kKeyMismatch);
  EXPECT_EQ(verify_compact(es, only(rsa), all).error, JoseError::kKeyMismatch);
  EXPECT_EQ(verify_compact(es, only(hmac), all).error, JoseError::kKeyMismatch);
}

TEST(JwsTest, ShortHmacKeysAreRefused) {
  // RFC 7518 §3.2: HS256 needs a key of at least 256 bits.
  const Jwk short_key = Jwk::generate_hmac(16);
  EXPECT_THROW(sign_compact(kClaims, short_key, {"HS256", "", "", ""}), std::runtime_error);
  const std::optional<Jwk> same_bytes = Jwk::from_json(short_key.to_private_json());
  ASSERT_TRUE(same_bytes.has_value());
  const std::string token = hand_made(R"({"alg":"HS256"})", kClaims, b64url(std::string(32, 'x')));
  EXPECT_EQ(verify_compact(token, only(*same_bytes), {"HS256"}).error, JoseError::kKeyMismatch);
  // HS512 needs 512 bits: the default 256-bit key does not fit it.
  EXPECT_THROW(sign_compact(kClaims, Jwk::generate_hmac(), {"HS512", "", "", ""}), std::runtime_error);
  EXPECT_NO_THROW(sign_compact(kClaims, Jwk::generate_hmac(64), {"HS512", "", "", ""}));
}

TEST(JwsTest, UnknownKidIsUnknownKey) {
  Jwk key = Jwk::generate_hmac();
  key.set_kid("current");
  const std::string token = sign_compact(kClaims, key, {"HS256", "retired", "", ""});
  EXPECT_EQ(verify_compact(token, by_kid({{"current", &key}}), {"HS256"}).error, JoseError::kUnknownKey);
  const std::string no_kid = sign_compact(kClaims, key, {"HS256", "", "", ""});
  EXPECT_EQ(verify_compact(no_kid, by_kid({{"current", &key}}), {"HS256"}).error, JoseError::kUnknownKey);
  EXPECT_EQ(verify_compact(token, KeyResolver(), {"HS256"}).error, JoseError::kUnknownKey);
}

TEST(JwsTest, ResolverSeesTheHeaderKid) {
  Jwk a = Jwk::generate_hmac();
  Jwk b = Jwk::generate_hmac();
  const std::string token = sign_compact(kClaims, b, {"HS256", "b", "", ""});
  const VerifyResult verified = verify_compact(token, by_kid({{"a", &a}, {"b", &b}}), {"HS256"});
  ASSERT_TRUE(verified);
  EXPECT_EQ(verified.value->kid, "b");
}

TEST(JwsTest, AlgOutsideTheAllowListIsRefused) {
  const Jwk rsa = Jwk::generate_rsa();
  const std::string token = sign_compact(kClaims, rsa, {"RS256", "", "", ""});
  EXPECT_EQ(verify_compact(token, only(rsa), {"HS256", "ES256"}).error, JoseError::kAlgNotAllowed);
  EXPECT_EQ(verify_compact(token, only(rsa), {}).error, JoseError::kAlgNotAllowed);
  EXPECT_EQ(verify_compact(token, only(rsa), {"rs256"}).error, JoseError::kAlgNotAllowed);
  // An allow-listed name nobody implements is refused, not passed to cjose.
  EXPECT_EQ(verify_compact(hand_made(R"({"alg":"EdDSA"})", kClaims, b64url("s")), only(rsa), {"EdDSA"}).error,
            JoseError::kAlgNotAllowed);
}

TEST(JwsTest, EcdsaSignatureOfTheWrongLengthFails) {
  const Jwk ec = Jwk::generate_ec_p256();
  std::vector<std::string> parts = split(sign_compact(kClaims, ec, {"ES256", "", "", ""}));
  const std::string raw = testing::b64url_decode(parts[2]);
  ASSERT_EQ(raw.size(), 64u);
  for (const std::string& signature :
       {raw + std::string(1, '\0'), std::string(1, '\0') + raw, raw.substr(0, 63), raw + raw, std::string(64, '\0')}) {
    parts[2] = b64url(signature);
    EXPECT_EQ(verify_compact(join(parts), only(ec), {"ES256"}).error, JoseError::kBadSignature) << signature.size();
  }
}

TEST(JwsTest, MissingSignatureFails) {
  const Jwk key = Jwk::generate_hmac();
  std::vector<std::string> parts = split(sign_compact(kClaims, key, {"HS256", "", "", ""}));
  parts[2] = "";
  EXPECT_EQ(verify_compact(join(parts), only(key), {"HS256"}).error, JoseError::kBadSignature);
  parts[2] = b64url(std::string(16, 'x'));  // truncated MAC
  EXPECT_EQ(verify_compact(join(parts), only(key), {"HS256"}).error, JoseError::kBadSignature);
}

TEST(JwsTest, HmacSignaturesOfTheWrongLengthAreRefusedBeforeCjoseReadsThem) {
  // cjose compares the digest's length of bytes before it checks the received length: a
  // short MAC would be read past its end. The wrapper refuses it first; a correct MAC with
  // bytes added or cut is refused too.
  const Jwk key = Jwk::generate_hmac();
  std::vector<std::string> parts = split(sign_compact(kClaims, key, {"HS256", "", "", ""}));
  const std::string mac = testing::b64url_decode(parts[2]);
  ASSERT_EQ(mac.size(), 32u);
  for (const std::string& signature : {mac.substr(0, 1), mac.substr(0, 31), mac + std::string(1, '\0'), mac + mac}) {
    parts[2] = b64url(signature);
    EXPECT_EQ(verify_compact(join(parts), only(key), {"HS256"}).error, JoseError::kBadSignature) << signature.size();
  }
  parts[2] = b64url(mac);
  EXPECT_TRUE(verify_compact(join(parts), only(key), {"HS256"}));
}

TEST(JwsTest, SignRefusesMisuse) {
  const Jwk rsa = Jwk::generate_rsa();
  EXPECT_THROW(sign_compact(kClaims, rsa, {"none", "", "", ""}), std::runtime_error);
  EXPECT_THROW(sign_compact(kClaims, rsa, {"", "", "", ""}), std::runtime_error);
  EXPECT_THROW(sign_compact(kClaims, rsa, {"HS256", "", "", ""}), std::runtime_error);
  EXPECT_THROW(sign_compact(kClaims, rsa, {"ES256", "", "", ""}), std::runtime_error);
  EXPECT_THROW(sign_compact(kClaims, Jwk::generate_ec_p256(), {"RS256", "", "", ""}), std::runtime_error);
  EXPECT_THROW(sign_compact(kClaims, rsa, {"RS256", std::string("a\0b", 3), "", ""}), std::runtime_error);
  EXPECT_THROW(sign_compact(kClaims, rsa, {"RS256", "\xff\xfe", "", ""}), std::runtime_error);
  // Public keys cannot sign.
  const std::optional<Jwk> ec_public = Jwk::from_json(*Jwk::generate_ec_p256().to_public_json());
  ASSERT_TRUE(ec_public.has_value());
  EXPECT_THROW(sign_compact(kClaims, *ec_public, {"ES256", "", "", ""}), std::runtime_error);
}

TEST(JwsTest, VerifiesRfc7515HmacExample) {
  // RFC 7515 Appendix A.1: the HS256 example, whose header has a line break in it.
  const std::optional<Jwk> key = Jwk::from_json(
      R"({"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"})");
  ASSERT_TRUE(key.has_value());
  const std::string token =
      "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
      ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
      ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  const VerifyResult verified = verify_compact(token, only(*key), {"HS256"});
  ASSERT_TRUE(verified) << to_string(verified.error);
  EXPECT_EQ(verified.value->typ, "JWT");
  EXPECT_EQ(verified.value->payload,
            "{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}");
}

TEST(JwsTest, VerifiesAnEs256TokenFromAnotherLibrary) {
  const std::optional<Jwk> key = Jwk::from_json(interop::kEs256PublicJwk);
  ASSERT_TRUE(key.has_value());
  const VerifyResult verified = verify_compact(interop::kEs256Token, by_kid({{"sig-ec", &*key}}), {"ES256"});
  ASSERT_TRUE(verified) << to_string(verified.error);
  EXPECT_EQ(verified.value->payload, R"({"iss":"node-jose","sub":"es256"})");
  EXPECT_EQ(verified.value->typ, "JWT");
}

TEST(JwsTest, MalformedInputsAreMalformed) {
  const Jwk key = Jwk::generate_hmac();
  const std::string good = sign_compact(kClaims, key, {"HS256", "", "", ""});
  const std::vector<std::string> parts = split(good);
  const std::string payload = parts[1];
  const std::string signature = parts[2];
  const auto with_header = [&](const std::string& header_json) {
    return b64url(header_json) + "." + payload + "." + signature;
  };

  std::string giant = good;
  giant.insert(parts[0].size() + 1, std::string(kMaxCompactSize, 'A'));

  const std::vector<std::pair<std::string, std::string>> cases = {
      {"empty", ""},
      {"one dot", "."},
      {"two dots only", ".."},
      {"no dots", parts[0]},
      {"two segments", parts[0] + "." + parts[1]},
      {"four segments", good + ".AAAA"},
      {"five segments", good + ".AAAA.AAAA"},
      {"many dots", good + std::string(10000, '.')},
      {"empty header", "." + payload + "." + signature},
      {"header not base64url", "!!!." + payload + "." + signature},
      {"standard base64 alphabet", parts[0] + "+/." + payload + "." + signature},
      {"padding", parts[0] + "=." + payload + "." + signature},
      {"space", parts[0] + " ." + payload + "." + signature},
      {"NUL byte", std::string(good).replace(3, 1, std::string(1, '\0'))},
      {"length 1 mod 4", parts[0] + "A." + payload + "." + signature},
      {"non-canonical header", set_spare_bit(b64url("{\"alg\":\"HS256\"} ")) + "." + payload + "." + signature},
      {"non-canonical payload", parts[0] + "." + set_spare_bit(b64url("{}")) + "." + signature},
      {"payload not base64url", parts[0] + ".***." + signature},
      {"signature not base64url", parts[0] + "." + payload + ".%%%"},
      {"header not JSON", with_header("not json")},
      {"header truncated JSON", with_header(R"({"alg":"HS256")")},
      {"header array", with_header(R"(["alg","HS256"])")},
      {"header string", with_header(R"("HS256")")},
      {"header number", with_header("42")},
      {"header null", with_header("null")},
      {"header empty object", with_header("{}")},
      {"missing alg", with_header(R"({"typ":"JWT"})")},
      {"alg not a string", with_header(R"({"alg":256})")},
      {"alg null", with_header(R"({"alg":null})")},
      {"kid not a string", with_header(R"({"alg":"HS256","kid":7})")},
      {"typ not a string", with_header(R"({"alg":"HS256","typ":["JWT"]})")},
      {"cty not a string", with_header(R"({"alg":"HS256","cty":{}})")},
      {"duplicate alg", with_header(R"({"alg":"none","alg":"HS256"})")},
      {"crit extension", with_header(R"({"alg":"HS256","crit":["exp"],"exp":1})")},
      {"header invalid UTF-8", with_header("{\"alg\":\"HS256\",\"kid\":\"\xff\"}")},
      {"header with NUL escape", with_header(R"({"alg":"HS256","kid":"a\u0000b"})")},
      {"giant", giant},
      {"giant of dots", std::string(kMaxCompactSize + 1, '.')},
  };
  for (const auto& [name, token] : cases) {
    const VerifyResult result = verify_compact(token, only(key), {"HS256", "none"});
    EXPECT_FALSE(result) << name;
    EXPECT_EQ(result.error, JoseError::kMalformed) << name << ": " << to_string(result.error);
  }
  EXPECT_TRUE(verify_compact(good, only(key), {"HS256"}));
}

TEST(JwsTest, NonCanonicalSignatureEncodingIsRejected) {
  // A 32-byte MAC is 43 characters, the last holding 2 spare bits: setting them must not
  // give a second valid spelling of the same token.
  const Jwk key = Jwk::generate_hmac();
  std::vector<std::string> parts = split(sign_compact(kClaims, key, {"HS256", "", "", ""}));
  ASSERT_EQ(parts[2].size(), 43u);
  const std::string original = join(parts);
  parts[2] = set_spare_bit(parts[2]);
  EXPECT_EQ(testing::b64url_decode(parts[2]), testing::b64url_decode(split(original)[2]));
  EXPECT_EQ(verify_compact(join(parts), only(key), {"HS256"}).error, JoseError::kMalformed);
}

TEST(JwsTest, PeekReadsTheHeaderOfJwsAndJwe) {
  const Jwk key = Jwk::generate_hmac();
  const std::string token = sign_compact(kClaims, key, {"HS256", "k", "JWT", ""});
  EXPECT_EQ(peek_protected_header(token), std::optional<std::string>(R"({"alg":"HS256","kid":"k","typ":"JWT"})"));
  const std::optional<std::string> jwe_header = peek_protected_header(interop::kEcdhToken);
  ASSERT_TRUE(jwe_header.has_value());
  EXPECT_EQ(testing::member(*jwe_header, "alg"), "ECDH-ES");
  for (const std::string bad : {"", "abc", "a.b", "a.b.c.d", "a.b.c.d.e.f", "!.b.c", ".b.c"}) {
    EXPECT_FALSE(peek_protected_header(bad).has_value()) << bad;
  }
  EXPECT_FALSE(peek_protected_header(b64url("[1]") + ".e30.").has_value());
}

TEST(JwsTest, ErrorNamesAreStable) {
  EXPECT_STREQ(to_string(JoseError::kMalformed), "malformed");
  EXPECT_STREQ(to_string(JoseError::kAlgNotAllowed), "alg_not_allowed");
  EXPECT_STREQ(to_string(JoseError::kUnknownKey), "unknown_key");
  EXPECT_STREQ(to_string(JoseError::kKeyMismatch), "key_mismatch");
  EXPECT_STREQ(to_string(JoseError::kBadSignature), "bad_signature");
  EXPECT_STREQ(to_string(JoseError::kDecryptFailed), "decrypt_failed");
}

}  // namespace
}  // namespace ssokit::jose
