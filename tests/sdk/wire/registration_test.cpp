#include <cjson/cJSON.h>
#include <gtest/gtest.h>

#include "wire/json.hpp"
#include "wire_test_support.hpp"

namespace ssokit::wire {
namespace {

TEST(ParseRegistration, ReadsTheReferenceServersAnswer) {
  const auto client = parse_registration(
      R"({"client_id":"4b60_YaBc--V25ckybP3n-pi","client_secret":"OfjhjL-D3wClBPl85AISmvZQBNm9raeXAG-Lzdn6ZK4",)"
      R"("client_id_issued_at":1795409750297,"grant_types":["client_credentials"],"scopes":["api:client:v2"]})");
  ASSERT_TRUE(client.ok()) << client.status().message();
  EXPECT_EQ(client->client_id, "4b60_YaBc--V25ckybP3n-pi");
  EXPECT_EQ(client->client_secret, "OfjhjL-D3wClBPl85AISmvZQBNm9raeXAG-Lzdn6ZK4");
}

TEST(ParseRegistration, RefusesMissingOrEmptyCredentials) {
  struct Case {
    const char* body;
    const char* message;
  };
  const Case cases[] = {
      {R"({"client_secret":"s"})", "bad client registration answer: client_id is missing"},
      {R"({"client_id":"i"})", "bad client registration answer: client_secret is missing"},
      {R"({"client_id":"","client_secret":"s"})", "bad client registration answer: client_id is empty"},
      {R"({"client_id":"i","client_secret":7})", "bad client registration answer: client_secret is not a string"},
  };
  for (const Case& c : cases) {
    const auto client = parse_registration(c.body);
    ASSERT_FALSE(client.ok()) << c.body;
    EXPECT_EQ(client.status().code(), ErrorCode::kBadResponse);
    EXPECT_EQ(client.status().message(), c.message);
  }
}

TEST(RegistrationRequestBody, CarriesTheSoftwareStatement) {
  const std::string statement = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJzc29raXQtc2VydmVyIn0.c2ln";
  EXPECT_EQ(registration_request_body(statement), R"({"software_statement":")" + statement + R"("})");
  const json::Json body = json::parse(registration_request_body("quote\" and \\"));
  ASSERT_TRUE(body);
  EXPECT_STREQ(cJSON_GetObjectItemCaseSensitive(body.get(), "software_statement")->valuestring, "quote\" and \\");
}

TEST(ParseAccessToken, ReadsTheReferenceServersAnswer) {
  const auto token = parse_access_token(
      R"({"access_token":"bR9_G9agxmfUOnERqbT8tcftAeWW2LAfZ5pYej8jvwE","token_type":"bearer","expires_in":86400,"created_at":1795409755368})");
  ASSERT_TRUE(token.ok()) << token.status().message();
  EXPECT_EQ(token->value, "bR9_G9agxmfUOnERqbT8tcftAeWW2LAfZ5pYej8jvwE");
  EXPECT_EQ(token->expires_in, std::chrono::seconds(86400));
}

TEST(ParseAccessToken, TokenTypeIsCaseInsensitiveAndOptional) {
  for (const char* body :
       {R"({"access_token":"t","token_type":"Bearer","expires_in":60})",
        R"({"access_token":"t","token_type":"BEARER","expires_in":60})", R"({"access_token":"t","expires_in":60})",
        R"({"access_token":"t","token_type":null,"expires_in":60})"}) {
    const auto token = parse_access_token(body);
    ASSERT_TRUE(token.ok()) << body << ": " << token.status().message();
    EXPECT_EQ(token->expires_in, std::chrono::seconds(60));
  }
}

TEST(ParseAccessToken, AZeroLifetimeIsKept) {
  const auto token = parse_access_token(R"({"access_token":"t","expires_in":0})");
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(token->expires_in.count(), 0);
}

TEST(ParseAccessToken, CapsAHugeLifetimeAtOneYear) {
  for (const char* lifetime : {"31536001", "9007199254740992"}) {
    const auto token = parse_access_token(std::string(R"({"access_token":"t","expires_in":)") + lifetime + "}");
    ASSERT_TRUE(token.ok()) << lifetime;
    EXPECT_EQ(token->expires_in, std::chrono::hours(24 * 365)) << lifetime;
  }
}

TEST(ParseAccessToken, RefusesWhatItCannotUse) {
  struct Case {
    const char* body;
    const char* message;
  };
  const Case cases[] = {
      {R"({"token_type":"bearer","expires_in":60})", "bad access token answer: access_token is missing"},
      {R"({"access_token":"","expires_in":60})", "bad access token answer: access_token is empty"},
      {R"({"access_token":"a b","expires_in":60})",
       "bad access token answer: access_token has characters a header cannot carry"},
      {R"({"access_token":"t","token_type":"mac","expires_in":60})",
       "bad access token answer: token_type is not bearer"},
      {R"({"access_token":"t","token_type":1,"expires_in":60})", "bad access token answer: token_type is not a string"},
      {R"({"access_token":"t"})", "bad access token answer: expires_in is missing"},
      {R"({"access_token":"t","expires_in":-1})",
       "bad access token answer: expires_in is not a whole number in 0..2^53"},
      {R"({"access_token":"t","expires_in":1.5})",
       "bad access token answer: expires_in is not a whole number in 0..2^53"},
      {R"({"access_token":"t","expires_in":"60"})",
       "bad access token answer: expires_in is not a whole number in 0..2^53"},
      {R"({"access_token":"t","expires_in":1e400})",
       "bad access token answer: expires_in is not a whole number in 0..2^53"},
  };
  for (const Case& c : cases) {
    const auto token = parse_access_token(c.body);
    ASSERT_FALSE(token.ok()) << c.body;
    EXPECT_EQ(token.status().code(), ErrorCode::kBadResponse);
    EXPECT_EQ(token.status().message(), c.message);
  }
}

}  // namespace
}  // namespace ssokit::wire
