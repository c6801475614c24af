#include <cctype>
#include <thread>

#include "client_state.hpp"
#include "encoding.hpp"
#include "held_wait.hpp"
#include "link_uri.hpp"
#include "server_url.hpp"
#include "wire/wire.hpp"

namespace ssokit {
namespace {

constexpr std::size_t kMaxSsoIdLength = 256;  // characters (SPEC §2)
constexpr std::size_t kMaxLinkCodeLength = 64;

std::size_t utf8_length(const std::string& text) {
  std::size_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80 ? 1 : 0;
  return count;
}

bool has_control_characters(const std::string& text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7F) return true;
  }
  return false;
}

Status invalid(std::string message) {
  return Status(ErrorCode::kInvalidArgument, std::move(message));
}

Status check_link_code(const std::string& code) {
  if (code.empty() || code.size() > kMaxLinkCodeLength || has_control_characters(code)) {
    return invalid("the link code must be 1 to 64 printable characters");
  }
  return Status();
}

// Runs `work` on the executor; `done` gets its result (a Result<T> or a Status), or kCancelled.
template <class R, class Work>
PendingCall post_work(SsoClient::State* state, CallOptions call, std::function<void(R)> done, Work work) {
  auto flag = call.cancel_flag() ? call.cancel_flag() : std::make_shared<std::atomic<bool>>(false);
  call.cancel_flag(flag);
  state->executor.post([call, done = std::move(done), work = std::move(work)]() mutable {
    R result = call.cancel_flag()->load() ? R(Status(ErrorCode::kCancelled, "the call was cancelled")) : work(call);
    if (done) done(std::move(result));
  });
  return PendingCall(flag);
}

template <class T, class Work>
PendingCall post_async(SsoClient::State* state, CallOptions call, Callback<T> done, Work work) {
  return post_work<Result<T>>(state, std::move(call), std::move(done), std::move(work));
}

}  // namespace

// ---- creation ---------------------------------------------------------------------------

SsoClient::State::State(ClientOptions client_options, std::shared_ptr<HttpTransport> http,
                        std::shared_ptr<Clock> clocks, std::string id)
    : options(std::move(client_options)),
      transport(std::move(http)),
      clock(std::move(clocks)),
      device_id(std::move(id)),
      runner(options, transport, *clock, device_id),
      access_tokens(options, runner, *options.platform.store, *clock),
      tokens(options, runner, *options.platform.store, *clock, device_id),
      executor(options.async_threads) {
  runner.set_access_tokens(&access_tokens);
}

Result<SsoClient> SsoClient::create(ClientOptions options) {
  const auto server = internal::parse_server_url(options.server);
  if (!server) return server.status();
  if (!server->https && !options.allow_insecure_http && !internal::is_loopback_host(server->host)) {
    return invalid("ClientOptions::server is http:// to " + server->host +
                   ", which is not this machine: tokens and codes would cross the network unencrypted. Use "
                   "https://, or set ClientOptions::allow_insecure_http (on a test network only)");
  }
  while (!options.server.empty() && options.server.back() == '/') options.server.pop_back();
  if (options.service_provider.empty()) return invalid("ClientOptions::service_provider is required");
  for (char c : options.service_provider) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') {
      return invalid("ClientOptions::service_provider may hold letters, digits, '-', '_' and '.'");
    }
  }
  if (options.software_statement.empty()) return invalid("ClientOptions::software_statement is required");
  if (!options.platform.identity) return invalid("ClientOptions::platform.identity is required");
  if (!options.platform.device_info) return invalid("ClientOptions::platform.device_info is required");
  if (!options.platform.store) return invalid("ClientOptions::platform.store is required");
  if (options.retry.max_attempts < 1) return invalid("RetryPolicy::max_attempts must be at least 1");
  if (Status status = internal::check_link_uri_template(options.link_uri_template); !status.ok()) return status;
#if !SSOKIT_HAS_CURL_TRANSPORT
  if (!options.transport) {
    return invalid("ClientOptions::transport is required: this SDK was built without libcurl (SSOKIT_WITH_CURL=OFF)");
  }
#endif
  auto device_id = options.platform.identity->device_id();
  if (!device_id) return device_id.status();
#if SSOKIT_HAS_CURL_TRANSPORT
  std::shared_ptr<HttpTransport> transport = options.transport ? options.transport : make_curl_transport();
#else
  std::shared_ptr<HttpTransport> transport = options.transport;
#endif
  std::shared_ptr<Clock> clock = options.platform.clock ? options.platform.clock : system_clock();
  return SsoClient(
      std::make_shared<State>(std::move(options), std::move(transport), std::move(clock), std::move(*device_id)));
}

SsoClient::SsoClient(std::shared_ptr<State> state) : state_(std::move(state)) {}
SsoClient::~SsoClient() {
  // The last handle may die on one of the client's own workers (a callback that captured
  // it): that worker cannot join itself, so the state is destroyed on a thread of its own.
  if (state_ && state_.use_count() == 1 && state_->executor.is_worker_thread()) {
    std::thread([state = std::move(state_)]() mutable { state.reset(); }).detach();
  }
}

// ---- the operations ---------------------------------------------------------------------

internal::CallContext SsoClient::State::context(const CallOptions& call) const {
  return internal::CallContext(*clock, call, options.default_timeout);
}

std::string SsoClient::State::api_path(const std::string& tail) const {
  return "/api/" + options.service_provider + tail;
}

internal::ApiRequest SsoClient::State::service_token_request(std::vector<HttpHeader> identity_headers,
                                                             bool idempotent) const {
  internal::ApiRequest request;
  request.method = "POST";
  request.path = api_path("/serviceToken");
  request.headers = std::move(identity_headers);
  request.headers.push_back({"AP-Device-Identifier", "fingerprint " + device_id});
  request.headers.push_back(
      {"X-Device-Info", internal::base64_encode(options.platform.device_info->device_info_json())});
  request.idempotent = idempotent;
  return request;
}

Result<ServiceToken> SsoClient::State::post_service_token(std::vector<HttpHeader> identity_headers, bool idempotent,
                                                          const CallOptions& call) {
  auto ctx = context(call);
  internal::ApiRequest request = service_token_request(std::move(identity_headers), idempotent);
  auto response = runner.run(request, ctx);
  if (!response) return response.status();
  auto token = wire::parse_service_token(response->body);
  if (token) tokens.adopt(*token);
  return token;
}

Result<ServiceToken> SsoClient::State::sign_in(const std::string& sso_id, const CallOptions& call) {
  if (sso_id.empty() || utf8_length(sso_id) > kMaxSsoIdLength) return invalid("the SSO id must be 1 to 256 characters");
  if (has_control_characters(sso_id)) return invalid("the SSO id may not contain control characters");
  // Signing in again with the same id lands in the same profile: safe to repeat.
  return post_service_token({{"X-SSO-ID", sso_id}}, true, call);
}

Result<Redemption> SsoClient::State::redemption_of(const Result<HttpResponse>& response) {
  if (!response) return response.status();
  auto redemption = wire::parse_redemption(response->status, response->body);
  if (redemption && redemption->state == RedemptionState::kJoined) tokens.adopt(redemption->token);
  return redemption;
}

Result<Redemption> SsoClient::State::redeem(const std::string& code, bool wait_for_approval, const CallOptions& call) {
  if (Status status = check_link_code(code); !status.ok()) return status;
  auto ctx = context(call);
  // A code is single use: a redemption that may have reached the server is not repeated.
  internal::ApiRequest request = service_token_request({{"X-SSO-LINK", code}}, false);
  const std::string path = request.path;
  auto sent = clock->steady_now();
  auto redemption = redemption_of(runner.run(request, ctx));
  // From the first 202 on the code is this device's, so asking again is harmless; and only a
  // server that has shown it knows approval (SPEC §6.2) is sent a `wait`.
  request.idempotent = true;
  while (wait_for_approval && redemption && redemption->state == RedemptionState::kAwaitingApproval) {
    bool worth = false;
    if (Status status = internal::before_next_held_request(ctx, sent, *clock, worth); !status.ok()) return status;
    if (!worth) break;  // the deadline is too near for another held request: still awaiting
    request.path = path + internal::wait_query(internal::held_wait(ctx.remaining()));
    sent = clock->steady_now();
    redemption = redemption_of(runner.run(request, ctx));
  }
  return redemption;
}

Result<ServiceToken> SsoClient::State::redeem_link_code(const std::string& code, const CallOptions& call) {
  auto redemption = redeem(code, true, call);
  if (!redemption) return redemption.status();
  if (redemption->state == RedemptionState::kAwaitingApproval) {
    return Status(ErrorCode::kTimeout,
                  "the device that made the link code had not approved this device by the call's deadline; redeem "
                  "the same code again to go on waiting");
  }
  return std::move(redemption->token);
}

Result<ServiceToken> SsoClient::State::sign_in_with_platform_identity(const CallOptions& call) {
  if (!options.platform.platform_identity) return invalid("no PlatformIdentityProvider in ClientOptions::platform");
  const auto token = options.platform.platform_identity->connect_token();
  if (!token || token->empty()) return invalid("the platform has no identity token for this user");
  return post_service_token({{"X-Roku-Reserved-Roku-Connect-Token", *token}}, true, call);
}

Result<ServiceToken> SsoClient::State::service_token(const CallOptions& call) {
  auto ctx = context(call);
  if (Status status = ctx.check(); !status.ok()) return status;
  return call.from_server() ? tokens.from_server(ctx) : tokens.current(ctx);
}

Result<HttpResponse> SsoClient::State::with_service_token(internal::ApiRequest request, internal::CallContext& ctx) {
  auto token = tokens.current(ctx);
  if (!token) return token.status();
  request.headers.reserve(request.headers.size() + 5);  // these two, and the runner's three
  request.headers.push_back({"AP-Device-Identifier", "fingerprint " + device_id});
  request.headers.push_back({"AD-Service-Token", std::move(token->value)});
  auto response = runner.run(request, ctx);
  if (!response &&
      (response.status().code() == ErrorCode::kTokenInvalid || response.status().code() == ErrorCode::kTokenExpired)) {
    // The server refused the token (a rotated-out key, a clock far off): refresh once.
    std::string& sent_token = request.headers.back().value;
    auto fresh = tokens.refresh_after_refusal(sent_token, ctx);
    if (!fresh) return fresh.status();
    sent_token = std::move(fresh->value);
    response = runner.run(request, ctx);
  }
  if (!response && response.status().code() == ErrorCode::kDeviceUnlinked) tokens.clear();
  return response;
}

Result<LinkCode> SsoClient::State::create_link_code(const LinkCodeOptions& link, const CallOptions& call) {
  auto ctx = context(call);
  internal::ApiRequest request;
  request.method = "POST";
  request.path = api_path("/link");
  if (link.require_approval) {  // without it no body, as SPEC §2 has it
    request.headers = {{"Content-Type", "application/json"}};
    request.body = wire::approval_request_body();
  }
  request.idempotent = false;  // each call makes a new code
  auto response = with_service_token(std::move(request), ctx);
  if (!response) return response.status();
  auto code = wire::parse_link_code(response->body);
  if (code) code->uri = internal::link_uri(options.link_uri_template, code->value);
  return code;
}

Result<LinkCodeStatus> SsoClient::State::link_code_status(const std::string& code, bool wait, const CallOptions& call) {
  if (Status status = check_link_code(code); !status.ok()) return status;
  auto ctx = context(call);
  internal::ApiRequest request;
  request.method = "GET";
  // The code travels in a header, never in the URL, so it stays out of access logs (SPEC §6.1).
  request.headers = {{"X-SSO-LINK", code}};
  request.idempotent = true;
  const std::string path = api_path("/link/status");
  for (;;) {
    request.path = path + (wait ? internal::wait_query(internal::held_wait(ctx.remaining())) : std::string());
    const auto sent = clock->steady_now();
    auto response = with_service_token(request, ctx);
    if (!response) return response.status();
    auto status = wire::parse_link_code_status(response->body, device_id);
    if (!status || !wait || status->state != LinkCodeState::kWaiting) return status;
    bool worth = false;
    if (Status stop = internal::before_next_held_request(ctx, sent, *clock, worth); !stop.ok()) return stop;
    if (!worth) return status;  // the deadline came with the code still waiting: an answer, not an error
  }
}

Status SsoClient::State::decide_link_code(const std::string& code, bool approve, const CallOptions& call) {
  if (Status status = check_link_code(code); !status.ok()) return status;
  auto ctx = context(call);
  internal::ApiRequest request;
  request.method = "POST";
  request.path = api_path(approve ? "/link/approve" : "/link/deny");
  request.headers = {{"X-SSO-LINK", code}};
  // A second decision answers link_code_invalid: a repeat could hide that the first one worked.
  request.idempotent = false;
  auto response = with_service_token(std::move(request), ctx);
  if (!response) return response.status();
  return wire::parse_link_decision(response->body);
}

Result<std::vector<Device>> SsoClient::State::list_devices(const CallOptions& call) {
  auto ctx = context(call);
  internal::ApiRequest request;
  request.method = "GET";
  request.path = api_path("/list");
  request.idempotent = true;
  auto response = with_service_token(std::move(request), ctx);
  if (!response) return response.status();
  return wire::parse_devices(response->body, device_id);
}

Result<std::vector<std::string>> SsoClient::State::unlink_devices(const std::vector<std::string>& device_ids,
                                                                  const CallOptions& call) {
  if (device_ids.empty()) return invalid("name at least one device to unlink");
  for (const std::string& id : device_ids) {
    if (id.empty() || has_control_characters(id)) return invalid("device ids must be non-empty and printable");
  }
  auto ctx = context(call);
  internal::ApiRequest request;
  request.method = "POST";
  request.path = api_path("/unlink");
  request.headers = {{"Content-Type", "application/json"}};
  request.body = wire::unlink_request_body(device_ids);
  request.private_values = device_ids;
  request.idempotent = true;  // unlinking twice unlinks once
  auto response = with_service_token(std::move(request), ctx);
  if (!response) return response.status();
  auto unlinked = wire::parse_unlinked(response->body);
  if (unlinked) {
    for (const std::string& id : *unlinked) {
      if (id == device_id) tokens.clear();  // this device unlinked itself
    }
  }
  return unlinked;
}

Result<MvpdSession> SsoClient::State::start_mvpd_session(const std::string& mvpd, const std::string& domain_name,
                                                         const std::string& redirect_url, const CallOptions& call) {
  if (mvpd.empty() || domain_name.empty() || redirect_url.empty()) {
    return invalid("mvpd, domain name and redirect URL are required");
  }
  auto ctx = context(call);
  internal::ApiRequest request;
  request.method = "POST";
  request.path = "/api/v2/" + options.service_provider + "/sessions";
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  request.body = internal::form_encode({{"mvpd", mvpd}, {"domainName", domain_name}, {"redirectUrl", redirect_url}});
  request.idempotent = false;
  auto response = with_service_token(std::move(request), ctx);
  if (!response) return response.status();
  return wire::parse_mvpd_session(response->body);
}

Result<std::vector<MvpdProfile>> SsoClient::State::mvpd_profiles(const std::string& code, const CallOptions& call) {
  auto ctx = context(call);
  internal::ApiRequest request;
  request.method = "GET";
  request.path = "/api/v2/" + options.service_provider + "/profiles" +
                 (code.empty() ? std::string() : "/code/" + internal::percent_encode(code));
  request.idempotent = true;
  auto response = with_service_token(std::move(request), ctx);
  if (!response) return response.status();
  return wire::parse_mvpd_profiles(response->body);
}

Result<bool> SsoClient::State::mvpd_logout(const std::string& mvpd, const CallOptions& call) {
  if (mvpd.empty()) return invalid("name the MVPD to log out of");
  auto ctx = context(call);
  internal::ApiRequest request;
  request.method = "GET";
  request.path = "/api/v2/" + options.service_provider + "/logout/" + internal::percent_encode(mvpd);
  request.idempotent = true;
  auto response = with_service_token(std::move(request), ctx);
  if (!response) return response.status();
  return wire::parse_mvpd_logout(response->body, mvpd);
}

// ---- the handle -------------------------------------------------------------------------

Result<ServiceToken> SsoClient::sign_in(const std::string& sso_id, CallOptions call) {
  return state_->sign_in(sso_id, call);
}
Result<ServiceToken> SsoClient::redeem_link_code(const std::string& code, CallOptions call) {
  return state_->redeem_link_code(code, call);
}
Result<ServiceToken> SsoClient::sign_in_with_platform_identity(CallOptions call) {
  return state_->sign_in_with_platform_identity(call);
}
Result<ServiceToken> SsoClient::service_token(CallOptions call) {
  return state_->service_token(call);
}
Result<Redemption> SsoClient::redeem_link_code(const std::string& code, const RedeemOptions& options,
                                               CallOptions call) {
  return state_->redeem(code, options.wait_for_approval, call);
}
Result<LinkCode> SsoClient::create_link_code(CallOptions call) {
  return state_->create_link_code(LinkCodeOptions(), call);
}
Result<LinkCode> SsoClient::create_link_code(const LinkCodeOptions& options, CallOptions call) {
  return state_->create_link_code(options, call);
}
Result<LinkCodeStatus> SsoClient::link_code_status(const std::string& code, CallOptions call) {
  return state_->link_code_status(code, false, call);
}
Result<LinkCodeStatus> SsoClient::wait_for_link_code(const std::string& code, CallOptions call) {
  return state_->link_code_status(code, true, call);
}
Status SsoClient::approve_link_code(const std::string& code, CallOptions call) {
  return state_->decide_link_code(code, true, call);
}
Status SsoClient::deny_link_code(const std::string& code, CallOptions call) {
  return state_->decide_link_code(code, false, call);
}
Result<std::vector<Device>> SsoClient::list_devices(CallOptions call) {
  return state_->list_devices(call);
}
Result<std::vector<std::string>> SsoClient::unlink_devices(const std::vector<std::string>& device_ids,
                                                           CallOptions call) {
  return state_->unlink_devices(device_ids, call);
}
Result<MvpdSession> SsoClient::start_mvpd_session(const std::string& mvpd, const std::string& domain_name,
                                                  const std::string& redirect_url, CallOptions call) {
  return state_->start_mvpd_session(mvpd, domain_name, redirect_url, call);
}
Result<std::vector<MvpdProfile>> SsoClient::mvpd_profiles(CallOptions call) {
  return state_->mvpd_profiles("", call);
}
Result<std::vector<MvpdProfile>> SsoClient::mvpd_profiles_for_code(const std::string& code, CallOptions call) {
  if (code.empty()) return invalid("the authentication code is required");
  return state_->mvpd_profiles(code, call);
}
Result<bool> SsoClient::mvpd_logout(const std::string& mvpd, CallOptions call) {
  return state_->mvpd_logout(mvpd, call);
}

Status SsoClient::sign_out() {
  state_->tokens.clear();
  return Status();
}

bool SsoClient::signed_in() const {
  return state_->tokens.has_token();
}
Result<std::string> SsoClient::device_id() const {
  return state_->device_id;
}

PendingCall SsoClient::sign_in_async(const std::string& sso_id, Callback<ServiceToken> done, CallOptions call) {
  State* state = state_.get();
  return post_async<ServiceToken>(state, call, std::move(done),
                                  [state, sso_id](const CallOptions& c) { return state->sign_in(sso_id, c); });
}
PendingCall SsoClient::redeem_link_code_async(const std::string& code, Callback<ServiceToken> done, CallOptions call) {
  State* state = state_.get();
  return post_async<ServiceToken>(state, call, std::move(done),
                                  [state, code](const CallOptions& c) { return state->redeem_link_code(code, c); });
}
PendingCall SsoClient::sign_in_with_platform_identity_async(Callback<ServiceToken> done, CallOptions call) {
  State* state = state_.get();
  return post_async<ServiceToken>(state, call, std::move(done),
                                  [state](const CallOptions& c) { return state->sign_in_with_platform_identity(c); });
}
PendingCall SsoClient::service_token_async(Callback<ServiceToken> done, CallOptions call) {
  State* state = state_.get();
  return post_async<ServiceToken>(state, call, std::move(done),
                                  [state](const CallOptions& c) { return state->service_token(c); });
}
PendingCall SsoClient::redeem_link_code_async(const std::string& code, const RedeemOptions& options,
                                              Callback<Redemption> done, CallOptions call) {
  State* state = state_.get();
  return post_async<Redemption>(state, call, std::move(done), [state, code, options](const CallOptions& c) {
    return state->redeem(code, options.wait_for_approval, c);
  });
}
PendingCall SsoClient::create_link_code_async(Callback<LinkCode> done, CallOptions call) {
  return create_link_code_async(LinkCodeOptions(), std::move(done), std::move(call));
}
PendingCall SsoClient::create_link_code_async(const LinkCodeOptions& options, Callback<LinkCode> done,
                                              CallOptions call) {
  State* state = state_.get();
  return post_async<LinkCode>(state, call, std::move(done),
                              [state, options](const CallOptions& c) { return state->create_link_code(options, c); });
}
PendingCall SsoClient::link_code_status_async(const std::string& code, Callback<LinkCodeStatus> done,
                                              CallOptions call) {
  State* state = state_.get();
  return post_async<LinkCodeStatus>(state, call, std::move(done), [state, code](const CallOptions& c) {
    return state->link_code_status(code, false, c);
  });
}
PendingCall SsoClient::wait_for_link_code_async(const std::string& code, Callback<LinkCodeStatus> done,
                                                CallOptions call) {
  State* state = state_.get();
  return post_async<LinkCodeStatus>(state, call, std::move(done), [state, code](const CallOptions& c) {
    return state->link_code_status(code, true, c);
  });
}
PendingCall SsoClient::approve_link_code_async(const std::string& code, StatusCallback done, CallOptions call) {
  State* state = state_.get();
  return post_work<Status>(state, call, std::move(done),
                           [state, code](const CallOptions& c) { return state->decide_link_code(code, true, c); });
}
PendingCall SsoClient::deny_link_code_async(const std::string& code, StatusCallback done, CallOptions call) {
  State* state = state_.get();
  return post_work<Status>(state, call, std::move(done),
                           [state, code](const CallOptions& c) { return state->decide_link_code(code, false, c); });
}
PendingCall SsoClient::list_devices_async(Callback<std::vector<Device>> done, CallOptions call) {
  State* state = state_.get();
  return post_async<std::vector<Device>>(state, call, std::move(done),
                                         [state](const CallOptions& c) { return state->list_devices(c); });
}
PendingCall SsoClient::unlink_devices_async(const std::vector<std::string>& device_ids,
                                            Callback<std::vector<std::string>> done, CallOptions call) {
  State* state = state_.get();
  return post_async<std::vector<std::string>>(state, call, std::move(done), [state, device_ids](const CallOptions& c) {
    return state->unlink_devices(device_ids, c);
  });
}
PendingCall SsoClient::start_mvpd_session_async(const std::string& mvpd, const std::string& domain_name,
                                                const std::string& redirect_url, Callback<MvpdSession> done,
                                                CallOptions call) {
  State* state = state_.get();
  return post_async<MvpdSession>(state, call, std::move(done),
                                 [state, mvpd, domain_name, redirect_url](const CallOptions& c) {
                                   return state->start_mvpd_session(mvpd, domain_name, redirect_url, c);
                                 });
}
PendingCall SsoClient::mvpd_profiles_async(Callback<std::vector<MvpdProfile>> done, CallOptions call) {
  State* state = state_.get();
  return post_async<std::vector<MvpdProfile>>(state, call, std::move(done),
                                              [state](const CallOptions& c) { return state->mvpd_profiles("", c); });
}
PendingCall SsoClient::mvpd_logout_async(const std::string& mvpd, Callback<bool> done, CallOptions call) {
  State* state = state_.get();
  return post_async<bool>(state, call, std::move(done),
                          [state, mvpd](const CallOptions& c) { return state->mvpd_logout(mvpd, c); });
}

}  // namespace ssokit
