#include "api/form.hpp"
#include "api/responses.hpp"
#include "api/routes.hpp"

namespace ssokit::api {
namespace {

using server::ApiError;
using server::ErrorId;

http::Response profiles_response(const std::vector<server::MvpdProfileView>& views) {
  server::Json body = server::json_object();
  server::Json profiles = server::json_object();
  for (const server::MvpdProfileView& view : views) {
    server::Json profile = server::json_object();
    json_set(profile.get(), "notBefore", view.record.not_before);
    json_set(profile.get(), "notAfter", view.record.not_after);
    json_set(profile.get(), "issuer", view.record.mvpd);
    json_set(profile.get(), "type", view.on_login_device ? "regular" : "serviceTokenSSO");
    server::Json attributes = server::json_object();
    server::Json user_id = server::json_object();
    json_set(user_id.get(), "value", view.record.user_id);
    json_set(user_id.get(), "state", "plain");
    json_set(attributes.get(), "userID", std::move(user_id));
    json_set(profile.get(), "attributes", std::move(attributes));
    json_set(profiles.get(), view.record.mvpd.c_str(), std::move(profile));
  }
  json_set(body.get(), "profiles", std::move(profiles));
  return json_response(200, body.get());
}

}  // namespace

void add_v2_routes(Router& router, Services& services) {
  router.add("POST", "/api/v2/{sp}/sessions", Produces::kJson, [&services](RouteContext& context) {
    if (auto denied = authenticate_client(services, context)) return *denied;
    const auto content_type = context.header("Content-Type");
    if (!content_type || media_type(*content_type) != "application/x-www-form-urlencoded") {
      return context.fail(ApiError(ErrorId::kMediaTypeUnsupported, "Content-Type must be application/x-www-form-urlencoded"));
    }
    const auto form = parse_form(context.request().body);
    if (!form) return context.fail(ApiError(ErrorId::kRequestInvalid, "The form body is malformed"));
    auto session = services.mvpd.start_session(
        sso_request(services, context),
        {form_value(*form, "mvpd"), form_value(*form, "domainName"), form_value(*form, "redirectUrl")});
    if (!session) return context.fail(session.error());
    server::Json body = server::json_object();
    json_set(body.get(), "actionName", session->already_authenticated ? "authorize" : "authenticate");
    json_set(body.get(), "actionType", session->already_authenticated ? "direct" : "interactive");
    json_set(body.get(), "reasonType", session->already_authenticated ? "authenticatedSSO" : "none");
    json_set(body.get(), "code", session->code);
    json_set(body.get(), "url", session->url);
    json_set(body.get(), "sessionId", session->session_id);
    json_set(body.get(), "mvpd", session->mvpd);
    json_set(body.get(), "serviceProvider", session->service_provider);
    json_set(body.get(), "notBefore", session->not_before);
    json_set(body.get(), "notAfter", session->not_after);
    return json_response(200, body.get());
  });

  router.add("GET", "/api/v2/{sp}/profiles/code/{code}", Produces::kJson, [&services](RouteContext& context) {
    if (auto denied = authenticate_client(services, context)) return *denied;
    auto views = services.mvpd.profiles_for_code(sso_request(services, context), context.param("code"));
    if (!views) return context.fail(views.error());
    return profiles_response(*views);
  });

  router.add("GET", "/api/v2/{sp}/profiles", Produces::kJson, [&services](RouteContext& context) {
    if (auto denied = authenticate_client(services, context)) return *denied;
    auto views = services.mvpd.profiles(sso_request(services, context));
    if (!views) return context.fail(views.error());
    return profiles_response(*views);
  });

  router.add("GET", "/api/v2/{sp}/logout/{mvpd}", Produces::kJson, [&services](RouteContext& context) {
    if (auto denied = authenticate_client(services, context)) return *denied;
    const std::string& mvpd = context.param("mvpd");
    auto removed = services.mvpd.logout(sso_request(services, context), mvpd);
    if (!removed) return context.fail(removed.error());
    server::Json body = server::json_object();
    server::Json logouts = server::json_object();
    server::Json entry = server::json_object();
    json_set(entry.get(), "actionName", *removed ? "complete" : "invalid");
    json_set(entry.get(), "actionType", "none");
    json_set(logouts.get(), mvpd.c_str(), std::move(entry));
    json_set(body.get(), "logouts", std::move(logouts));
    return json_response(200, body.get());
  });
}

}  // namespace ssokit::api
