#include "api/responses.hpp"
#include "api/routes.hpp"

namespace ssokit::api {

void add_ops_routes(Router& router, Services& services) {
  router.add("GET", "/.well-known/jwks.json", Produces::kJson, [&services](RouteContext&) {
    http::Response response;
    response.set_header("Content-Type", "application/json; charset=utf-8");
    // Public keys only; verifiers may cache them briefly, rotation adds keys before use.
    response.set_header("Cache-Control", "public, max-age=300");
    response.body = services.keys.jwks_json(services.config.service_token_alg == "ES256");
    return response;
  });

  router.add("GET", "/healthz", Produces::kJson, [&services](RouteContext& context) {
    bool store_ok = false;
    try {
      store_ok = services.store.ping();
    } catch (const std::exception&) {
      store_ok = false;
    }
    if (!store_ok) return context.fail(server::ApiError(server::ErrorId::kStoreUnavailable));
    server::Json body = server::json_object();
    json_set(body.get(), "status", "OK");
    json_set(body.get(), "store", "ok");
    return json_response(200, body.get());
  });

  router.add("GET", "/metrics", Produces::kAny, [&services](RouteContext&) {
    http::Response response;
    response.set_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    response.set_header("Cache-Control", "no-store");
    response.body = services.metrics.render();
    return response;
  });

  // The error catalog, where every helpUrl points (docs/errors.md is the same catalog).
  router.add("GET", "/docs/errors", Produces::kAny, [](RouteContext&) {
    std::string rows;
    std::string previous_code;
    for (const server::ErrorSpec& spec : server::error_catalog()) {
      // A code sent with two statuses gets two rows but one anchor, where helpUrl lands.
      const bool first = spec.code != previous_code;
      previous_code = spec.code;
      rows += (first ? "<tr id=\"" + std::string(spec.code) + "\">" : std::string("<tr>")) + "<td><code>" +
              spec.code + "</code></td><td>" + std::to_string(spec.http_status) + "</td><td><code>" + spec.action +
              "</code></td><td>" + spec.message + "</td></tr>";
    }
    http::Response response;
    response.set_header("Content-Type", "text/html; charset=utf-8");
    response.body =
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>ssokit error catalog</title></head><body>"
        "<h1>ssokit error catalog</h1><table><tr><th>code</th><th>status</th><th>action</th><th>message</th></tr>" +
        rows + "</table></body></html>";
    return response;
  });
}

}  // namespace ssokit::api
