#pragma once
// What an SsoClient handle shares: options, platform services, the request chain, tokens and
// the async workers. The operations live here so async tasks can run them without owning the
// client (the executor is destroyed first, so queued work never outlives the state).
#include <memory>
#include <string>
#include <vector>

#include "access_tokens.hpp"
#include "executor.hpp"
#include "request_runner.hpp"
#include "service_token_cache.hpp"
#include "ssokit/client.hpp"

namespace ssokit {

struct SsoClient::State {
  State(ClientOptions options, std::shared_ptr<HttpTransport> transport, std::shared_ptr<Clock> clock,
        std::string device_id);

  Result<ServiceToken> sign_in(const std::string& sso_id, const CallOptions& call);
  Result<ServiceToken> redeem_link_code(const std::string& code, const CallOptions& call);
  // POST serviceToken with X-SSO-LINK; for a code that needs approval, held requests until
  // a decision or the deadline when `wait_for_approval`.
  Result<Redemption> redeem(const std::string& code, bool wait_for_approval, const CallOptions& call);
  Result<ServiceToken> sign_in_with_platform_identity(const CallOptions& call);
  Result<ServiceToken> service_token(const CallOptions& call);
  Result<LinkCode> create_link_code(const LinkCodeOptions& link, const CallOptions& call);
  // GET link/status once, or (`wait`) in held requests until the code is no longer waiting.
  Result<LinkCodeStatus> link_code_status(const std::string& code, bool wait, const CallOptions& call);
  // POST link/approve or link/deny.
  Status decide_link_code(const std::string& code, bool approve, const CallOptions& call);
  Result<std::vector<Device>> list_devices(const CallOptions& call);
  Result<std::vector<std::string>> unlink_devices(const std::vector<std::string>& device_ids, const CallOptions& call);
  Result<MvpdSession> start_mvpd_session(const std::string& mvpd, const std::string& domain_name,
                                         const std::string& redirect_url, const CallOptions& call);
  Result<std::vector<MvpdProfile>> mvpd_profiles(const std::string& code, const CallOptions& call);
  Result<bool> mvpd_logout(const std::string& mvpd, const CallOptions& call);

  ClientOptions options;
  std::shared_ptr<HttpTransport> transport;
  std::shared_ptr<Clock> clock;
  std::string device_id;
  internal::RequestRunner runner;
  internal::AccessTokens access_tokens;
  internal::ServiceTokenCache tokens;
  internal::Executor executor;  // last: destroyed first, finishing queued calls

 private:
  internal::CallContext context(const CallOptions& call) const;
  Result<ServiceToken> post_service_token(std::vector<HttpHeader> identity_headers, bool idempotent,
                                          const CallOptions& call);
  // POST serviceToken with this device's headers and `identity_headers`.
  internal::ApiRequest service_token_request(std::vector<HttpHeader> identity_headers, bool idempotent) const;
  // A redemption's answer read, its token (if any) adopted.
  Result<Redemption> redemption_of(const Result<HttpResponse>& response);
  // A call that carries the service token: refreshed once if the server refuses it, local
  // state cleared if the device was unlinked.
  Result<HttpResponse> with_service_token(internal::ApiRequest request, internal::CallContext& context);
  std::string api_path(const std::string& tail) const;
};

}  // namespace ssokit
