#include "api/responses.hpp"

#include <utility>

namespace ssokit::api {

http::Response json_response(int status, const cJSON* body) { return json_response(status, server::json_print(body)); }

http::Response json_response(int status, std::string json_text) {
  http::Response response;
  response.status = status;
  response.set_header("Content-Type", "application/json; charset=utf-8");
  response.set_header("Cache-Control", "no-store");
  response.body = std::move(json_text);
  return response;
}

std::string help_url(const std::string& public_url, const char* code) {
  return public_url + "/docs/errors#" + code;
}

http::Response error_response(const server::ApiError& error, const std::string& trace,
                              const std::string& public_url) {
  return error_response(error, error.http_status(), trace, public_url);
}

http::Response error_response(const server::ApiError& error, int http_status, const std::string& trace,
                              const std::string& public_url) {
  server::Json body = server::json_object();
  json_set(body.get(), "status", server::http_reason_constant(http_status));
  server::Json detail = server::json_object();
  json_set(detail.get(), "status", static_cast<std::int64_t>(http_status));
  json_set(detail.get(), "code", error.code());
  json_set(detail.get(), "message", error.message);
  json_set(detail.get(), "action", error.action());
  json_set(detail.get(), "helpUrl", help_url(public_url, error.code()));
  json_set(detail.get(), "trace", trace);
  json_set(body.get(), "error", std::move(detail));
  http::Response response = json_response(http_status, body.get());
  if (http_status == 429 || (http_status == 503 && error.retry_after_seconds > 0)) {
    response.set_header("Retry-After", std::to_string(std::max<std::int64_t>(1, error.retry_after_seconds)));
  }
  return response;
}

http::Response oauth_error_response(const server::OAuthError& error) {
  server::Json body = server::json_object();
  json_set(body.get(), "error", error.error);
  json_set(body.get(), "error_description", error.description);
  http::Response response = json_response(error.http_status, body.get());
  response.set_header("Pragma", "no-cache");
  if (error.http_status == 401) response.set_header("WWW-Authenticate", "Basic realm=\"ssokit\"");
  if (error.http_status == 429) {
    response.set_header("Retry-After", std::to_string(std::max<std::int64_t>(1, error.retry_after_seconds)));
  }
  return response;
}

}  // namespace ssokit::api
