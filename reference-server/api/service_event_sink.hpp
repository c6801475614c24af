#pragma once
// Where the core's events go: counted in the metrics and, where SPEC asks for it (rejected
// platform identity, refusals by a limit), logged with the request's trace id.
#include "api/link_code_book.hpp"
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
  void link_code_made(const LinkCodeMade& made) override;

  // serve --test-control (SPEC §6.4): codes made from now on are kept in clear text in
  // `book`, in memory. Set before serving; without it no code is kept anywhere.
  void keep_link_codes_in(LinkCodeBook* book) { link_codes_ = book; }

 private:
  Metrics& metrics_;
  const Logger& logger_;
  LinkCodeBook* link_codes_ = nullptr;
};

}  // namespace ssokit::api
