#include "api/router.hpp"

#include <chrono>
#include <exception>

#include "api/form.hpp"
#include "api/responses.hpp"
#include "store/store.hpp"

namespace ssokit::api {
namespace {

thread_local std::string t_current_trace;

// What a 503 store_unavailable asks the client to wait: a database restart takes seconds.
constexpr std::int64_t kStoreRetryAfterSeconds = 2;

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> segments;
  std::size_t start = 1;  // paths start with '/'
  while (start <= path.size()) {
    const auto slash = path.find('/', start);
    const auto end = slash == std::string::npos ? path.size() : slash;
    segments.push_back(path.substr(start, end - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return segments;
}

bool is_param(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

const std::string& current_trace() { return t_current_trace; }

http::Response failure_response(Logger& logger, const std::exception& failure, const std::string& trace,
                                const std::string& route_label, const std::string& public_url,
                                std::string* error_code) {
  const bool unavailable = dynamic_cast<const store::StoreUnavailable*>(&failure) != nullptr;
  // The database does not answer now: the client retries later (SPEC §4). Anything else (a
  // store error, something unexpected): the log has what happened, the answer the trace.
  logger.log(unavailable ? LogLevel::kWarn : LogLevel::kError, unavailable ? "store unavailable" : "request failed",
             {field("trace", trace), field("route", route_label), field("error", failure.what())});
  const server::ApiError error = unavailable
                                     ? server::ApiError(server::ErrorId::kStoreUnavailable, {}, kStoreRetryAfterSeconds)
                                     : server::ApiError(server::ErrorId::kInternalError);
  if (error_code != nullptr) *error_code = error.code();
  return error_response(error, trace, public_url);
}

std::optional<std::string> RouteContext::header(std::string_view name) const {
  const std::string* value = request_.header(name);
  if (value == nullptr) return std::nullopt;
  return *value;
}

// A matched route's handler as the interceptor gets it (serve --test-control, SPEC §6.4).
class Router::InterceptedHandler final : public PendingHandler {
 public:
  InterceptedHandler(Router& router, const RouteHandler& handler, RouteContext& context, const std::string& route_label)
      : router_(router), handler_(handler), context_(context), route_label_(route_label) {}

  http::Response run() override { return handler_(context_); }

  std::function<http::Response()> deferred() override {
    // Routes are fixed once serving starts, so the handler and the router outlive the call.
    return [&router = router_, &handler = handler_, request = std::make_shared<const http::Request>(context_.request()),
            params = context_.params(), trace = context_.trace(), route_label = route_label_]() {
      t_current_trace = trace;
      std::string error_code;  // unused: a held answer's code is read from its body
      http::Response response = router.guarded(
          [&] {
            RouteContext context(*request, params, trace, router.public_url_);
            return handler(context);
          },
          route_label, error_code, trace);
      t_current_trace.clear();
      return response;
    };
  }

 private:
  Router& router_;
  const RouteHandler& handler_;
  RouteContext& context_;
  const std::string& route_label_;
};

http::Response RouteContext::fail(const server::ApiError& error) {
  error_code_ = error.code();
  return error_response(error, trace_, public_url_);
}

Router::Router(Logger& logger, Metrics& metrics, server::Random& random, std::string public_url)
    : logger_(logger), metrics_(metrics), random_(random), public_url_(std::move(public_url)) {}

void Router::add(const std::string& method, const std::string& pattern, Produces produces, RouteHandler handler) {
  for (Route& route : routes_) {
    if (route.pattern == pattern) {
      route.handlers[method] = std::move(handler);
      return;
    }
  }
  Route route;
  route.pattern = pattern;
  route.segments = split_path(pattern);
  route.produces = produces;
  route.handlers[method] = std::move(handler);
  routes_.push_back(std::move(route));
}

bool Router::has_route(const std::string& method, const std::string& pattern) const {
  for (const Route& route : routes_) {
    if (route.pattern == pattern) return route.handlers.count(method) != 0;
  }
  return false;
}

const Router::Route* Router::match(const std::vector<std::string>& segments,
                                   std::map<std::string, std::string>& params) const {
  for (const Route& route : routes_) {
    if (route.segments.size() != segments.size()) continue;
    std::map<std::string, std::string> captured;
    bool matched = true;
    for (std::size_t i = 0; i < segments.size() && matched; ++i) {
      if (is_param(route.segments[i])) {
        auto value = percent_decode(segments[i], false);
        matched = value && !value->empty();
        if (matched) captured[route.segments[i].substr(1, route.segments[i].size() - 2)] = std::move(*value);
      } else {
        matched = route.segments[i] == segments[i];
      }
    }
    if (matched) {
      params = std::move(captured);
      return &route;
    }
  }
  return nullptr;
}

http::Response Router::handle(const http::Request& request) {
  const auto started = std::chrono::steady_clock::now();
  const std::string trace = random_.uuid();
  t_current_trace = trace;
  std::string route_label = "(none)";
  std::string error_code;
  http::Response response = guarded([&] { return dispatch(request, route_label, error_code, trace); }, route_label,
                                    error_code, trace);
  t_current_trace.clear();
  Answered done{request.method, route_label, trace, error_code, started, {}, {}};
  if (interceptor_ != nullptr) {
    done.path = request.path;
    done.headers = request.headers;
  }
  if (!response.later) {
    finish(response, done);
    return response;
  }
  // A held request: its log line, metrics and trace header come when its answer does.
  done.error_code.clear();
  auto answered = std::make_shared<http::LaterResponse>();
  response.later->then([this, answered, done = std::move(done)](http::Response out) mutable {
    if (out.status >= 400) done.error_code = error_code_of(out);
    finish(out, done);
    answered->complete(std::move(out));
  });
  // A client that hangs up abandons the answer the server holds; whoever completes the
  // route's own answer must learn it too.
  answered->on_abandon([held = response.later] { held->abandon(); });
  return http::Response::held(std::move(answered));
}

http::Response Router::guarded(const std::function<http::Response()>& run, const std::string& route_label,
                               std::string& error_code, const std::string& trace) {
  try {
    return run();
  } catch (const std::exception& e) {
    return failure_response(logger_, e, trace, route_label, public_url_, &error_code);
  }
}

void Router::finish(http::Response& response, const Answered& answered) {
  response.set_header("X-Trace-Id", answered.trace);
  if (interceptor_ != nullptr) {
    interceptor_->answered(
        AnsweredRequest{answered.method, answered.path, answered.route_label, answered.trace, answered.headers},
        response);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - answered.started).count();
  const int status = response.drop ? 0 : response.status;  // 0: closed without an answer
  metrics_.request(answered.route_label, status, seconds);
  if (logger_.enabled(LogLevel::kInfo)) {
    std::vector<LogField> fields = {field("trace", answered.trace), field("method", answered.method),
                                    field("route", answered.route_label), field("status", static_cast<long long>(status)),
                                    field("latency_ms", seconds * 1000.0)};
    if (status >= 400) fields.push_back(field("error", answered.error_code));
    logger_.log(LogLevel::kInfo, "request", fields);
  }
}

// The envelope's error code, for the log line of a held answer (an ordinary answer's code is
// noted by RouteContext::fail as it is made).
std::string Router::error_code_of(const http::Response& response) {
  const server::Json body = server::json_parse(response.body);
  const cJSON* error = body ? cJSON_GetObjectItemCaseSensitive(body.get(), "error") : nullptr;
  return error ? server::json_string(error, "code").value_or("") : "";
}

http::Response Router::dispatch(const http::Request& request, std::string& route_label, std::string& error_code,
                                const std::string& trace) {
  using server::ApiError;
  using server::ErrorId;
  const auto fail = [&](const ApiError& error) {
    error_code = error.code();
    return error_response(error, trace, public_url_);
  };
  switch (request.problem) {
    case http::RequestProblem::kNone: break;
    case http::RequestProblem::kBodyTooLarge:
      return fail(ApiError(ErrorId::kPayloadTooLarge, "The request body is over the size limit"));
    case http::RequestProblem::kHeaderTooLarge: return fail(ApiError(ErrorId::kHeaderTooLarge));
    case http::RequestProblem::kMalformed:
      return fail(ApiError(ErrorId::kRequestInvalid, "Not a valid HTTP/1.1 request"));
  }
  std::map<std::string, std::string> params;
  const Route* route = request.path.empty() || request.path.front() != '/' ? nullptr
                                                                            : match(split_path(request.path), params);
  if (route == nullptr) return fail(ApiError(ErrorId::kResourceNotFound));
  route_label = route->pattern;
  const auto handler = route->handlers.find(request.method);
  if (handler == route->handlers.end()) {
    http::Response response = fail(ApiError(ErrorId::kMethodNotAllowed));
    std::string allow;
    for (const auto& [method, unused] : route->handlers) allow += (allow.empty() ? "" : ", ") + method;
    response.set_header("Allow", allow);
    return response;
  }
  if (route->produces == Produces::kJson) {
    const std::string* accept = request.header("Accept");
    if (accept != nullptr && !accepts_json(*accept)) {
      return fail(ApiError(ErrorId::kNotAcceptable));
    }
  }
  RouteContext context(request, std::move(params), trace, public_url_);
  http::Response response;
  if (interceptor_ == nullptr) {
    response = handler->second(context);
  } else {
    InterceptedHandler pending(*this, handler->second, context, route_label);
    response = interceptor_->intercept(request.method + " " + route_label, context, pending);
  }
  error_code = context.error_code();
  return response;
}

}  // namespace ssokit::api
