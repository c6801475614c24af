#include "api/test_control.hpp"

#include <memory>

#include "api/responses.hpp"
#include "api/router.hpp"

namespace ssokit::api {
namespace {

// Retry-After of an injected 429 or 503: a client under test retries at once, not in minutes.
constexpr std::int64_t kInjectedRetryAfterSeconds = 1;

bool is_test_path(const std::string& path) { return path == "/test" || path.rfind("/test/", 0) == 0; }

std::string describe(const Fault& fault) {
  switch (fault.kind) {
    case Fault::Kind::kStatus: return "status " + std::to_string(fault.status);
    case Fault::Kind::kDelay: return "delay " + std::to_string(fault.delay.count()) + " ms";
    case Fault::Kind::kDrop: return "drop";
  }
  return "";
}

}  // namespace

TestControl::TestControl(server::AdjustableClock& clock, const Logger& logger, const Router& router)
    : clock_(clock), logger_(logger), router_(router), link_codes_(clock) {}

bool TestControl::has_route(const std::string& method, const std::string& pattern) const {
  return router_.has_route(method, pattern);
}

void TestControl::reset() {
  faults_.clear();
  requests_.clear();
  clock_.reset();
}

http::Response TestControl::intercept(const std::string& route, RouteContext& context, PendingHandler& handler) {
  const std::optional<Fault> fault = faults_.take(route);
  if (!fault) return handler.run();
  // warn, like every /test/ call: an answer that is not the server's own must stand out.
  logger_.log(LogLevel::kWarn, "test control fault injected",
              {field("trace", context.trace()), field("route", route), field("fault", describe(*fault))});
  switch (fault->kind) {
    case Fault::Kind::kStatus: {
      const server::ApiError error(fault->error, {}, kInjectedRetryAfterSeconds);
      context.note_error_code(error.code());
      return error_response(error, fault->status, context.trace(), context.public_url());
    }
    case Fault::Kind::kDelay: return delayed(fault->delay, handler);
    case Fault::Kind::kDrop: {
      http::Response dropped;
      dropped.drop = true;
      return dropped;
    }
  }
  return handler.run();
}

// The answer is held with no thread (the server keeps the connection); when the delay has
// passed, the handler runs on the timer's thread and its answer completes the held one.
// Delayed calls run there one at a time: a CI fault, not a path for load.
http::Response TestControl::delayed(std::chrono::milliseconds delay, PendingHandler& handler) {
  auto later = std::make_shared<http::LaterResponse>();
  timers_.schedule(std::chrono::steady_clock::now() + delay, [later, run = handler.deferred()] {
    // The call runs even when its client gave up meanwhile, as on a slow server: a client
    // that times out cannot tell whether its call took effect.
    http::Response answer = run();
    if (!answer.later) {
      later->complete(std::move(answer));
      return;
    }
    // A held answer of the route itself (SPEC §6.1) completes ours when it completes, and is
    // abandoned with ours when the client hangs up.
    answer.later->then([later](http::Response done) { later->complete(std::move(done)); });
    later->on_abandon([held = answer.later] { held->abandon(); });
  });
  return http::Response::held(std::move(later));
}

void TestControl::answered(const AnsweredRequest& request, http::Response& response) {
  // The Date header follows the moved clock, as token and code lifetimes do (SPEC §6.4).
  const std::chrono::system_clock::time_point now{std::chrono::milliseconds(clock_.now_ms())};
  response.set_header("Date", http::http_date(now));
  const int status = response.drop ? 0 : response.status;
  if (is_test_path(request.path)) {
    // Every /test/ call at warn (SPEC §6.4); not recorded, so a CI job's own reads do not
    // push its client's requests out of the history.
    logger_.log(LogLevel::kWarn, "test control call",
                {field("trace", request.trace), field("method", request.method), field("route", request.route),
                 field("status", static_cast<long long>(status))});
    return;
  }
  requests_.add(request.method, request.route, status, request.trace, request.headers);
}

}  // namespace ssokit::api
