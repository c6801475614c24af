#include "api/held_requests.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <memory>

#include "api/device_entry.hpp"
#include "api/form.hpp"
#include "api/responses.hpp"
#include "core/link_waiters.hpp"
#include "store/store.hpp"

namespace ssokit::api {
namespace {

using server::ApiError;
using server::ErrorId;
using Wake = server::LinkWaiters::Wake;

// The routes whose answers are held, as their log lines name them.
constexpr const char* kStatusRoute = "/api/{sp}/link/status";
constexpr const char* kRedeemRoute = "/api/{sp}/serviceToken";

// How long to hold: the wait asked for, but not past the code's end (its expiry is a change
// too) — measured on the server's clock, which test control may move (it then wakes every
// waiter, so a deadline computed before the move is only an upper bound).
server::TimerQueue::Deadline deadline_for(const Services& services, int wait_s, server::Millis not_after) {
  const server::Millis wait_ms = static_cast<server::Millis>(wait_s) * 1000;
  const server::Millis until_expiry = std::max<server::Millis>(0, not_after - services.clock.now_ms());
  return std::chrono::steady_clock::now() + std::chrono::milliseconds(std::min(wait_ms, until_expiry));
}

// Registers the waiter, or answers at once when the registry cannot take it.
http::Response held_or_refused(Services& services, RouteContext& context, const std::string& key,
                               server::TimerQueue::Deadline deadline, std::shared_ptr<http::LaterResponse> later,
                               server::LinkWaiters::Check check) {
  switch (services.waiters.hold(key, deadline, check)) {
    case server::LinkWaiters::Held::kHeld:
      // A client that hangs up frees its waiter's place now, not at the wait's end: its check
      // runs, finds nobody to answer, and the waiter goes.
      later->on_abandon([&services, key] { services.waiters.changed(key); });
      return http::Response::held(std::move(later));
    case server::LinkWaiters::Held::kFull:
      services.logger.log(LogLevel::kWarn, "held requests at --max-waiters: refused",
                          {field("trace", context.trace())});
      return context.fail(ApiError(ErrorId::kTooManyWaiters, {}, kWaitersRetryAfterSeconds));
    case server::LinkWaiters::Held::kClosed:
      break;
  }
  // Stopping: answered now, with what there is (the check answers on kShutdown).
  check(Wake::kShutdown);
  return http::Response::held(std::move(later));
}

}  // namespace

server::Outcome<int> wait_seconds(const RouteContext& context) {
  const auto query = parse_form(context.request().query);
  if (!query) return ErrorId::kInvalidParameterWait;
  const auto found = query->find("wait");
  if (found == query->end()) return 0;
  const std::string& text = found->second;
  if (text.empty() || text.size() > 2 || text.find_first_not_of("0123456789") != std::string::npos) {
    return ErrorId::kInvalidParameterWait;
  }
  const int seconds = std::stoi(text);
  if (seconds > kMaxWaitSeconds) return ErrorId::kInvalidParameterWait;
  return seconds;
}

http::Response link_status_response(const server::LinkCodeView& view) {
  server::Json body = server::json_object();
  json_set(body.get(), "status", server::status_name(view.status));
  json_set(body.get(), "notAfter", view.not_after);
  if (view.device) {
    server::Json device = device_entry(*view.device);
    json_set(device.get(), "id", view.device->device_id);
    json_set(body.get(), "device", std::move(device));
  }
  return json_response(200, body.get());
}

http::Response awaiting_approval_response(const server::AwaitingApproval& awaiting) {
  server::Json body = server::json_object();
  json_set(body.get(), "status", "AWAITING_APPROVAL");
  json_set(body.get(), "notAfter", awaiting.not_after);
  return json_response(202, body.get());
}

http::Response token_response(int status, const server::IssuedServiceToken& token) {
  server::Json body = server::json_object();
  json_set(body.get(), "status", server::http_reason_constant(status));
  json_set(body.get(), "serviceToken", token.token);
  json_set(body.get(), "notBefore", token.not_before);
  json_set(body.get(), "notAfter", token.not_after);
  return json_response(status, body.get());
}

http::Response hold_link_status(Services& services, RouteContext& context, const server::CodeOfCaller& code,
                                const server::LinkCodeView& first, int wait_s) {
  auto later = std::make_shared<http::LaterResponse>();
  const std::string trace = context.trace();
  const std::string public_url = services.config.public_url;
  server::LinkWaiters::Check check = [&services, code, later, trace, public_url](Wake wake) {
    if (later->settled()) return true;  // the client hung up: nothing to answer
    try {
      const auto view = services.sso.link_code_view(code);
      if (!view) {
        later->complete(error_response(view.error(), trace, public_url));
        return true;
      }
      if (view->status == server::LinkCodeStatus::kWaiting && wake == Wake::kChanged) return false;
      later->complete(link_status_response(*view));
    } catch (const std::exception& e) {
      later->complete(failure_response(services.logger, e, trace, kStatusRoute, public_url));
    }
    return true;
  };
  return held_or_refused(services, context, first.wait_key, deadline_for(services, wait_s, first.not_after), later,
                         std::move(check));
}

http::Response hold_redemption(Services& services, RouteContext& context, const server::SsoRequest& request,
                               const server::AwaitingApproval& awaiting, int wait_s) {
  auto later = std::make_shared<http::LaterResponse>();
  const std::string trace = context.trace();
  const std::string public_url = services.config.public_url;
  server::LinkWaiters::Check check = [&services, request, later, trace, public_url](Wake wake) {
    if (later->settled()) return true;  // the client hung up: nothing to answer
    try {
      const auto grant = services.sso.redeem_again(request);
      if (!grant) {
        later->complete(error_response(grant.error(), trace, public_url));
        return true;
      }
      if (grant->token) {
        later->complete(token_response(201, *grant->token));
        return true;
      }
      if (wake == Wake::kChanged) return false;
      later->complete(awaiting_approval_response(*grant->awaiting));
    } catch (const std::exception& e) {
      later->complete(failure_response(services.logger, e, trace, kRedeemRoute, public_url));
    }
    return true;
  };
  return held_or_refused(services, context, awaiting.wait_key, deadline_for(services, wait_s, awaiting.not_after),
                         later, std::move(check));
}

}  // namespace ssokit::api
