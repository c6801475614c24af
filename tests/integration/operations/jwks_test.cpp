// GET /.well-known/jwks.json: public keys only, the right ones, and the service-token key
// published only with --service-token-alg ES256.
#include <algorithm>
#include <set>

#include "api_test.hpp"
#include "json_text.hpp"
#include "jwt.hpp"

namespace ssokit::testing {
namespace {

struct Jwks {
  HttpResponse response;
  std::vector<std::string> keys;
};

Jwks fetch_jwks(const std::string& base_url) {
  Jwks jwks;
  jwks.response = send({"GET", base_url + "/.well-known/jwks.json", {}, std::nullopt});
  jwks.keys = jwks_keys(jwks.response.body);
  return jwks;
}

// The key of the JWKS whose kid is `kid`; "" when none.
std::string key_with_kid(const Jwks& jwks, const std::string& kid) {
  for (const std::string& key : jwks.keys) {
    if (json_string_member(key, "kid") == kid) return key;
  }
  return std::string();
}

std::size_t count_keys(const Jwks& jwks, const std::string& use, const std::string& alg) {
  return static_cast<std::size_t>(std::count_if(jwks.keys.begin(), jwks.keys.end(), [&](const std::string& key) {
    return json_string_member(key, "use") == use && json_string_member(key, "alg") == alg;
  }));
}

void expect_public_only(const Jwks& jwks) {
  static const std::set<std::string> kPrivate = {"d", "p", "q", "dp", "dq", "qi", "k", "oth"};
  for (const std::string& key : jwks.keys) {
    for (const std::string& member : as_json(key).json_keys("")) {
      EXPECT_EQ(kPrivate.count(member), 0u) << "private member '" << member << "' published: " << key;
    }
    EXPECT_NE(json_string_member(key, "kty"), "oct") << "symmetric key published: " << key;
    EXPECT_TRUE(json_string_member(key, "kid").has_value()) << "key without kid: " << key;
  }
}

using JwksTest = ApiTest;

TEST_F(JwksTest, PublishesSigningAndEncryptionKeysWithoutPrivateParts) {
  const Jwks jwks = fetch_jwks(server().base_url());
  ASSERT_EQ(jwks.response.status, 200) << jwks.response.body;
  EXPECT_EQ(jwks.response.header("content-type").rfind("application/json", 0), 0u)
      << jwks.response.header("content-type");
  ASSERT_FALSE(jwks.keys.empty()) << jwks.response.body;
  expect_public_only(jwks);

  // Software statements: an ES256 signing key on P-256, and the statement's kid is that key.
  const std::string statement = server().software_statement("demo");
  const std::string header = jwt_header_json(statement);
  EXPECT_EQ(json_string_member(header, "alg"), "ES256") << header;
  const std::string statement_key = key_with_kid(jwks, json_string_member(header, "kid").value_or("?"));
  ASSERT_FALSE(statement_key.empty()) << "software statement kid not in JWKS: " << header << "\n" << jwks.response.body;
  EXPECT_EQ(json_string_member(statement_key, "use"), "sig");
  EXPECT_EQ(json_string_member(statement_key, "kty"), "EC");
  EXPECT_EQ(json_string_member(statement_key, "alg"), "ES256");
  EXPECT_EQ(json_string_member(statement_key, "crv"), "P-256");

  // Encryption keys for platform JWE identity tokens: RSA-OAEP and ECDH-ES.
  bool rsa = false;
  bool ecdh = false;
  for (const std::string& key : jwks.keys) {
    if (json_string_member(key, "use") != "enc") continue;
    if (json_string_member(key, "alg") == "RSA-OAEP") {
      rsa = true;
      EXPECT_EQ(json_string_member(key, "kty"), "RSA") << key;
      EXPECT_TRUE(json_string_member(key, "n").has_value()) << key;
      EXPECT_TRUE(json_string_member(key, "e").has_value()) << key;
    }
    if (json_string_member(key, "alg") == "ECDH-ES") {
      ecdh = true;
      EXPECT_EQ(json_string_member(key, "kty"), "EC") << key;
      EXPECT_TRUE(json_string_member(key, "x").has_value()) << key;
      EXPECT_TRUE(json_string_member(key, "y").has_value()) << key;
    }
  }
  EXPECT_TRUE(rsa) << "no use=enc RSA-OAEP key: " << jwks.response.body;
  EXPECT_TRUE(ecdh) << "no use=enc ECDH-ES key: " << jwks.response.body;
}

TEST_F(JwksTest, DefaultHs256ServiceTokenKeyIsNotPublished) {
  const SignedIn phone = sign_in("jwks-phone", "jwks-user");
  const std::string header = jwt_header_json(phone.service_token);
  EXPECT_EQ(json_string_member(header, "alg"), "HS256") << header;
  const std::string kid = json_string_member(header, "kid").value_or("");
  ASSERT_FALSE(kid.empty()) << header;

  const Jwks jwks = fetch_jwks(server().base_url());
  ASSERT_EQ(jwks.response.status, 200);
  EXPECT_TRUE(key_with_kid(jwks, kid).empty()) << "HS256 service-token key " << kid << " is in the JWKS";
  // Only the software-statement key signs.
  EXPECT_EQ(count_keys(jwks, "sig", "ES256"), 1u) << jwks.response.body;
  EXPECT_EQ(count_keys(jwks, "sig", "HS256"), 0u) << jwks.response.body;
}

class Es256JwksTest : public ApiTest {
 protected:
  std::vector<std::string> extra_args() const override { return {"--service-token-alg", "ES256"}; }
};

TEST_F(Es256JwksTest, ServiceTokenKeyIsPublishedAndNamedByTheTokenKid) {
  const SignedIn phone = sign_in("jwks-es-phone", "jwks-es-user");
  const std::string header = jwt_header_json(phone.service_token);
  EXPECT_EQ(json_string_member(header, "alg"), "ES256") << header;
  const std::string kid = json_string_member(header, "kid").value_or("");
  ASSERT_FALSE(kid.empty()) << header;

  const Jwks jwks = fetch_jwks(server().base_url());
  ASSERT_EQ(jwks.response.status, 200);
  expect_public_only(jwks);
  // Software statements plus service tokens.
  EXPECT_EQ(count_keys(jwks, "sig", "ES256"), 2u) << jwks.response.body;
  const std::string key = key_with_kid(jwks, kid);
  ASSERT_FALSE(key.empty()) << "service token kid " << kid << " not in JWKS: " << jwks.response.body;
  EXPECT_EQ(json_string_member(key, "use"), "sig");
  EXPECT_EQ(json_string_member(key, "alg"), "ES256");
  EXPECT_EQ(json_string_member(key, "kty"), "EC");
  EXPECT_EQ(json_string_member(key, "crv"), "P-256");

  // The token is a working ES256 token for the server too.
  const HttpResponse list = call("GET", "/api/demo/list", token_headers(phone));
  EXPECT_EQ(list.status, 200) << list.body;
}

}  // namespace
}  // namespace ssokit::testing
