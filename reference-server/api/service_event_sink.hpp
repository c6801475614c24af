#pragma once
// Where the core's events go: counted in the metrics and, where SPEC asks for it (rejected
// platform identity, refusals by a limit), logged with the request's trace id.
#include "api/metrics.hpp"
#include "api/request_log.hpp"
#include "core/service_events.hpp"

namespace ssokit::api {

class ServiceEventSink final : public server::ServiceEvents {
 public:
  ServiceEventSink(Metrics& metrics, const Logger& logger) : metrics_(metrics), logger_(logger) {}

  void link_redemption(std::string_view result) override;
  void rate_limited(std::string_view limit) override;
  void platform_identity_rejected(std::string_view reason) override;
  void device_moved() override;

 private:
  Metrics& metrics_;
  const Logger& logger_;
};

}  // namespace ssokit::api
