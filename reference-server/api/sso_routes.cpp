#include "api/form.hpp"
#include "api/responses.hpp"
#include "api/routes.hpp"
#include "http/ascii.hpp"

namespace ssokit::api {
namespace {

using server::ApiError;
using server::ErrorId;

http::Response token_response(int status, const server::IssuedServiceToken& token) {
  server::Json body = server::json_object();
  json_set(body.get(), "status", server::http_reason_constant(status));
  json_set(body.get(), "serviceToken", token.token);
  json_set(body.get(), "notBefore", token.not_before);
  json_set(body.get(), "notAfter", token.not_after);
  return json_response(status, body.get());
}

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
    auto token = services.sso.create_service_token(sso_request(services, context));
    if (!token) return context.fail(token.error());
    return token_response(201, *token);
  });

  router.add("GET", "/api/{sp}/serviceToken", Produces::kJson, [&services](RouteContext& context) {
    if (auto denied = authenticate_client(services, context)) return *denied;
    auto token = services.sso.refresh_service_token(sso_request(services, context));
    if (!token) return context.fail(token.error());
    return token_response(200, *token);
  });

  router.add("POST", "/api/{sp}/link", Produces::kJson, [&services](RouteContext& context) {
    if (auto denied = authenticate_client(services, context)) return *denied;
    auto code = services.sso.create_link_code(sso_request(services, context));
    if (!code) return context.fail(code.error());
    server::Json body = server::json_object();
    json_set(body.get(), "status", "CREATED");
    json_set(body.get(), "code", code->code);
    json_set(body.get(), "notBefore", code->not_before);
    json_set(body.get(), "notAfter", code->not_after);
    return json_response(201, body.get());
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
    server::Json body = server::json_object();
    server::Json map = server::json_object();
    for (const store::DeviceRecord& device : *devices) {
      // Metadata the device sent is kept; the list's own keys are derived and win.
      server::Json entry = server::json_parse(device.info_json);
      if (!entry || !cJSON_IsObject(entry.get())) entry = server::json_object();
      // The mapped keys replace their sources (primaryHardwareType -> deviceType, osName -> os).
      const auto take = [&](const char* from, const char* to) {
        const auto value = server::json_string(entry.get(), from);
        cJSON_DeleteItemFromObjectCaseSensitive(entry.get(), from);
        cJSON_DeleteItemFromObjectCaseSensitive(entry.get(), to);
        json_set(entry.get(), to, value.value_or(""));
      };
      take("primaryHardwareType", "deviceType");
      take("model", "model");
      take("osName", "os");
      take("osVersion", "osVersion");
      cJSON_DeleteItemFromObjectCaseSensitive(entry.get(), "lastSeen");
      json_set(entry.get(), "lastSeen", device.last_seen);
      cJSON_DeleteItemFromObjectCaseSensitive(entry.get(), "type");
      json_set(entry.get(), "type", device.type == store::DeviceType::kSso ? "sso" : "regular");
      json_set(map.get(), device.device_id.c_str(), std::move(entry));
    }
    json_set(body.get(), "devices", std::move(map));
    return json_response(200, body.get());
  });
}

}  // namespace ssokit::api
