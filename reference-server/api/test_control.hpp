#pragma once
// serve --test-control (SPEC §6.4): what the /test/ routes act on, and the hooks every
// request passes through while it is on: injected faults before a route's handler; the moved
// clock's Date, a warn line for each /test/ call and the request history after.
#include <string>

#include "api/fault_table.hpp"
#include "api/link_code_book.hpp"
#include "api/request_history.hpp"
#include "api/request_interceptor.hpp"
#include "api/request_log.hpp"
#include "core/adjustable_clock.hpp"
#include "core/timer_queue.hpp"

namespace ssokit::api {

class Router;

class TestControl final : public RequestInterceptor {
 public:
  // `router` is the one this control is set on: faults may name only its routes.
  TestControl(server::AdjustableClock& clock, const Logger& logger, const Router& router);

  server::AdjustableClock& clock() { return clock_; }
  FaultTable& faults() { return faults_; }
  RequestHistory& requests() { return requests_; }
  LinkCodeBook& link_codes() { return link_codes_; }
  bool has_route(const std::string& method, const std::string& pattern) const;
  // POST /test/reset: no faults, no history, the clock's offset 0. Stored data (and the
  // codes kept here, which the store still holds) stays.
  void reset();

  http::Response intercept(const std::string& route, RouteContext& context, PendingHandler& handler) override;
  void answered(const AnsweredRequest& request, http::Response& response) override;

 private:
  http::Response delayed(std::chrono::milliseconds delay, PendingHandler& handler);

  server::AdjustableClock& clock_;
  const Logger& logger_;
  const Router& router_;
  FaultTable faults_;
  RequestHistory requests_;
  LinkCodeBook link_codes_;
  // Last: destroyed first, so its thread stops before anything a delayed call uses goes.
  server::TimerQueue timers_;
};

}  // namespace ssokit::api
