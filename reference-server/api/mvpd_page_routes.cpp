#include "api/form.hpp"
#include "api/responses.hpp"
#include "api/routes.hpp"

namespace ssokit::api {
namespace {

std::string html_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

http::Response html(int status, const std::string& title, const std::string& body_html) {
  http::Response response;
  response.status = status;
  response.set_header("Content-Type", "text/html; charset=utf-8");
  response.set_header("Cache-Control", "no-store");
  // The page is ours alone: no scripts, no framing by others.
  response.set_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
  response.set_header("X-Frame-Options", "DENY");
  response.body = "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + html_escape(title) +
                  "</title><style>body{font-family:sans-serif;max-width:28em;margin:3em auto}"
                  "label,input,button{display:block;margin:.4em 0}</style></head><body>" +
                  body_html + "</body></html>";
  return response;
}

http::Response error_page(RouteContext& context, const server::ApiError& error) {
  context.note_error_code(error.code());
  return html(error.http_status(), "Sign-in failed",
              "<h1>Sign-in failed</h1><p>" + html_escape(error.message) + "</p><p><small>" + error.code() +
                  " &middot; trace " + context.trace() + "</small></p>");
}

http::Response form_page(const server::MvpdLoginPage& page, const std::string& message) {
  return html(200, "Sign in to " + page.mvpd,
              "<h1>" + html_escape(page.mvpd) + "</h1><p>Sign in to watch on " + html_escape(page.service_provider) +
                  " (mock MVPD of the ssokit reference server).</p>" + message +
                  "<form method=\"post\"><label>User <input name=\"user\" autocomplete=\"username\"></label>"
                  "<label>Password <input name=\"password\" type=\"password\" autocomplete=\"current-password\">"
                  "</label><button type=\"submit\">Sign in</button></form>");
}

}  // namespace

void add_mvpd_page_routes(Router& router, Services& services) {
  router.add("GET", "/mvpd/login/{code}", Produces::kAny, [&services](RouteContext& context) {
    auto page = services.mvpd.login_page(context.param("code"));
    if (!page) return error_page(context, page.error());
    return form_page(*page, "");
  });

  router.add("POST", "/mvpd/login/{code}", Produces::kAny, [&services](RouteContext& context) {
    const auto form = parse_form(context.request().body);
    if (!form) return error_page(context, server::ApiError(server::ErrorId::kRequestInvalid, "The form is malformed"));
    auto profile = services.mvpd.login(context.param("code"), form_value(*form, "user"), form_value(*form, "password"));
    if (!profile) return error_page(context, profile.error());
    return html(200, "Signed in",
                "<h1>You are signed in</h1><p>" + html_escape(profile->mvpd) +
                    " is now available on every device of this account. You can close this page.</p>");
  });
}

}  // namespace ssokit::api
