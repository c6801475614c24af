#include "api/device_entry.hpp"
#include "api/form.hpp"
#include "api/held_requests.hpp"
#include "api/responses.hpp"
#include "api/routes.hpp"
#include "http/ascii.hpp"

namespace ssokit::api {
namespace {

using server::ApiError;
using server::ErrorId;

// The unlink body: {"devices":[ids]}. Empty body and JSON null are request_null.
server::Outcome<std::vector<std::string>> parse_unlink_body(const std::string& body) {
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) {
    return ApiError(ErrorId::kRequestNull, "Request object cannot be null");
  }
  server::Json json = server::json_parse(body);
  if (!json) return ApiError(ErrorId::kRequestInvalid, "The request body is not JSON");
  if (cJSON_IsNull(json.get())) return ApiError(ErrorId::kRequestNull, "Request object cannot be null");
  if (!cJSON_IsObject(json.get())) return ApiError(ErrorId::kRequestInvalid, "The request body must be a JSON object");
  const cJSON* devices = cJSON_GetObjectItemCaseSensitive(json.get(), "devices");
  if (!cJSON_IsArray(devices) || cJSON_GetArraySize(devices) == 0) {
    return ApiError(ErrorId::kRequestInvalid, "The list of devices cannot be null or empty");
  }
  std::vector<std::string> ids;
  const cJSON* item = nullptr;
  cJSON_ArrayForEach(item, devices) {
    if (!cJSON_IsString(item)) return ApiError(ErrorId::kRequestInvalid, "devices must be an array of strings");
    ids.emplace_back(item->valuestring);
  }
  return ids;
}

}  // namespace

std::optional<http::Response> authenticate_client(Services& services, RouteContext& context) {
  auto client = services.clients.authenticate(context.header("Authorization"), context.param("sp"));
  if (!client) return context.fail(client.error());
  return std::nullopt;
}

std::string client_address(const Services& services, const RouteContext& context) {
  std::vector<std::string_view> forwarded_for;
  for (const http::Header& header : context.request().headers) {
    if (http::iequals(header.name, "X-Forwarded-For")) forwarded_for.emplace_back(header.value);
  }
  return services.addresses.limit_key(context.request().remote_address, forwarded_for);
}

server::SsoRequest sso_request(const Services& services, const RouteContext& context) {
  server::SsoRequest request;
  request.sp = context.param("sp");
  request.device_identifier = context.header("AP-Device-Identifier");
  request.device_info = context.header("X-Device-Info");
  request.sso_id = context.header("X-SSO-ID");
  request.sso_link = context.header("X-SSO-LINK");
  request.platform_token = context.header("X-Roku-Reserved-Roku-Connect-Token");
  request.service_token = context.header("AD-Service-Token");
  request.user_agent = context.header("User-Agent");
  request.client_address = client_address(services, context);
  return request;
}

void add_sso_routes(Router& router, Services& services) {
  router.add("POST", "/api/{sp}/serviceToken", Produces::kJson, [&services](RouteContext& context) {
    if (auto denied = authenticate_client(services, context)) return *denied;
    const auto wait = wait_seconds(context);
    if (!wait) return context.fail(wait.error());
    const server::SsoRequest request = sso_request(services, context);
    auto grant = services.sso.create_service_token(request);
    if (!grant) return context.fail(grant.error());
    if (grant->token) return token_response(201, *grant->token);
    // A code that needs its issuing device's approval (SPEC §6.2): 202, or held until decided.
    if (*wait == 0) return awaiting_approval_response(*grant->awaiting);
    return hold_redemption(services, context, request, *grant->awaiting, *wait);
  });

  router.add("GET", "/api/{sp}/serviceToken", Produces::kJson, [&services](RouteContext& context) {
    if (auto denied = authenticate_client(services, context)) return *denied;
    auto token = services.sso.refresh_service_token(sso_request(services, context));
    if (!token) return context.fail(token.error());
    return token_response(200, *token);
  });

  router.add("POST", "/api/{sp}/unlink", Produces::kJson, [&services](RouteContext& context) {
    if (auto denied = authenticate_client(services, context)) return *denied;
    const auto content_type = context.header("Content-Type");
    if (!content_type || media_type(*content_type) != "application/json") {
      return context.fail(ApiError(ErrorId::kMediaTypeUnsupported));
    }
    auto ids = parse_unlink_body(context.request().body);
    if (!ids) return context.fail(ids.error());
    auto unlinked = services.sso.unlink(sso_request(services, context), *ids);
    if (!unlinked) return context.fail(unlinked.error());
    server::Json body = server::json_object();
    json_set(body.get(), "status", "OK");
    server::Json list = server::json_array();
    for (const std::string& id : *unlinked) server::json_append(list.get(), id);
    json_set(body.get(), "unlinkedDevices", std::move(list));
    return json_response(200, body.get());
  });

  router.add("GET", "/api/{sp}/list", Produces::kJson, [&services](RouteContext& context) {
    if (auto denied = authenticate_client(services, context)) return *denied;
    auto devices = services.sso.list_devices(sso_request(services, context));
    if (!devices) return context.fail(devices.error());
    return json_response(200, device_list_body(*devices));
  });
}

}  // namespace ssokit::api
