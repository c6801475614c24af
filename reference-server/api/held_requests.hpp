#pragma once
// Requests held until a link code changes (SPEC §6.1 and the ?wait of §6.2): the answer is a
// LaterResponse the code's waiter completes (core/link_waiters.hpp), so a held request costs
// no thread. Shared by the link routes and POST serviceToken.
#include <string>

#include "api/router.hpp"
#include "api/routes.hpp"
#include "core/outcome.hpp"
#include "core/sso_service.hpp"

namespace ssokit::api {

inline constexpr int kMaxWaitSeconds = 60;
// What 503 too_many_waiters asks the client to wait.
inline constexpr std::int64_t kWaitersRetryAfterSeconds = 1;

// ?wait=SECONDS: 0..60, 0 when absent; anything else is 400 invalid_parameter_wait.
server::Outcome<int> wait_seconds(const RouteContext& context);

// 200 {"status","notAfter","device"}: a link code as its maker sees it.
http::Response link_status_response(const server::LinkCodeView& view);

// GET link/status?wait: `first` was WAITING; hold until it is not, or for `wait_s`.
http::Response hold_link_status(Services& services, RouteContext& context, const server::CodeOfCaller& code,
                                const server::LinkCodeView& first, int wait_s);

// POST serviceToken?wait with a code awaiting approval: hold until the decision, or `wait_s`.
http::Response hold_redemption(Services& services, RouteContext& context, const server::SsoRequest& request,
                               const server::AwaitingApproval& awaiting, int wait_s);

// 202 {"status":"AWAITING_APPROVAL","notAfter"}.
http::Response awaiting_approval_response(const server::AwaitingApproval& awaiting);
// 201 or 200 with the service token.
http::Response token_response(int status, const server::IssuedServiceToken& token);

}  // namespace ssokit::api
