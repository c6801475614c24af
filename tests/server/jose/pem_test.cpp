#include <gtest/gtest.h>

#include <string>

#include "jose/jwk.hpp"
#include "jose/jws.hpp"
#include "jose_test_support.hpp"

namespace ssokit::jose {
namespace {

using testing::only;
using testing::pem_of;
using testing::PemForm;

const std::string kClaims = R"({"iss":"roku","sub":"account-1","exp":1893456000})";

TEST(PemTest, RsaPrivatePemSignsAndPublicPemVerifies) {
  const testing::Pkey pkey = testing::generate_rsa_pkey();
  for (const PemForm form : {PemForm::kPkcs8, PemForm::kTraditional}) {
    const std::string private_pem = pem_of(pkey.get(), form);
    const std::optional<Jwk> signer = Jwk::from_pem(private_pem);
    ASSERT_TRUE(signer.has_value()) << private_pem.substr(0, 40);
    EXPECT_EQ(signer->type(), KeyType::kRsa);
    const std::string token = sign_compact(kClaims, *signer, {"RS256", "", "JWT", ""});

    const std::optional<Jwk> verifier = Jwk::from_pem(pem_of(pkey.get(), PemForm::kPublic));
    ASSERT_TRUE(verifier.has_value());
    const VerifyResult verified = verify_compact(token, only(*verifier), {"RS256"});
    ASSERT_TRUE(verified) << to_string(verified.error);
    EXPECT_EQ(verified.value->payload, kClaims);
    EXPECT_THROW(sign_compact(kClaims, *verifier, {"RS256", "", "", ""}), std::runtime_error);
  }
}

TEST(PemTest, EcPrivatePemSignsAndPublicPemVerifies) {
  const testing::Pkey pkey = testing::generate_ec_pkey("P-256");
  for (const PemForm form : {PemForm::kPkcs8, PemForm::kTraditional}) {
    const std::string private_pem = pem_of(pkey.get(), form);
    const std::optional<Jwk> signer = Jwk::from_pem(private_pem);
    ASSERT_TRUE(signer.has_value()) << private_pem.substr(0, 40);
    EXPECT_EQ(signer->type(), KeyType::kEc);
    const std::string token = sign_compact(kClaims, *signer, {"ES256", "", "", ""});

    const std::optional<Jwk> verifier = Jwk::from_pem(pem_of(pkey.get(), PemForm::kPublic));
    ASSERT_TRUE(verifier.has_value());
    const VerifyResult verified = verify_compact(token, only(*verifier), {"ES256"});
    ASSERT_TRUE(verified) << to_string(verified.error);
    EXPECT_EQ(verified.value->payload, kClaims);
  }
}

TEST(PemTest, PrivateKeyFromPemMatchesItsPublicHalf) {
  // The private JWK built from the PEM must hold the same public numbers OpenSSL sees.
  for (const testing::Pkey& pkey : {testing::generate_rsa_pkey(), testing::generate_ec_pkey()}) {
    const std::optional<Jwk> from_private = Jwk::from_pem(pem_of(pkey.get(), PemForm::kPkcs8));
    const std::optional<Jwk> from_public = Jwk::from_pem(pem_of(pkey.get(), PemForm::kPublic));
    ASSERT_TRUE(from_private && from_public);
    EXPECT_EQ(*from_private->to_public_json(), *from_public->to_public_json());
  }
}

TEST(PemTest, PublicPemIsWhatOpenSslWrites) {
  for (const testing::Pkey& pkey : {testing::generate_rsa_pkey(), testing::generate_ec_pkey()}) {
    const std::string expected = pem_of(pkey.get(), PemForm::kPublic);
    const std::optional<Jwk> key = Jwk::from_pem(pem_of(pkey.get(), PemForm::kPkcs8));
    ASSERT_TRUE(key.has_value());
    EXPECT_EQ(key->to_public_pem(), std::optional<std::string>(expected));
  }
}

TEST(PemTest, GeneratedKeysRoundTripThroughPublicPem) {
  for (const Jwk& key : {Jwk::generate_rsa(), Jwk::generate_ec_p256()}) {
    const std::optional<std::string> pem = key.to_public_pem();
    ASSERT_TRUE(pem.has_value());
    EXPECT_EQ(pem->rfind("-----BEGIN PUBLIC KEY-----\n", 0), 0u) << *pem;
    const std::optional<Jwk> back = Jwk::from_pem(*pem);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back->to_public_json(), *key.to_public_json());
  }
}

TEST(PemTest, EncryptedPrivateKeyIsRefusedWithoutPrompting) {
  const testing::Pkey pkey = testing::generate_ec_pkey();
  const std::string pem = pem_of(pkey.get(), PemForm::kEncrypted);
  ASSERT_NE(pem.find("ENCRYPTED PRIVATE KEY"), std::string::npos);
  EXPECT_FALSE(Jwk::from_pem(pem).has_value());
}

TEST(PemTest, OtherCurvesAndKeyTypesAreRefused) {
  const testing::Pkey p384 = testing::generate_ec_pkey("P-384");
  EXPECT_FALSE(Jwk::from_pem(pem_of(p384.get(), PemForm::kPkcs8)).has_value());
  EXPECT_FALSE(Jwk::from_pem(pem_of(p384.get(), PemForm::kPublic)).has_value());
  const testing::Pkey ed25519 = testing::generate_ed25519_pkey();
  EXPECT_FALSE(Jwk::from_pem(pem_of(ed25519.get(), PemForm::kPkcs8)).has_value());
  EXPECT_FALSE(Jwk::from_pem(pem_of(ed25519.get(), PemForm::kPublic)).has_value());
}

TEST(PemTest, GarbageIsRefused) {
  const std::string good = pem_of(testing::generate_ec_pkey().get(), PemForm::kPublic);
  std::string corrupted = good;
  corrupted[40] = corrupted[40] == 'A' ? 'B' : 'A';
  std::string truncated = good.substr(0, good.size() / 2);
  for (const std::string& pem : {
           std::string(""),
           std::string("not a pem"),
           std::string("-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n"),
           std::string("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"),
           std::string("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"),
           corrupted,
           truncated,
           std::string(64 * 1024, 'A'),
       }) {
    EXPECT_FALSE(Jwk::from_pem(pem).has_value()) << pem.substr(0, 60);
  }
  EXPECT_TRUE(Jwk::from_pem(good).has_value());
}

}  // namespace
}  // namespace ssokit::jose
