// /api/{sp}/link and what SPEC §6 adds to it: a code's status, held until it changes (6.1),
// and the issuing device's approval (6.2).
#include "api/form.hpp"
#include "api/held_requests.hpp"
#include "api/responses.hpp"
#include "api/routes.hpp"

namespace ssokit::api {
namespace {

using server::ApiError;
using server::ErrorId;

// The optional body of POST link: {"approval":"required"|"optional"}. No body: optional.
server::Outcome<bool> approval_asked(RouteContext& context) {
  const std::string& body = context.request().body;
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) return false;
  const auto content_type = context.header("Content-Type");
  if (!content_type || media_type(*content_type) != "application/json") {
    return ApiError(ErrorId::kMediaTypeUnsupported);
  }
  const server::Json json = server::json_parse(body);
  if (!json || !cJSON_IsObject(json.get())) {
    return ApiError(ErrorId::kRequestInvalid, "The request body must be a JSON object");
  }
  const cJSON* approval = cJSON_GetObjectItemCaseSensitive(json.get(), "approval");
  if (approval == nullptr) return false;
  const std::string value = cJSON_IsString(approval) ? approval->valuestring : "";
  if (value != "required" && value != "optional") {
    return ApiError(ErrorId::kRequestInvalid, "approval must be \"required\" or \"optional\"");
  }
  return value == "required";
}

}  // namespace

void add_link_routes(Router& router, Services& services) {
  router.add("POST", "/api/{sp}/link", Produces::kJson, [&services](RouteContext& context) {
    if (auto denied = authenticate_client(services, context)) return *denied;
    const auto approval = approval_asked(context);
    if (!approval) return context.fail(approval.error());
    auto code = services.sso.create_link_code(sso_request(services, context), *approval);
    if (!code) return context.fail(code.error());
    server::Json body = server::json_object();
    json_set(body.get(), "status", "CREATED");
    json_set(body.get(), "code", code->code);
    json_set(body.get(), "notBefore", code->not_before);
    json_set(body.get(), "notAfter", code->not_after);
    json_set(body.get(), "approval", code->approval_required ? "required" : "optional");
    return json_response(201, body.get());
  });

  router.add("GET", "/api/{sp}/link/status", Produces::kJson, [&services](RouteContext& context) {
    if (auto denied = authenticate_client(services, context)) return *denied;
    const auto wait = wait_seconds(context);
    if (!wait) return context.fail(wait.error());
    const auto code = services.sso.code_of_caller(sso_request(services, context));
    if (!code) return context.fail(code.error());
    const auto view = services.sso.link_code_view(*code);
    if (!view) return context.fail(view.error());
    if (view->status != server::LinkCodeStatus::kWaiting || *wait == 0) return link_status_response(*view);
    return hold_link_status(services, context, *code, *view, *wait);
  });

  for (const bool approve : {true, false}) {
    router.add("POST", approve ? "/api/{sp}/link/approve" : "/api/{sp}/link/deny", Produces::kJson,
               [&services, approve](RouteContext& context) {
                 if (auto denied = authenticate_client(services, context)) return *denied;
                 const auto decided = services.sso.decide_link_code(sso_request(services, context), approve);
                 if (!decided) return context.fail(decided.error());
                 server::Json body = server::json_object();
                 json_set(body.get(), "status", "OK");
                 return json_response(200, body.get());
               });
  }
}

}  // namespace ssokit::api
