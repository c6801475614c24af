#pragma once
// The chain every HTTP call of the SDK goes through, in one place: request metadata
// (Accept, User-Agent, device headers), the access token (renewed once on a 401), retries
// (capped exponential backoff with full jitter; only idempotent calls or failures known to
// precede the server; 429, and 502/503/504 of idempotent calls, after Retry-After when sent,
// within the call's deadline; a retry that could not start before the deadline is not
// waited for: the call answers the failure at once), the server clock offset from Date
// (bounded, time_limits.hpp), and logging
// (redacted: the client's device id and the request's private values are masked whatever
// their shape).
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "call_context.hpp"
#include "ssokit/client.hpp"

namespace ssokit::internal {

struct ApiRequest {
  std::string method;
  std::string path;  // e.g. "/api/demo/link"
  std::vector<HttpHeader> headers;
  std::string body;
  bool idempotent = false;
  bool needs_access_token = true;
  // Values from the body that no log line may show, whatever their shape (the ids of an
  // unlink). Header values are masked without being listed here.
  std::vector<std::string> private_values;
};

// Supplies and renews the access token; implemented by AccessTokens.
class AccessTokenSource {
 public:
  virtual ~AccessTokenSource() = default;
  virtual Result<std::string> access_token(CallContext& call) = 0;
  virtual void reject(const std::string& token) = 0;  // the server answered 401 for it
};

class RequestRunner {
 public:
  RequestRunner(const ClientOptions& options, std::shared_ptr<HttpTransport> transport, Clock& clock,
                std::string device_id);
  void set_access_tokens(AccessTokenSource* tokens) { access_tokens_ = tokens; }

  // A 2xx response, or the Status of the failure (non-2xx mapped from the error envelope).
  // `request` is lent, not copied: its headers and body travel in the HTTP request and are
  // handed back unchanged, so the caller may run it again.
  Result<HttpResponse> run(ApiRequest& request, CallContext& call);

  // Server time minus this device's wall-clock time, from the last Date header (ms).
  std::chrono::milliseconds server_offset() const { return std::chrono::milliseconds(server_offset_ms_.load()); }
  // Applies `offset` unless it is beyond kMaxServerClockOffset; false when it was ignored.
  bool set_server_offset(std::chrono::milliseconds offset);
  // The server's "now" as best known.
  std::chrono::system_clock::time_point server_now() const;

  // Redacted unless ClientOptions::redact_logs is false; this device's id and
  // `private_values` are masked wherever they appear.
  void log(LogLevel level, const std::string& message, const std::vector<std::string_view>& private_values = {}) const;

 private:
  std::uint64_t random();
  Result<HttpResponse> attempts(const ApiRequest& request, HttpRequest& http, CallContext& call);
  // The server's clock from an answer's Date header.
  void learn_server_clock(const std::string& date);
  // A line about `request`: its header values and private values are masked.
  void log_request(LogLevel level, const ApiRequest& request, const HttpRequest& http,
                   const std::string& message) const;

  const ClientOptions& options_;
  std::shared_ptr<HttpTransport> transport_;
  Clock& clock_;
  const std::string device_id_;
  AccessTokenSource* access_tokens_ = nullptr;
  std::atomic<std::int64_t> server_offset_ms_{0};
  std::mutex random_mutex_;
  std::function<std::uint64_t()> random_;
};

}  // namespace ssokit::internal
