#pragma once
// Routing by path pattern ("/api/{sp}/serviceToken") and method, plus what every request
// gets whatever its route: a trace id, 404/405/406 and size-limit answers in the error
// envelope, 500 for anything thrown, one JSON log line and the request metrics.
#include <chrono>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/metrics.hpp"
#include "api/request_interceptor.hpp"
#include "api/request_log.hpp"
#include "core/api_error.hpp"
#include "core/random.hpp"
#include "http/message.hpp"

namespace ssokit::api {

class RouteContext {
 public:
  RouteContext(const http::Request& request, std::map<std::string, std::string> params, std::string trace,
               const std::string& public_url)
      : request_(request), params_(std::move(params)), trace_(std::move(trace)), public_url_(public_url) {}

  const http::Request& request() const { return request_; }
  const std::string& param(const std::string& name) const { return params_.at(name); }
  const std::map<std::string, std::string>& params() const { return params_; }
  const std::string& public_url() const { return public_url_; }
  std::optional<std::string> header(std::string_view name) const;
  const std::string& trace() const { return trace_; }

  // The error envelope for `error`; remembers the code for the log line.
  http::Response fail(const server::ApiError& error);
  const std::string& error_code() const { return error_code_; }
  void note_error_code(std::string code) { error_code_ = std::move(code); }  // for OAuth and HTML errors

 private:
  const http::Request& request_;
  std::map<std::string, std::string> params_;
  std::string trace_;
  const std::string& public_url_;
  std::string error_code_;
};

using RouteHandler = std::function<http::Response(RouteContext&)>;

enum class Produces {
  kJson,  // Accept must admit application/json (else 406)
  kAny,   // HTML or text: no Accept check
};

class Router {
 public:
  Router(Logger& logger, Metrics& metrics, server::Random& random, std::string public_url);

  void add(const std::string& method, const std::string& pattern, Produces produces, RouteHandler handler);
  // Whether add() was called with this method and pattern.
  bool has_route(const std::string& method, const std::string& pattern) const;
  // serve --test-control: every request passes through `interceptor` (set before serving;
  // nullptr, the default, for none).
  void set_interceptor(RequestInterceptor* interceptor) { interceptor_ = interceptor; }
  http::Response handle(const http::Request& request);

 private:
  struct Route {
    std::string pattern;
    std::vector<std::string> segments;
    Produces produces = Produces::kJson;
    std::map<std::string, RouteHandler> handlers;  // by method
  };
  const Route* match(const std::vector<std::string>& segments, std::map<std::string, std::string>& params) const;
  http::Response dispatch(const http::Request& request, std::string& route_label, std::string& error_code,
                          const std::string& trace);
  // `run`'s answer, or the answer for what it threw: 503 store_unavailable or 500, logged.
  http::Response guarded(const std::function<http::Response()>& run, const std::string& route_label,
                         std::string& error_code, const std::string& trace);
  class InterceptedHandler;
  // What the log line and metrics of one answer need, kept past the request for held ones.
  struct Answered {
    std::string method;
    std::string route_label;
    std::string trace;
    std::string error_code;
    std::chrono::steady_clock::time_point started;
    // For the interceptor only (copied when one is set): what it records of the request.
    std::string path;
    std::vector<http::Header> headers;
  };
  void finish(http::Response& response, const Answered& answered);
  static std::string error_code_of(const http::Response& response);

  Logger& logger_;
  Metrics& metrics_;
  server::Random& random_;
  std::string public_url_;
  std::vector<Route> routes_;
  RequestInterceptor* interceptor_ = nullptr;
};

// The answer to a failure thrown while serving a request, logged with its trace and route:
// 503 store_unavailable with Retry-After when the store cannot be reached, else 500
// internal_error. `error_code` (when given) gets the envelope's code. The router uses it for
// every route; held answers (held_requests.hpp), which complete outside it, too.
http::Response failure_response(Logger& logger, const std::exception& failure, const std::string& trace,
                                const std::string& route_label, const std::string& public_url,
                                std::string* error_code = nullptr);

// The trace id of the request this thread is serving ("" outside a request), so core
// events can be logged with it.
const std::string& current_trace();

}  // namespace ssokit::api
