#include "api/service_event_sink.hpp"

#include "api/router.hpp"

namespace ssokit::api {

void ServiceEventSink::link_redemption(std::string_view result) { metrics_.link_redemption(result); }

void ServiceEventSink::rate_limited(std::string_view limit) {
  metrics_.rate_limited(limit);
  logger_.log(LogLevel::kInfo, "rate limited", {field("trace", current_trace()), field("limit", limit)});
}

void ServiceEventSink::platform_identity_rejected(std::string_view reason) {
  metrics_.platform_identity_rejected(reason);
  // The token is ignored as if absent (SPEC §2), so the reason is only visible here.
  logger_.log(LogLevel::kWarn, "platform identity token ignored",
              {field("trace", current_trace()), field("reason", reason)});
}

}  // namespace ssokit::api

namespace ssokit::api {

void ServiceEventSink::device_moved() {
  metrics_.device_moved();
  // No device id: ids are secrets in logs; the trace finds the request.
  logger_.log(LogLevel::kInfo, "device moved to another profile", {field("trace", current_trace())});
}

void ServiceEventSink::link_code_made(const LinkCodeMade& made) {
  if (link_codes_ != nullptr) {
    link_codes_->keep(made.sp, made.device_id, made.code, made.not_after, made.approval_required);
  }
}

}  // namespace ssokit::api
