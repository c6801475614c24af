#pragma once
// The service token: cached in memory and in the secure store, refreshed through GET
// serviceToken ahead of expiry, one refresh at a time with no lock held over I/O. Expiry is
// tracked on the steady clock from the server's times (its Date and the token's notAfter), so
// a device whose wall clock is hours off refreshes at the right moment. A still-valid token is
// served when a refresh fails, except to a caller that asked the server (from_server);
// device_unlinked clears everything local.
#include <chrono>
#include <mutex>
#include <optional>

#include "request_runner.hpp"
#include "single_flight.hpp"

namespace ssokit::internal {

class ServiceTokenCache {
 public:
  ServiceTokenCache(const ClientOptions& options, RequestRunner& runner, SecureStore& store, Clock& clock,
                    std::string device_id);

  // Adopt a token the server just issued (sign-in, redemption, refresh).
  void adopt(const ServiceToken& token);
  // The cached token, refreshed first when it is due. kNotSignedIn when there is none.
  Result<ServiceToken> current(CallContext& call);
  // Refreshed now, however fresh the cached token is: the server's word that this device is
  // still linked. A failed refresh is the answer, never the cached token.
  Result<ServiceToken> from_server(CallContext& call);
  // Refresh now (after the server refused the token), unless another caller just did.
  Result<ServiceToken> refresh_after_refusal(const std::string& refused_token, CallContext& call);
  void clear();
  bool has_token();

 private:
  struct Cached {
    ServiceToken token;
    std::chrono::steady_clock::time_point expires;     // on the steady clock
    std::chrono::steady_clock::time_point refresh_at;  // expires minus the refresh margin
  };
  Cached make_cached(const ServiceToken& token) const;
  void load_from_store();
  // GET serviceToken: the server's answer, with no fallback (callers share it, and only some
  // of them accept the cached token instead).
  Result<ServiceToken> refresh(CallContext& call);
  // After a failed refresh: the cached token while it is still valid, else the failure.
  Result<ServiceToken> still_valid_or(const Status& failure);

  const ClientOptions& options_;
  RequestRunner& runner_;
  SecureStore& store_;
  Clock& clock_;
  std::string device_id_;
  std::mutex mutex_;
  bool loaded_ = false;
  std::optional<Cached> cached_;
  SingleFlight<ServiceToken> refresh_flight_;
};

}  // namespace ssokit::internal
