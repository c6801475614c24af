#pragma once
// The route groups of the server, one file each: they translate HTTP <-> core calls and
// nothing else.
#include "api/metrics.hpp"
#include "api/request_log.hpp"
#include "api/router.hpp"
#include "core/client_address.hpp"
#include "core/client_registry.hpp"
#include "core/key_ring.hpp"
#include "core/link_waiters.hpp"
#include "core/mvpd_service.hpp"
#include "core/service_config.hpp"
#include "core/sso_service.hpp"
#include "store/store.hpp"

namespace ssokit::api {

struct Services {
  const server::ServiceConfig& config;
  store::Store& store;
  server::KeyRing& keys;
  server::ClientRegistry& clients;
  server::SsoService& sso;
  server::MvpdService& mvpd;
  Metrics& metrics;
  Logger& logger;
  const server::ClientAddresses& addresses;
  server::LinkWaiters& waiters;  // requests held until a link code changes (SPEC §6.1)
  const server::Clock& clock;
};

void add_dcr_routes(Router& router, Services& services);        // /o/client/register, /o/client/token
void add_sso_routes(Router& router, Services& services);        // /api/{sp}/serviceToken, unlink, list
void add_link_routes(Router& router, Services& services);       // /api/{sp}/link, link/status, approve, deny
void add_v2_routes(Router& router, Services& services);         // /api/v2/{sp}/...
void add_mvpd_page_routes(Router& router, Services& services);  // /mvpd/login/{code}
void add_ops_routes(Router& router, Services& services);        // jwks, healthz, metrics, docs/errors

class TestControl;
// /test/clock, /test/link-codes, /test/faults, /test/requests, /test/reset: only with
// serve --test-control (SPEC §6.4).
void add_test_routes(Router& router, TestControl& control);

// The SSO headers of a request, for the core.
server::SsoRequest sso_request(const Services& services, const RouteContext& context);
// What per-address limits count for this request: the peer, or behind a --trusted-proxy the
// client it forwarded for (X-Forwarded-For), IPv6 by its /64.
std::string client_address(const Services& services, const RouteContext& context);
// Authorization first on every /api/ call: the client application and its service provider.
// The error answer when refused, nullopt when the call may go on.
std::optional<http::Response> authenticate_client(Services& services, RouteContext& context);

}  // namespace ssokit::api
