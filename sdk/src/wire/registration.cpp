#include <algorithm>
#include <cctype>

#include "time_limits.hpp"
#include "wire/json.hpp"
#include "wire/wire.hpp"

namespace ssokit::wire {
namespace {

constexpr std::string_view kRegistrationAnswer = "client registration answer";
constexpr std::string_view kTokenAnswer = "access token answer";

bool equals_ignoring_case(const std::string& a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

// RFC 7591: {"client_id","client_secret",...}; the rest (issue time, grant types, scopes) is
// not needed by the SDK.
Result<ClientCredentials> parse_registration(const std::string& body) {
  auto object = json::parse_object(body, kRegistrationAnswer);
  if (!object) return object.status();
  const json::Fields fields(object->get(), kRegistrationAnswer);
  auto client_id = fields.text({"client_id"});
  if (!client_id) return client_id.status();
  auto client_secret = fields.text({"client_secret"});
  if (!client_secret) return client_secret.status();
  return ClientCredentials{std::move(client_id).value(), std::move(client_secret).value()};
}

// RFC 6749 §5.1: {"access_token","token_type","expires_in",...}. `token_type` is compared
// case-insensitively and may be left out (the SDK sends Bearer either way); any other type
// is refused. `expires_in` (seconds) is required and capped at internal::kMaxLifetime: a
// longer lifetime changes nothing for the app (the token is renewed earlier, that is all).
Result<AccessToken> parse_access_token(const std::string& body) {
  auto object = json::parse_object(body, kTokenAnswer);
  if (!object) return object.status();
  const json::Fields fields(object->get(), kTokenAnswer);
  auto value = fields.header_value({"access_token"});
  if (!value) return value.status();
  auto token_type = fields.optional_text("token_type");
  if (!token_type) return token_type.status();
  if (!token_type->empty() && !equals_ignoring_case(*token_type, "bearer")) {
    return fields.error("token_type", "is not bearer");
  }
  auto expires_in = fields.count("expires_in");
  if (!expires_in) return expires_in.status();
  const std::chrono::seconds lifetime = std::min(
      std::chrono::seconds(*expires_in), std::chrono::duration_cast<std::chrono::seconds>(internal::kMaxLifetime));
  return AccessToken{std::move(value).value(), lifetime};
}

std::string registration_request_body(const std::string& software_statement) {
  json::Json body(cJSON_CreateObject());
  if (cJSON_AddStringToObject(body.get(), "software_statement", software_statement.c_str()) == nullptr) return {};
  return json::print(body.get());
}

}  // namespace ssokit::wire
