// `ssokit-server rotate-keys`: new tokens use the new key, old tokens keep working, JWKS
// publishes the new encryption key, and nobody is logged out.
#include "api_test.hpp"
#include "jwt.hpp"
#include "json_text.hpp"

namespace ssokit::testing {
namespace {

using RotateKeysTest = ApiTest;

std::string kid_of(const std::string& token) {
  return as_json(jwt_header_json(token)).json("kid").value_or("");
}

TEST_F(RotateKeysTest, NewKeysSignAndOldTokensStillVerify) {
  const SignedIn before = sign_in("phone", "alice");
  const std::string jwks_before = call("GET", "/.well-known/jwks.json").body;
  ASSERT_EQ(server().terminate(), 0);

  const CommandResult rotated =
      run_server_command(with_store({"rotate-keys", "--data", data_dir(), "--purpose", "all"}, data_dir()));
  ASSERT_EQ(rotated.exit_code, 0) << rotated.err;
  // One line per purpose: "<purpose> <kid>".
  EXPECT_NE(rotated.out.find("service-token-hs256 service-token-hs256-"), std::string::npos) << rotated.out;
  EXPECT_NE(rotated.out.find("encryption-rsa encryption-rsa-"), std::string::npos) << rotated.out;

  restart_server();
  const SignedIn after = sign_in("tablet", "alice");
  EXPECT_NE(kid_of(after.service_token), kid_of(before.service_token));
  EXPECT_NE(rotated.out.find(kid_of(after.service_token)), std::string::npos) << "the new kid signs";

  // The token signed before the rotation still works, and refreshes.
  EXPECT_EQ(call("GET", "/api/demo/list", token_headers(before)).status, 200);
  EXPECT_EQ(call("GET", "/api/demo/serviceToken", {{"AD-Service-Token", before.service_token}}).status, 200);

  // JWKS keeps the old public keys and adds the new ones.
  const HttpResponse jwks_after = call("GET", "/.well-known/jwks.json");
  EXPECT_GT(jwks_after.body.size(), jwks_before.size());
  for (const std::string& kid : {std::string("encryption-rsa-"), std::string("software-statement-")}) {
    std::size_t count = 0;
    for (std::size_t at = jwks_after.body.find(kid); at != std::string::npos; at = jwks_after.body.find(kid, at + 1)) {
      ++count;
    }
    EXPECT_EQ(count, 2u) << kid;
  }
}

TEST_F(RotateKeysTest, APurposeIsRequired) {
  const CommandResult result = run_server_command({"rotate-keys", "--data", data_dir()});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("--purpose"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace ssokit::testing
