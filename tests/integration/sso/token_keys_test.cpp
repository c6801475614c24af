// SPEC §2: service tokens are HS256 by default; --service-token-alg ES256 publishes the key
// in JWKS; keys change by kid without logging anyone out. Plus the access-token checks
// every SSO route makes first (SPEC §2, dynamic client registration).
#include <string>

#include "json_text.hpp"
#include "jwt.hpp"
#include "sso_helpers.hpp"

namespace ssokit::testing::sso {
namespace {

class TokenKeysTest : public SsoTest {
 protected:
  std::vector<std::string> extra_args() const override {
    if (es256_) return {"--service-token-alg", "ES256"};
    return {};
  }
  bool es256_ = false;

  // The JWKS key objects' kids, with their "alg".
  std::vector<std::pair<std::string, std::string>> jwks_kids() {
    const HttpResponse jwks = send({"GET", server().base_url() + "/.well-known/jwks.json", {}, std::nullopt});
    EXPECT_EQ(jwks.status, 200);
    std::vector<std::pair<std::string, std::string>> kids;
    const std::string keys = jwks.json("keys").value_or("[]");
    // JWKs are flat objects: each {...} of the array is one key.
    std::size_t at = 0;
    while ((at = keys.find('{', at)) != std::string::npos) {
      const std::size_t end = keys.find('}', at);
      if (end == std::string::npos) break;
      const HttpResponse item = as_json(keys.substr(at, end - at + 1));
      kids.emplace_back(item.json("kid").value_or(""), item.json("alg").value_or(""));
      at = end + 1;
    }
    return kids;
  }
};

std::string kid_of(const std::string& token) { return as_json(jwt_header_json(token)).json("kid").value_or(""); }

TEST_F(TokenKeysTest, Hs256KeyIsNeverPublished) {
  const SignedIn phone = sign_in("phone", "alice");
  EXPECT_EQ(as_json(jwt_header_json(phone.service_token)).json("alg"), "HS256");
  for (const auto& [kid, alg] : jwks_kids()) {
    EXPECT_NE(kid, kid_of(phone.service_token)) << "the HMAC key is in JWKS";
    EXPECT_NE(alg, "HS256");
  }
}

TEST_F(TokenKeysTest, SwitchingToEs256PublishesTheKeyAndLogsNobodyOut) {
  const SignedIn phone = sign_in("phone", "alice");
  const std::string code_before = create_link_code(phone);

  es256_ = true;
  restart_server();
  // The HS256 token from before the switch still works and still refreshes.
  EXPECT_EQ(list(phone).status, 200);
  const HttpResponse refreshed = refresh(phone);
  ASSERT_EQ(refreshed.status, 200) << refreshed.body;
  const std::string new_token = refreshed.json("serviceToken").value_or("");
  EXPECT_EQ(as_json(jwt_header_json(new_token)).json("alg"), "ES256");
  // The code made before the restart survives it.
  EXPECT_EQ(redeem("tv", code_before).status, 201);

  // New tokens are ES256, their kid is in JWKS, and they work.
  const SignedIn tablet = sign_in("tablet", "alice");
  EXPECT_EQ(as_json(jwt_header_json(tablet.service_token)).json("alg"), "ES256");
  bool published = false;
  for (const auto& [kid, alg] : jwks_kids()) published |= kid == kid_of(tablet.service_token);
  EXPECT_TRUE(published) << "ES256 service-token key not in JWKS";
  EXPECT_EQ(list(tablet).json_keys("devices").size(), 3u);

  // ES256 tokens are checked like HS256 ones: altered payload is header_invalid.
  const auto parts = jws_parts(tablet.service_token);
  ASSERT_EQ(parts.size(), 3u);
  std::string payload = jwt_payload_json(tablet.service_token);
  const std::string audience = "\"aud\":\"demo\"";
  ASSERT_NE(payload.find(audience), std::string::npos) << payload;
  payload.replace(payload.find(audience), audience.size(), "\"aud\":\"demx\"");
  expect_error(list({tablet.device_id, parts[0] + "." + base64url(payload) + "." + parts[2]}), 401, "header_invalid",
               "get_new_token");
}

using AccessTokenTest = SsoTest;

TEST_F(AccessTokenTest, SsoRoutesCheckTheAccessTokenFirst) {
  const SignedIn phone = sign_in("phone", "alice");
  const std::vector<std::pair<std::string, std::string>> routes = {
      {"POST", "serviceToken"}, {"GET", "serviceToken"}, {"POST", "link"}, {"POST", "unlink"}, {"GET", "list"}};
  new_access_token("other");  // "other" exists; the demo client may not use it
  for (const auto& [method, route] : routes) {
    SCOPED_TRACE(method + " " + route);
    Headers headers = token_headers(phone);
    headers.emplace_back("X-SSO-ID", "alice");
    headers.emplace_back("Content-Type", "application/json");
    const std::string body = devices_body({phone.device_id});
    const std::optional<std::string> maybe_body = method == "POST" ? std::optional<std::string>(body) : std::nullopt;

    Headers none = headers;
    none.emplace_back("Authorization", "");
    expect_error(call(method, path(route), none, maybe_body), 401, "invalid_access_token_client_application",
                 "application-registration");
    Headers unknown = headers;
    unknown.emplace_back("Authorization", "Bearer not-an-access-token");
    expect_error(call(method, path(route), unknown, maybe_body), 401, "invalid_access_token_client_application",
                 "application-registration");
    expect_error(call(method, "/api/other/" + route, headers, maybe_body), 401,
                 "invalid_access_token_service_provider", "application-registration");
    expect_error(call(method, "/api/no-such-sp/" + route, headers, maybe_body), 400,
                 "invalid_parameter_service_provider", "none");
  }
}

}  // namespace
}  // namespace ssokit::testing::sso
