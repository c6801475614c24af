#include "jose/jwk.hpp"

#include <cjose/cjose.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "jose/jws.hpp"
#include "jose_test_support.hpp"

namespace ssokit::jose {
namespace {

using testing::member;
using testing::only;

TEST(JwkTest, GeneratesEachKeyType) {
  EXPECT_EQ(Jwk::generate_hmac().type(), KeyType::kOct);
  EXPECT_EQ(Jwk::generate_rsa().type(), KeyType::kRsa);
  EXPECT_EQ(Jwk::generate_ec_p256().type(), KeyType::kEc);
}

TEST(JwkTest, GeneratedHmacKeyHasTheAskedLength) {
  const Jwk key = Jwk::generate_hmac(48);
  EXPECT_EQ(testing::b64url_decode(member(key.to_private_json(), "k")).size(), 48u);
}

TEST(JwkTest, GeneratedKeysDiffer) {
  EXPECT_NE(member(Jwk::generate_hmac().to_private_json(), "k"), member(Jwk::generate_hmac().to_private_json(), "k"));
  EXPECT_NE(member(Jwk::generate_ec_p256().to_private_json(), "d"),
            member(Jwk::generate_ec_p256().to_private_json(), "d"));
}

TEST(JwkTest, RefusesWeakOrAbsurdSizes) {
  EXPECT_THROW(Jwk::generate_rsa(1024), std::invalid_argument);
  EXPECT_THROW(Jwk::generate_hmac(0), std::invalid_argument);
  EXPECT_THROW(Jwk::generate_hmac(std::size_t{1} << 40), std::invalid_argument);
}

TEST(JwkTest, PrivateJsonRoundTripKeepsKidAndKey) {
  std::vector<Jwk> keys;
  keys.push_back(Jwk::generate_hmac());
  keys.push_back(Jwk::generate_rsa());
  keys.push_back(Jwk::generate_ec_p256());
  for (Jwk& key : keys) {
    key.set_kid("key-2024-06");
    const std::string json = key.to_private_json();
    EXPECT_EQ(member(json, "kid"), "key-2024-06") << json;
    const std::optional<Jwk> back = Jwk::from_json(json);
    ASSERT_TRUE(back.has_value()) << json;
    EXPECT_EQ(back->kid(), "key-2024-06");
    EXPECT_EQ(back->type(), key.type());
    EXPECT_EQ(back->to_private_json(), json);
  }
}

TEST(JwkTest, RestoredKeyVerifiesWhatTheOriginalSigned) {
  Jwk key = Jwk::generate_ec_p256();
  key.set_kid("k1");
  const std::string token = sign_compact("{\"sub\":\"x\"}", key, {"ES256", "k1", "", ""});
  const std::optional<Jwk> restored = Jwk::from_json(key.to_private_json());
  ASSERT_TRUE(restored.has_value());
  const VerifyResult verified = verify_compact(token, only(*restored), {"ES256"});
  ASSERT_TRUE(verified) << to_string(verified.error);
  EXPECT_EQ(verified.value->payload, "{\"sub\":\"x\"}");
}

TEST(JwkTest, EmptyKidIsLeftOut) {
  Jwk key = Jwk::generate_ec_p256();
  key.set_kid("temporary");
  key.set_kid("");
  EXPECT_EQ(member(key.to_private_json(), "kid"), "<absent>");
  EXPECT_EQ(member(*key.to_public_json(), "kid"), "<absent>");
}

TEST(JwkTest, PublicJsonHasNoPrivatePartsAndCarriesUseAlgKid) {
  Jwk rsa = Jwk::generate_rsa();
  rsa.set_kid("enc-1");
  const std::string json = *rsa.to_public_json("enc", "RSA-OAEP");
  EXPECT_EQ(member(json, "kty"), "RSA");
  EXPECT_EQ(member(json, "kid"), "enc-1");
  EXPECT_EQ(member(json, "use"), "enc");
  EXPECT_EQ(member(json, "alg"), "RSA-OAEP");
  EXPECT_NE(member(json, "n"), "<absent>");
  EXPECT_EQ(member(json, "e"), "AQAB");
  for (const char* secret : {"d", "p", "q", "dp", "dq", "qi"}) EXPECT_EQ(member(json, secret), "<absent>") << secret;

  Jwk ec = Jwk::generate_ec_p256();
  ec.set_kid("sig-1");
  const std::string ec_json = *ec.to_public_json("sig", "ES256");
  EXPECT_EQ(member(ec_json, "crv"), "P-256");
  EXPECT_EQ(member(ec_json, "use"), "sig");
  EXPECT_EQ(member(ec_json, "d"), "<absent>");
  EXPECT_EQ(member(*ec.to_public_json(), "use"), "<absent>");
  EXPECT_EQ(member(*ec.to_public_json(), "alg"), "<absent>");
  EXPECT_THROW(ec.to_public_json("\xff", ""), std::runtime_error);
}

TEST(JwkTest, SymmetricKeysHaveNoPublicForm) {
  const Jwk key = Jwk::generate_hmac();
  EXPECT_FALSE(key.to_public_json().has_value());
  EXPECT_FALSE(key.to_public_pem().has_value());
}

TEST(JwkTest, PublicJsonImportsAsAVerifyOnlyKey) {
  Jwk key = Jwk::generate_rsa();
  key.set_kid("r1");
  const std::string token = sign_compact("payload", key, {"RS256", "r1", "", ""});
  const std::optional<Jwk> pub = Jwk::from_json(*key.to_public_json("sig", "RS256"));
  ASSERT_TRUE(pub.has_value());
  EXPECT_EQ(pub->kid(), "r1");
  EXPECT_TRUE(verify_compact(token, only(*pub), {"RS256"}));
  EXPECT_THROW(sign_compact("payload", *pub, {"RS256", "", "", ""}), std::runtime_error);
}

TEST(JwkTest, MovedKeyStaysUsable) {
  Jwk a = Jwk::generate_ec_p256();
  a.set_kid("m");
  Jwk b = std::move(a);
  EXPECT_EQ(b.kid(), "m");
  EXPECT_EQ(b.type(), KeyType::kEc);
  Jwk c = Jwk::generate_hmac();
  c = std::move(b);
  EXPECT_EQ(c.type(), KeyType::kEc);
}

TEST(JwkTest, RejectsWhatIsNotAKey) {
  // A point that is not on P-256 (x, y of the generator with y's last bit flipped): cjose's
  // ECDH-ES relies on this same import refusing it (invalid-curve attacks).
  const std::string off_curve =
      "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"axfR8uEsQkf4vOblY6RA8ncDfYEt6zOg9KE5RdiYwpY\","
      "\"y\":\"T-NC4v4af5uO5-tKfA-eFivOM1drMV7Oy7ZAaDe_UfQ\"}";
  const std::string on_curve =
      "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"axfR8uEsQkf4vOblY6RA8ncDfYEt6zOg9KE5RdiYwpY\","
      "\"y\":\"T-NC4v4af5uO5-tKfA-eFivOM1drMV7Oy7ZAaDe_UfU\"}";
  ASSERT_TRUE(Jwk::from_json(on_curve).has_value());
  for (const std::string& json : {
           std::string(""),
           std::string("not json"),
           std::string("[]"),
           std::string("null"),
           std::string("{}"),
           std::string("{\"kty\":5}"),
           std::string("{\"kty\":\"oct\"}"),
           std::string("{\"kty\":\"oct\",\"k\":17}"),
           std::string("{\"kty\":\"RSA\",\"n\":\"AQAB\"}"),
           std::string("{\"kty\":\"EC\",\"crv\":\"P-999\",\"x\":\"AA\",\"y\":\"AA\"}"),
           std::string("{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AA\",\"y\":\"AA\"}"),
           std::string("{\"kty\":\"EC\",\"crv\":\"P-256\"}"),
           std::string("{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}"),
           off_curve,
       }) {
    EXPECT_FALSE(Jwk::from_json(json).has_value()) << json;
  }
}

TEST(JwkTest, ImportsKeysOfOtherCurvesForVerification) {
  cjose_err err{};
  cjose_jwk_t* raw = cjose_jwk_create_EC_random(CJOSE_JWK_EC_P_384, &err);
  ASSERT_NE(raw, nullptr);
  char* json = cjose_jwk_to_json(raw, true, &err);
  const std::string text(json);
  cjose_get_dealloc()(json);
  cjose_jwk_release(raw);

  const std::optional<Jwk> key = Jwk::from_json(text);
  ASSERT_TRUE(key.has_value());
  const std::string token = sign_compact("p384", *key, {"ES384", "", "", ""});
  EXPECT_TRUE(verify_compact(token, only(*key), {"ES384"}));
  // ES256 names P-256: a P-384 key does not fit it, whatever the allow-list says.
  const std::string es256 = sign_compact("p256", Jwk::generate_ec_p256(), {"ES256", "", "", ""});
  EXPECT_EQ(verify_compact(es256, only(*key), {"ES256", "ES384"}).error, JoseError::kKeyMismatch);
}

}  // namespace
}  // namespace ssokit::jose
