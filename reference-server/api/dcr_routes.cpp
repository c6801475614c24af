#include "api/form.hpp"
#include "api/responses.hpp"
#include "api/routes.hpp"
#include "core/base64.hpp"

namespace ssokit::api {
namespace {

http::Response fail(RouteContext& context, const server::OAuthError& error) {
  context.note_error_code(error.error);
  return oauth_error_response(error);
}

// RFC 6749 §2.3.1: client credentials may come as HTTP Basic instead of form fields.
void read_basic_credentials(const RouteContext& context, server::ClientCredentialsRequest& request) {
  const auto authorization = context.header("Authorization");
  if (!authorization || authorization->size() < 6) return;
  std::string scheme = authorization->substr(0, 6);
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "basic ") return;
  const auto decoded = server::base64_decode(authorization->substr(6));
  if (!decoded) return;
  const auto colon = decoded->find(':');
  if (colon == std::string::npos) return;
  auto id = percent_decode(decoded->substr(0, colon), true);
  auto secret = percent_decode(decoded->substr(colon + 1), true);
  if (id && request.client_id.empty()) request.client_id = *id;
  if (secret && request.client_secret.empty()) request.client_secret = *secret;
}

}  // namespace

void add_dcr_routes(Router& router, Services& services) {
  router.add("POST", "/o/client/register", Produces::kJson, [&services](RouteContext& context) {
    server::Json body = server::json_parse(context.request().body);
    if (!body || !cJSON_IsObject(body.get())) {
      return fail(context, {400, "invalid_request", "the body must be a JSON object"});
    }
    const auto statement = server::json_string(body.get(), "software_statement");
    if (!statement || statement->empty()) {
      return fail(context, {400, "invalid_request", "software_statement is required"});
    }
    auto registration = services.clients.register_client(*statement, client_address(services, context));
    if (!registration) return fail(context, registration.error());
    server::Json answer = server::json_object();
    json_set(answer.get(), "client_id", registration->client_id);
    json_set(answer.get(), "client_secret", registration->client_secret);
    json_set(answer.get(), "client_id_issued_at", registration->issued_at);
    server::Json grants = server::json_array();
    server::json_append(grants.get(), "client_credentials");
    json_set(answer.get(), "grant_types", std::move(grants));
    server::Json scopes = server::json_array();
    server::json_append(scopes.get(), "api:client:v2");
    json_set(answer.get(), "scopes", std::move(scopes));
    http::Response response = json_response(201, answer.get());
    response.set_header("Pragma", "no-cache");
    return response;
  });

  router.add("POST", "/o/client/token", Produces::kJson, [&services](RouteContext& context) {
    const auto content_type = context.header("Content-Type");
    if (!content_type || media_type(*content_type) != "application/x-www-form-urlencoded") {
      return fail(context, {400, "invalid_request", "the body must be application/x-www-form-urlencoded"});
    }
    const auto form = parse_form(context.request().body);
    if (!form) return fail(context, {400, "invalid_request", "the form body is malformed"});
    server::ClientCredentialsRequest request;
    request.grant_type = form_value(*form, "grant_type");
    request.client_id = form_value(*form, "client_id");
    request.client_secret = form_value(*form, "client_secret");
    read_basic_credentials(context, request);
    request.client_address = client_address(services, context);
    auto grant = services.clients.issue_access_token(request);
    if (!grant) return fail(context, grant.error());
    server::Json answer = server::json_object();
    json_set(answer.get(), "access_token", grant->access_token);
    json_set(answer.get(), "token_type", "bearer");
    json_set(answer.get(), "expires_in", grant->expires_in_seconds);
    json_set(answer.get(), "created_at", grant->created_at);
    http::Response response = json_response(201, answer.get());
    response.set_header("Pragma", "no-cache");
    return response;
  });
}

}  // namespace ssokit::api
