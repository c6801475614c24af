#pragma once
// Client registration and access tokens. The software statement registers the app once;
// client credentials and the access token are kept in the secure store, the token renewed
// ahead of expiry, once on a 401, and the client registered again when the server no longer
// knows it. One renewal at a time.
#include <chrono>
#include <mutex>
#include <optional>
#include <string>

#include "request_runner.hpp"
#include "single_flight.hpp"
#include "wire/wire.hpp"

namespace ssokit::internal {

class AccessTokens final : public AccessTokenSource {
 public:
  AccessTokens(const ClientOptions& options, RequestRunner& runner, SecureStore& store, Clock& clock);

  Result<std::string> access_token(CallContext& call) override;
  void reject(const std::string& token) override;

 private:
  struct Cached {
    std::string value;
    std::chrono::steady_clock::time_point renew_at;
  };
  Result<std::string> renew(CallContext& call);
  Result<wire::ClientCredentials> client_credentials(CallContext& call, bool register_anew);
  Result<std::string> request_token(const wire::ClientCredentials& client, CallContext& call);

  const ClientOptions& options_;
  RequestRunner& runner_;
  SecureStore& store_;
  Clock& clock_;
  std::mutex mutex_;
  std::optional<Cached> cached_;
  SingleFlight<std::string> renewal_;
};

}  // namespace ssokit::internal
