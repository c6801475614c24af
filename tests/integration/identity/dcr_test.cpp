// Dynamic client registration (POST /o/client/register, /o/client/token) and the access
// tokens every /api/ call carries (SPEC §2 "Dynamic client registration", "Errors").
#include <chrono>
#include <thread>

#include "api_test.hpp"
#include "clock.hpp"
#include "jose/jwk.hpp"
#include "jose/jws.hpp"
#include "json_text.hpp"
#include "jwt.hpp"

namespace ssokit::testing {
namespace {

constexpr int kAccessTokenTtlSeconds = 7200;

class DcrTest : public ApiTest {
 protected:
  std::vector<std::string> extra_args() const override {
    return {"--access-token-ttl", std::to_string(kAccessTokenTtlSeconds)};
  }

  HttpResponse register_raw(const std::string& body, const std::string& content_type = "application/json") {
    return send({"POST", server().base_url() + "/o/client/register", {{"Content-Type", content_type}}, body});
  }
  HttpResponse register_statement(const std::string& statement) {
    return register_raw("{\"software_statement\":\"" + statement + "\"}");
  }
  HttpResponse token_form(const std::string& form, Headers extra = {}) {
    extra.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    return send({"POST", server().base_url() + "/o/client/token", extra, form});
  }
  // A call that must succeed with a working access token.
  HttpResponse sign_in_with(const std::string& token, const std::string& sp, const std::string& device) {
    return call("POST", "/api/" + sp + "/serviceToken",
                {{"Authorization", "Bearer " + token}, {"AP-Device-Identifier", fingerprint(device)},
                 {"X-SSO-ID", "user-" + device}});
  }
};

void expect_oauth_error(const HttpResponse& response, long status, const std::string& error) {
  EXPECT_EQ(response.status, status) << response.body;
  EXPECT_EQ(response.json("error"), error) << response.body;
  EXPECT_FALSE(response.json("error_description").value_or("").empty()) << response.body;
  EXPECT_FALSE(response.has_json("error.code")) << "OAuth errors are flat, not the /api/ envelope: " << response.body;
}

// ---------------------------------------------------------------------------------------
// POST /o/client/register

TEST_F(DcrTest, RegisterWithValidSoftwareStatementAnswers201WithClientCredentials) {
  const long long before = now_ms();
  const HttpResponse registered = register_statement(server().software_statement("demo"));
  const long long after = now_ms();
  ASSERT_EQ(registered.status, 201) << registered.body;
  EXPECT_FALSE(registered.json("client_id").value_or("").empty());
  EXPECT_FALSE(registered.json("client_secret").value_or("").empty());
  EXPECT_NE(registered.json("client_id"), registered.json("client_secret"));
  ASSERT_TRUE(json_number(registered.body, "client_id_issued_at").has_value()) << registered.body;
  // SPEC §2: times are milliseconds since the epoch.
  const long long issued_at = std::stoll(registered.json("client_id_issued_at").value_or("0"));
  EXPECT_GE(issued_at, before - 1000);
  EXPECT_LE(issued_at, after + 1000);
  EXPECT_EQ(registered.json_strings("grant_types"), std::vector<std::string>{"client_credentials"});
  EXPECT_EQ(registered.json_strings("scopes"), std::vector<std::string>{"api:client:v2"});
  EXPECT_EQ(registered.header("cache-control"), "no-store");
  EXPECT_NE(registered.header("content-type").find("application/json"), std::string::npos);
  EXPECT_FALSE(registered.has_json("error"));
}

TEST_F(DcrTest, EachRegistrationGetsItsOwnClient) {
  const std::string statement = server().software_statement("demo");
  const HttpResponse first = register_statement(statement);
  const HttpResponse second = register_statement(statement);
  ASSERT_EQ(first.status, 201) << first.body;
  ASSERT_EQ(second.status, 201) << second.body;
  EXPECT_NE(first.json("client_id"), second.json("client_id"));
  EXPECT_NE(first.json("client_secret"), second.json("client_secret"));
}

TEST_F(DcrTest, RegisterBodyNotJsonIsInvalidRequest) {
  expect_oauth_error(register_raw("software_statement=abc", "application/x-www-form-urlencoded"), 400,
                     "invalid_request");
  expect_oauth_error(register_raw("{not json"), 400, "invalid_request");
  expect_oauth_error(register_raw("[\"a\"]"), 400, "invalid_request");
}

TEST_F(DcrTest, RegisterWithoutSoftwareStatementIsInvalidRequest) {
  expect_oauth_error(register_raw("{}"), 400, "invalid_request");
  expect_oauth_error(register_raw("{\"software_statement\":\"\"}"), 400, "invalid_request");
  expect_oauth_error(register_raw("{\"redirect_uris\":[\"https://example.com\"]}"), 400, "invalid_request");
}

TEST_F(DcrTest, RegisterWithTamperedPayloadIsInvalidSoftwareStatement) {
  const std::string statement = server().software_statement("demo");
  const auto parts = jws_parts(statement);
  ASSERT_EQ(parts.size(), 3u);
  std::string payload = base64url_decode(parts[1]).value_or("");
  const auto at = payload.find("\"demo\"");
  ASSERT_NE(at, std::string::npos) << payload;
  payload.replace(at, 6, "\"other\"");
  const std::string tampered = parts[0] + "." + base64url(payload) + "." + parts[2];
  expect_oauth_error(register_statement(tampered), 400, "invalid_software_statement");

  // A flipped character of the signature too.
  std::string signature = parts[2];
  signature[5] = signature[5] == 'A' ? 'B' : 'A';
  expect_oauth_error(register_statement(parts[0] + "." + parts[1] + "." + signature), 400,
                     "invalid_software_statement");
  // The genuine one still works.
  EXPECT_EQ(register_statement(statement).status, 201);
}

TEST_F(DcrTest, RegisterWithStatementSignedByAnotherKeyIsInvalidSoftwareStatement) {
  const std::string statement = server().software_statement("demo");
  const HttpResponse header = as_json(jwt_header_json(statement));
  const HttpResponse claims = as_json(jwt_payload_json(statement));
  ASSERT_FALSE(claims.body.empty());
  const jose::Jwk foreign = jose::Jwk::generate_ec_p256();
  jose::SignOptions options;
  options.alg = "ES256";
  options.typ = "JWT";
  // Same kid as the server's key, same claims: only the key differs.
  options.kid = header.json("kid").value_or("");
  const std::string forged = jose::sign_compact(claims.body, foreign, options);
  expect_oauth_error(register_statement(forged), 400, "invalid_software_statement");

  options.kid = "someone-elses-key";
  expect_oauth_error(register_statement(jose::sign_compact(claims.body, foreign, options)), 400,
                     "invalid_software_statement");
}

TEST_F(DcrTest, RegisterWithAlgNoneIsInvalidSoftwareStatement) {
  const std::string statement = server().software_statement("demo");
  const HttpResponse header = as_json(jwt_header_json(statement));
  const HttpResponse claims = as_json(jwt_payload_json(statement));
  const std::string none_header =
      "{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"" + header.json("kid").value_or("") + "\"}";
  const std::string unsigned_token = base64url(none_header) + "." + base64url(claims.body) + ".";
  expect_oauth_error(register_statement(unsigned_token), 400, "invalid_software_statement");
  // The original signature glued to an alg-none header is no better.
  const auto parts = jws_parts(statement);
  expect_oauth_error(register_statement(base64url(none_header) + "." + parts.at(1) + "." + parts.at(2)), 400,
                     "invalid_software_statement");
}

TEST_F(DcrTest, RegisterWithGarbageStatementIsInvalidSoftwareStatement) {
  expect_oauth_error(register_statement("not-a-jwt"), 400, "invalid_software_statement");
}

// ---------------------------------------------------------------------------------------
// POST /o/client/token

TEST_F(DcrTest, TokenWithFormCredentialsAnswers201BearerToken) {
  const HttpResponse registered = register_statement(server().software_statement("demo"));
  ASSERT_EQ(registered.status, 201) << registered.body;
  const long long before = now_ms();
  const HttpResponse token = token_form(credentials_form(registered));
  const long long after = now_ms();
  ASSERT_EQ(token.status, 201) << token.body;
  const std::string access_token = token.json("access_token").value_or("");
  EXPECT_FALSE(access_token.empty());
  EXPECT_EQ(token.json("token_type"), "bearer");
  ASSERT_TRUE(json_number(token.body, "expires_in").has_value()) << token.body;
  EXPECT_EQ(token.json("expires_in"), std::to_string(kAccessTokenTtlSeconds));
  ASSERT_TRUE(json_number(token.body, "created_at").has_value()) << token.body;
  const long long created_at = std::stoll(token.json("created_at").value_or("0"));
  EXPECT_GE(created_at, before - 1000);
  EXPECT_LE(created_at, after + 1000);
  EXPECT_EQ(token.header("cache-control"), "no-store");
  EXPECT_FALSE(token.has_json("error"));

  EXPECT_EQ(sign_in_with(access_token, "demo", "phone").status, 201);
  // A second token for the same client is a different one, and both work.
  const HttpResponse again = token_form(credentials_form(registered));
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_NE(again.json("access_token"), token.json("access_token"));
  EXPECT_EQ(sign_in_with(again.json("access_token").value_or(""), "demo", "tv").status, 201);
  EXPECT_EQ(sign_in_with(access_token, "demo", "tablet").status, 201);
}

TEST_F(DcrTest, TokenAcceptsHttpBasicClientCredentials) {
  const HttpResponse registered = register_statement(server().software_statement("demo"));
  ASSERT_EQ(registered.status, 201) << registered.body;
  const std::string basic = base64(url_encode(registered.json("client_id").value_or("")) + ":" +
                                   url_encode(registered.json("client_secret").value_or("")));
  const HttpResponse token = token_form("grant_type=client_credentials", {{"Authorization", "Basic " + basic}});
  ASSERT_EQ(token.status, 201) << token.body;
  EXPECT_EQ(token.json("token_type"), "bearer");
  EXPECT_EQ(sign_in_with(token.json("access_token").value_or(""), "demo", "phone").status, 201);

  // Basic with a wrong secret is refused like the form.
  const std::string wrong = base64(url_encode(registered.json("client_id").value_or("")) + ":nope");
  expect_oauth_error(token_form("grant_type=client_credentials", {{"Authorization", "Basic " + wrong}}), 401,
                     "invalid_client");
}

TEST_F(DcrTest, WrongSecretAndUnknownClientAreTheSameInvalidClient) {
  const HttpResponse registered = register_statement(server().software_statement("demo"));
  ASSERT_EQ(registered.status, 201) << registered.body;
  const HttpResponse wrong_secret =
      token_form("grant_type=client_credentials&client_id=" + url_encode(registered.json("client_id").value_or("")) +
                 "&client_secret=wrong-secret");
  const HttpResponse unknown_client =
      token_form("grant_type=client_credentials&client_id=no-such-client&client_secret=wrong-secret");
  expect_oauth_error(wrong_secret, 401, "invalid_client");
  expect_oauth_error(unknown_client, 401, "invalid_client");
  // No oracle for client ids: the same description either way.
  EXPECT_EQ(wrong_secret.json("error_description"), unknown_client.json("error_description"));
  EXPECT_FALSE(wrong_secret.has_json("access_token"));
}

TEST_F(DcrTest, PasswordGrantIsUnsupportedGrantType) {
  const HttpResponse registered = register_statement(server().software_statement("demo"));
  ASSERT_EQ(registered.status, 201) << registered.body;
  const std::string form = "grant_type=password&client_id=" +
                           url_encode(registered.json("client_id").value_or("")) + "&client_secret=" +
                           url_encode(registered.json("client_secret").value_or("")) + "&username=a&password=b";
  expect_oauth_error(token_form(form), 400, "unsupported_grant_type");
}

TEST_F(DcrTest, TokenWithMissingFieldsIsInvalidRequest) {
  const HttpResponse registered = register_statement(server().software_statement("demo"));
  ASSERT_EQ(registered.status, 201) << registered.body;
  const std::string id = url_encode(registered.json("client_id").value_or(""));
  const std::string secret = url_encode(registered.json("client_secret").value_or(""));
  expect_oauth_error(token_form("client_id=" + id + "&client_secret=" + secret), 400, "invalid_request");
  expect_oauth_error(token_form("grant_type=client_credentials&client_secret=" + secret), 400, "invalid_request");
  expect_oauth_error(token_form("grant_type=client_credentials&client_id=" + id), 400, "invalid_request");
  expect_oauth_error(token_form(""), 400, "invalid_request");
}

TEST_F(DcrTest, TokenWithJsonBodyIsInvalidRequest) {
  const HttpResponse registered = register_statement(server().software_statement("demo"));
  ASSERT_EQ(registered.status, 201) << registered.body;
  const std::string json = "{\"grant_type\":\"client_credentials\",\"client_id\":\"" +
                           registered.json("client_id").value_or("") + "\",\"client_secret\":\"" +
                           registered.json("client_secret").value_or("") + "\"}";
  const HttpResponse response = send({"POST", server().base_url() + "/o/client/token",
                                      {{"Content-Type", "application/json"}}, json});
  expect_oauth_error(response, 400, "invalid_request");
  EXPECT_FALSE(response.has_json("access_token"));
}

// ---------------------------------------------------------------------------------------
// Access tokens on /api/

void expect_api_error(const HttpResponse& response, long status, const std::string& code,
                      const std::string& action) {
  EXPECT_EQ(response.status, status) << response.body;
  EXPECT_EQ(response.json("error.code"), code) << response.body;
  EXPECT_EQ(response.json("error.action"), action) << response.body;
  EXPECT_EQ(response.json("error.status"), std::to_string(status)) << response.body;
  EXPECT_FALSE(response.json("error.trace").value_or("").empty()) << response.body;
}

TEST_F(DcrTest, MissingOrMalformedAuthorizationIsInvalidAccessTokenClientApplication) {
  const Headers device = {{"AP-Device-Identifier", fingerprint("phone")}, {"X-SSO-ID", "alice"}};
  const HttpResponse missing = send({"POST", server().base_url() + "/api/demo/serviceToken", device, std::nullopt});
  expect_api_error(missing, 401, "invalid_access_token_client_application", "application-registration");
  EXPECT_EQ(missing.json("status"), "UNAUTHORIZED");

  Headers garbage = device;
  garbage.emplace_back("Authorization", "Bearer garbage");
  expect_api_error(call("POST", "/api/demo/serviceToken", garbage), 401, "invalid_access_token_client_application",
                   "application-registration");

  // The real access token under another scheme.
  Headers other_scheme = device;
  other_scheme.emplace_back("Authorization", "Token " + access_token());
  expect_api_error(call("POST", "/api/demo/serviceToken", other_scheme), 401,
                   "invalid_access_token_client_application", "application-registration");
  Headers basic = device;
  basic.emplace_back("Authorization", "Basic " + base64("a:b"));
  expect_api_error(call("POST", "/api/demo/serviceToken", basic), 401, "invalid_access_token_client_application",
                   "application-registration");
  Headers bare = device;
  bare.emplace_back("Authorization", "Bearer");
  expect_api_error(call("POST", "/api/demo/serviceToken", bare), 401, "invalid_access_token_client_application",
                   "application-registration");

  // Every /api/ route, not only serviceToken.
  const HttpResponse list = send({"GET", server().base_url() + "/api/demo/list",
                                  {{"AP-Device-Identifier", fingerprint("phone")}}, std::nullopt});
  expect_api_error(list, 401, "invalid_access_token_client_application", "application-registration");
  const HttpResponse v2 = send({"GET", server().base_url() + "/api/v2/demo/profiles",
                                {{"AP-Device-Identifier", fingerprint("phone")}}, std::nullopt});
  expect_api_error(v2, 401, "invalid_access_token_client_application", "application-registration");

  // And the genuine token is fine.
  EXPECT_EQ(call("POST", "/api/demo/serviceToken", device).status, 201);
}

TEST_F(DcrTest, TokenForAnotherServiceProviderIsInvalidAccessTokenServiceProvider) {
  const std::string other_token = new_access_token("other");
  ASSERT_FALSE(other_token.empty());
  const HttpResponse response = sign_in_with(other_token, "demo", "phone");
  expect_api_error(response, 401, "invalid_access_token_service_provider", "application-registration");
  // The same token works on its own service provider.
  EXPECT_EQ(sign_in_with(other_token, "other", "phone").status, 201);
  // And demo's token is refused on "other".
  expect_api_error(sign_in_with(access_token(), "other", "phone"), 401, "invalid_access_token_service_provider",
                   "application-registration");
}

TEST_F(DcrTest, UnknownServiceProviderWithValidTokenIsInvalidParameterServiceProvider) {
  const HttpResponse response = sign_in_with(access_token(), "no-such-sp", "phone");
  expect_api_error(response, 400, "invalid_parameter_service_provider", "none");
  EXPECT_EQ(response.json("status"), "BAD_REQUEST");
  const HttpResponse v2 = call("GET", "/api/v2/no-such-sp/profiles", {{"AP-Device-Identifier", fingerprint("phone")}});
  expect_api_error(v2, 400, "invalid_parameter_service_provider", "none");
}

TEST_F(DcrTest, ServiceProviderCreatedWhileServerRunsWorksAtOnce) {
  // Unknown before.
  expect_api_error(sign_in_with(access_token(), "fresh-sp", "phone"), 400, "invalid_parameter_service_provider",
                   "none");
  const std::string token = new_access_token("fresh-sp");  // runs `software-statement` on the live data folder
  ASSERT_FALSE(token.empty());
  const HttpResponse signed_in = sign_in_with(token, "fresh-sp", "phone");
  ASSERT_EQ(signed_in.status, 201) << signed_in.body;
  EXPECT_EQ(as_json(jwt_payload_json(signed_in.json("serviceToken").value_or(""))).json("aud"), "fresh-sp");
  // Now known: demo's token is refused for it as another provider's, not as unknown.
  expect_api_error(sign_in_with(access_token(), "fresh-sp", "tv"), 401, "invalid_access_token_service_provider",
                   "application-registration");
}

class ShortAccessTokenTest : public ApiTest {
 protected:
  std::vector<std::string> extra_args() const override { return {"--access-token-ttl", "1"}; }
};

TEST_F(ShortAccessTokenTest, ExpiredAccessTokenIsInvalidAccessTokenClientApplication) {
  const auto start = std::chrono::steady_clock::now();
  const std::string token = new_access_token("demo");
  const Headers headers = {{"Authorization", "Bearer " + token},
                           {"AP-Device-Identifier", fingerprint("phone")},
                           {"X-SSO-ID", "alice"}};
  const HttpResponse fresh = call("POST", "/api/demo/serviceToken", headers);
  // A positive control only when the machine was quick enough to stay inside the 1 s.
  if (std::chrono::steady_clock::now() - start < std::chrono::milliseconds(800)) {
    EXPECT_EQ(fresh.status, 201) << fresh.body;
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  const HttpResponse expired = call("POST", "/api/demo/serviceToken", headers);
  expect_api_error(expired, 401, "invalid_access_token_client_application", "application-registration");
}

}  // namespace
}  // namespace ssokit::testing
