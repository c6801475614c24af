#include "request_runner.hpp"

#include <optional>
#include <random>

#include "backoff.hpp"
#include "redaction.hpp"
#include "time_limits.hpp"
#include "wire/wire.hpp"

namespace ssokit::internal {
namespace {

bool is_access_token_error(const Status& status) {
  return status.server_error() && (status.server_error()->code == "invalid_access_token_client_application" ||
                                   status.server_error()->code == "invalid_access_token_service_provider");
}

// 502/503/504 say the server (or a proxy before it) did not do the work.
bool is_transient_server_status(int status) {
  return status == 502 || status == 503 || status == 504;
}

// Headers that carry nothing private; every other header value is kept out of log lines.
bool is_public_header(const std::string& name) {
  return name == "Accept" || name == "Content-Type" || name == "User-Agent";
}

// Waits `delay` before the next attempt. Returns what the call answers instead of retrying:
// the failure that made it wait (`last`), at once, when the deadline would pass before the
// retry could start (it says more than kTimeout: offline, server down, rate limited);
// kCancelled when the caller cancels during the wait.
std::optional<Status> wait_to_retry(const CallContext& call, std::chrono::milliseconds delay, const Status& last) {
  if (delay >= call.remaining()) return last;
  const Status waited = call.wait(delay);
  if (waited.ok()) return std::nullopt;
  return waited.code() == ErrorCode::kCancelled ? waited : last;
}

// "Bearer <token>" and "fingerprint <id>": the credential after the scheme word.
std::string_view credential_of(std::string_view value) {
  const auto space = value.find(' ');
  return space == std::string_view::npos ? value : value.substr(space + 1);
}

}  // namespace

RequestRunner::RequestRunner(const ClientOptions& options, std::shared_ptr<HttpTransport> transport, Clock& clock,
                             std::string device_id)
    : options_(options),
      transport_(std::move(transport)),
      clock_(clock),
      device_id_(std::move(device_id)),
      random_(options.random) {
  if (!random_) {
    auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
    random_ = [engine] { return (*engine)(); };
  }
}

std::uint64_t RequestRunner::random() {
  std::lock_guard lock(random_mutex_);
  return random_();
}

bool RequestRunner::set_server_offset(std::chrono::milliseconds offset) {
  if (offset > kMaxServerClockOffset || offset < -kMaxServerClockOffset) return false;
  server_offset_ms_.store(offset.count());
  return true;
}

std::chrono::system_clock::time_point RequestRunner::server_now() const {
  return clock_.system_now() + server_offset();
}

void RequestRunner::learn_server_clock(const std::string& date) {
  const auto server_time = wire::parse_http_date(date);
  if (!server_time) return;
  // In ms since the epoch both are far inside int64, so the difference cannot overflow, as
  // it could in the clocks' nanoseconds (a Date from 1678 is 350 years from now).
  using std::chrono::milliseconds;
  const auto server_ms = std::chrono::duration_cast<milliseconds>(server_time->time_since_epoch());
  const auto device_ms = std::chrono::duration_cast<milliseconds>(clock_.system_now().time_since_epoch());
  if (!set_server_offset(server_ms - device_ms)) {
    log(LogLevel::kWarn, "ignored an answer's Date header: it is more than a year from this device's clock");
  }
}

void RequestRunner::log(LogLevel level, const std::string& message,
                        const std::vector<std::string_view>& private_values) const {
  if (!options_.log) return;
  if (!options_.redact_logs) return options_.log(level, message);
  std::vector<std::string_view> hidden = private_values;
  hidden.push_back(device_id_);
  options_.log(level, redact(message, hidden));
}

void RequestRunner::log_request(LogLevel level, const ApiRequest& request, const HttpRequest& http,
                                const std::string& message) const {
  if (!options_.log) return;  // the line is built only for an app that listens
  std::vector<std::string_view> hidden(request.private_values.begin(), request.private_values.end());
  for (const HttpHeader& header : http.headers) {
    if (is_public_header(header.name)) continue;
    hidden.push_back(header.value);
    hidden.push_back(credential_of(header.value));
  }
  log(level, message, hidden);
}

Result<HttpResponse> RequestRunner::run(ApiRequest& request, CallContext& call) {
  // The request's headers and body are lent to the HTTP request, not copied, and handed back.
  const std::size_t caller_headers = request.headers.size();
  HttpRequest http;
  http.method = request.method;
  http.url.reserve(options_.server.size() + request.path.size());
  http.url.append(options_.server).append(request.path);
  http.headers = std::move(request.headers);
  http.headers.reserve(caller_headers + 3);
  http.headers.push_back({"Accept", "application/json"});
  http.headers.push_back({"User-Agent", options_.user_agent});
  if (request.needs_access_token) http.headers.push_back({"Authorization", std::string()});
  http.body = std::move(request.body);

  Result<HttpResponse> response = attempts(request, http, call);

  http.headers.erase(http.headers.begin() + static_cast<std::ptrdiff_t>(caller_headers), http.headers.end());
  request.headers = std::move(http.headers);
  request.body = std::move(http.body);
  return response;
}

// `request`'s headers and body are in `http` meanwhile; a retry sends the same `http`, with
// the access token of the moment.
Result<HttpResponse> RequestRunner::attempts(const ApiRequest& request, HttpRequest& http, CallContext& call) {
  const RetryPolicy& policy = options_.retry;
  bool access_token_renewed = false;
  Status last(ErrorCode::kNetworkError, "no attempt was made");
  for (int attempt = 0; attempt < std::max(policy.max_attempts, 1); ++attempt) {
    if (Status status = call.check(); !status.ok()) return status;

    std::string access_token;
    if (request.needs_access_token) {
      auto token = access_tokens_->access_token(call);
      if (!token) return token.status();
      access_token = std::move(token).value();
      http.headers.back().value = "Bearer " + access_token;
    }

    const auto started = clock_.steady_now();
    TransportCall transport_call;
    transport_call.deadline = call.transport_deadline();
    transport_call.cancelled = call.cancel_flag();
    TransportResult result = transport_->send(http, transport_call);
    const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(clock_.steady_now() - started).count();

    if (!result.status.ok()) {
      if (options_.log) {
        log_request(LogLevel::kWarn, request, http,
                    request.method + " " + request.path + " failed: " + result.status.message());
      }
      if (result.status.code() == ErrorCode::kCancelled || result.status.code() == ErrorCode::kTimeout) {
        return result.status;
      }
      last = result.status;
      // A request that may have reached the server is repeated only if repeating is harmless.
      if (!(request.idempotent || result.not_sent) || attempt + 1 >= policy.max_attempts) return last;
      if (auto stop = wait_to_retry(call, backoff_delay(attempt, policy, random()), last)) return *stop;
      continue;
    }

    HttpResponse& response = result.response;
    if (const std::string date = response.header("Date"); !date.empty()) learn_server_clock(date);
    if (options_.log) {  // the line is built only for an app that listens
      log_request(LogLevel::kDebug, request, http,
                  request.method + " " + request.path + " -> " + std::to_string(response.status) + " (" +
                      std::to_string(millis) + " ms)");
    }
    if (response.status >= 200 && response.status < 300) return std::move(response);

    last = wire::status_from_response(response);
    if (response.status == 401 && request.needs_access_token && is_access_token_error(last) && !access_token_renewed) {
      // The access token expired or the client was removed: renew (re-registering if needed) once.
      access_tokens_->reject(access_token);
      access_token_renewed = true;
      --attempt;  // the renewal is not a retry of a failure
      continue;
    }
    if (response.status == 429) {
      const auto wait = last.retry_after().count() > 0 ? last.retry_after() : backoff_delay(attempt, policy, random());
      if (wait > policy.max_retry_after || wait >= call.remaining() || attempt + 1 >= policy.max_attempts) {
        return last;
      }
      log(LogLevel::kInfo, "rate limited; retrying in " + std::to_string(wait.count()) + " ms");
      if (auto stop = wait_to_retry(call, wait, last)) return *stop;
      continue;
    }
    if (is_transient_server_status(response.status) && request.idempotent && attempt + 1 < policy.max_attempts) {
      // A 503 may say when to come back (store_unavailable, too_many_waiters): as for a 429.
      const auto wait = last.retry_after().count() > 0 ? last.retry_after() : backoff_delay(attempt, policy, random());
      if (wait > policy.max_retry_after) return last;
      if (auto stop = wait_to_retry(call, wait, last)) return *stop;
      continue;
    }
    return last;
  }
  return last;
}

}  // namespace ssokit::internal
