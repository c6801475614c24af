#pragma once
// SsoClient: the one front door of the SDK. It registers the app (dynamic client
// registration) once, keeps the access token and the service token fresh, and hides every
// HTTP call of the SSO service. Thread-safe: share one client across threads; it holds no
// global state, so several clients (say, several simulated devices) may live in one process.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ssokit/call.hpp"
#include "ssokit/export.hpp"
#include "ssokit/platform.hpp"
#include "ssokit/result.hpp"
#include "ssokit/transport.hpp"
#include "ssokit/types.hpp"

namespace ssokit {

enum class LogLevel { kDebug, kInfo, kWarn, kError };
// Receives the SDK's log lines. Tokens, secrets, link codes and device ids are redacted
// unless ClientOptions::redact_logs is false.
using LogHook = std::function<void(LogLevel level, std::string_view message)>;

struct RetryPolicy {
  int max_attempts = 4;  // including the first
  std::chrono::milliseconds initial_backoff{250};
  std::chrono::milliseconds max_backoff{8000};
  // A Retry-After longer than this is not waited for: the call fails with kRateLimited.
  std::chrono::milliseconds max_retry_after{30000};
};

struct ClientOptions {
  std::string server;  // e.g. "https://sso.example.com"
  // http:// is refused (kInvalidArgument) unless the server is this machine (localhost,
  // 127.0.0.0/8, [::1]) or this is set: tokens, codes and device ids would cross the network
  // unencrypted. Set it only on a test network.
  bool allow_insecure_http = false;
  std::string service_provider;              // e.g. "demo"
  std::string software_statement;            // from the app's configuration
  PlatformServices platform;                 // identity, device info and secure store are required
  std::shared_ptr<HttpTransport> transport;  // null: libcurl with default options (required
                                             // when built with SSOKIT_WITH_CURL=OFF)
  LogHook log;
  bool redact_logs = true;
  RetryPolicy retry;
  // Refresh the service token this long before it expires.
  std::chrono::milliseconds refresh_ahead{std::chrono::minutes(5)};
  // Deadline of a call whose CallOptions sets none.
  std::chrono::milliseconds default_timeout{std::chrono::seconds(30)};
  std::string user_agent = "ssokit-sdk/0.1";
  // Makes LinkCode::uri: every "{code}" is replaced by the code, percent-encoded (RFC 3986:
  // letters, digits and "-._~" stay as they are, so digit and base20 codes read unchanged).
  // The rest is taken as written, e.g. "myapp://link?code={code}" or
  // "https://example.com/tv?code={code}". "" (the default): LinkCode::uri stays "". A template
  // without "{code}", or with spaces or control characters, is refused by create().
  std::string link_uri_template;
  // Source of randomness for backoff jitter (uniform 64-bit); null: std::random_device.
  std::function<std::uint64_t()> random;
  int async_threads = 2;  // worker threads for the *_async calls
};

// create_link_code's choices (SPEC §6.2).
struct LinkCodeOptions {
  // The device that redeems the code gets no token until this device approves it
  // (approve_link_code): a code read off the screen by someone else is worth nothing
  // without the user's yes. false: the server decides (`serve --link-approval`).
  bool require_approval = false;
};

// redeem_link_code's choices for a code that needs the approval of the device that made it.
struct RedeemOptions {
  // Wait for that device's decision until the call's deadline (in held requests of at most
  // 60 s each), instead of answering RedemptionState::kAwaitingApproval at once.
  bool wait_for_approval = false;
};

template <class T>
using Callback = std::function<void(Result<T>)>;
// The callback of an async call that answers no value (approve, deny).
using StatusCallback = std::function<void(Status)>;

class SSOKIT_API SsoClient {
 public:
  // Checks the options (kInvalidArgument names what is missing). No network call.
  static Result<SsoClient> create(ClientOptions options);

  // Sign in with the app's own account id (X-SSO-ID).
  Result<ServiceToken> sign_in(const std::string& sso_id, CallOptions call = {});
  // Join the profile of another device with the code it shows (X-SSO-LINK). A code that needs
  // the approval of the device that made it is waited for until the call's deadline; no
  // decision by then is kTimeout (redeeming the same code again goes on waiting), a denial
  // kLinkDenied. The form with RedeemOptions says "awaiting approval" as a value instead.
  Result<ServiceToken> redeem_link_code(const std::string& code, CallOptions call = {});
  // The same, answering kAwaitingApproval (not an error) when the code waits for the other
  // device's decision: at once, or at the deadline with RedeemOptions::wait_for_approval.
  // Redeeming the same code again from this device picks the wait up where it was.
  Result<Redemption> redeem_link_code(const std::string& code, const RedeemOptions& options, CallOptions call = {});
  // Sign in with the platform's identity token (PlatformServices::platform_identity).
  Result<ServiceToken> sign_in_with_platform_identity(CallOptions call = {});
  // The current service token: cached, refreshed ahead of expiry (one refresh at a time).
  // A cached answer says nothing about an unlink since the token was issued; with
  // CallOptions::from_server(true) the server is asked now (kDeviceUnlinked when unlinked).
  Result<ServiceToken> service_token(CallOptions call = {});
  Result<LinkCode> create_link_code(CallOptions call = {});
  Result<LinkCode> create_link_code(const LinkCodeOptions& options, CallOptions call = {});
  // Where a code this device made stands, read once (SPEC §6.1). Another device's code, an
  // unknown one, or one that ended more than 10 minutes ago: kLinkCodeInvalid.
  Result<LinkCodeStatus> link_code_status(const std::string& code, CallOptions call = {});
  // The same, waiting until the code is no longer kWaiting: held requests of at most 60 s
  // each, until the call's deadline (set a timeout for a long wait: the default is
  // ClientOptions::default_timeout). Still kWaiting at the deadline is a value, not an error.
  Result<LinkCodeStatus> wait_for_link_code(const std::string& code, CallOptions call = {});
  // This device's decision on the device that redeemed its code (kAwaitingApproval). A code
  // that is not awaiting this device's decision: kLinkCodeInvalid; approving into a full
  // profile: kDeviceLimitReached.
  Status approve_link_code(const std::string& code, CallOptions call = {});
  Status deny_link_code(const std::string& code, CallOptions call = {});
  Result<std::vector<Device>> list_devices(CallOptions call = {});
  // The ids the server actually unlinked (unknown ids are skipped by the server).
  Result<std::vector<std::string>> unlink_devices(const std::vector<std::string>& device_ids, CallOptions call = {});
  Result<MvpdSession> start_mvpd_session(const std::string& mvpd, const std::string& domain_name,
                                         const std::string& redirect_url, CallOptions call = {});
  Result<std::vector<MvpdProfile>> mvpd_profiles(CallOptions call = {});
  Result<std::vector<MvpdProfile>> mvpd_profiles_for_code(const std::string& code, CallOptions call = {});
  // true when a profile was removed, false when there was none.
  Result<bool> mvpd_logout(const std::string& mvpd, CallOptions call = {});
  // Forgets the service token locally (the device stays listed until unlinked).
  Status sign_out();

  bool signed_in() const;
  // This device's id as the server knows it.
  Result<std::string> device_id() const;

  // The same calls without blocking: the callback runs once on an SDK worker thread.
  PendingCall sign_in_async(const std::string& sso_id, Callback<ServiceToken> done, CallOptions call = {});
  PendingCall redeem_link_code_async(const std::string& code, Callback<ServiceToken> done, CallOptions call = {});
  PendingCall redeem_link_code_async(const std::string& code, const RedeemOptions& options, Callback<Redemption> done,
                                     CallOptions call = {});
  PendingCall sign_in_with_platform_identity_async(Callback<ServiceToken> done, CallOptions call = {});
  PendingCall service_token_async(Callback<ServiceToken> done, CallOptions call = {});
  PendingCall create_link_code_async(Callback<LinkCode> done, CallOptions call = {});
  PendingCall create_link_code_async(const LinkCodeOptions& options, Callback<LinkCode> done, CallOptions call = {});
  PendingCall link_code_status_async(const std::string& code, Callback<LinkCodeStatus> done, CallOptions call = {});
  PendingCall wait_for_link_code_async(const std::string& code, Callback<LinkCodeStatus> done, CallOptions call = {});
  PendingCall approve_link_code_async(const std::string& code, StatusCallback done, CallOptions call = {});
  PendingCall deny_link_code_async(const std::string& code, StatusCallback done, CallOptions call = {});
  PendingCall list_devices_async(Callback<std::vector<Device>> done, CallOptions call = {});
  PendingCall unlink_devices_async(const std::vector<std::string>& device_ids, Callback<std::vector<std::string>> done,
                                   CallOptions call = {});
  PendingCall start_mvpd_session_async(const std::string& mvpd, const std::string& domain_name,
                                       const std::string& redirect_url, Callback<MvpdSession> done,
                                       CallOptions call = {});
  PendingCall mvpd_profiles_async(Callback<std::vector<MvpdProfile>> done, CallOptions call = {});
  PendingCall mvpd_logout_async(const std::string& mvpd, Callback<bool> done, CallOptions call = {});

  // A client is a cheap handle: copies share the same state.
  SsoClient(const SsoClient&) = default;
  SsoClient& operator=(const SsoClient&) = default;
  SsoClient(SsoClient&&) noexcept = default;
  SsoClient& operator=(SsoClient&&) noexcept = default;
  ~SsoClient();

  struct SSOKIT_INTERNAL State;  // internal

 private:
  explicit SsoClient(std::shared_ptr<State> state);
  std::shared_ptr<State> state_;
};

}  // namespace ssokit
