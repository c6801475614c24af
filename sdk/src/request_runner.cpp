#include "request_runner.hpp"

#include <random>

#include "backoff.hpp"
#include "redaction.hpp"
#include "wire/wire.hpp"

namespace ssokit::internal {
namespace {

bool is_access_token_error(const Status& status) {
  return status.server_error() && (status.server_error()->code == "invalid_access_token_client_application" ||
                                   status.server_error()->code == "invalid_access_token_service_provider");
}

// 502/503/504 say the server (or a proxy before it) did not do the work.
bool is_transient_server_status(int status) { return status == 502 || status == 503 || status == 504; }

}  // namespace

RequestRunner::RequestRunner(const ClientOptions& options, std::shared_ptr<HttpTransport> transport, Clock& clock)
    : options_(options), transport_(std::move(transport)), clock_(clock), random_(options.random) {
  if (!random_) {
    auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
    random_ = [engine] { return (*engine)(); };
  }
}

std::uint64_t RequestRunner::random() {
  std::lock_guard lock(random_mutex_);
  return random_();
}

std::chrono::system_clock::time_point RequestRunner::server_now() const {
  return clock_.system_now() + server_offset();
}

void RequestRunner::log(LogLevel level, const std::string& message) const {
  if (!options_.log) return;
  options_.log(level, options_.redact_logs ? redact(message) : message);
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
      log(LogLevel::kWarn, request.method + " " + request.path + " failed: " + result.status.message());
      if (result.status.code() == ErrorCode::kCancelled || result.status.code() == ErrorCode::kTimeout) {
        return result.status;
      }
      last = result.status;
      // A request that may have reached the server is repeated only if repeating is harmless.
      if (!(request.idempotent || result.not_sent)) return last;
      if (Status waited = call.wait(backoff_delay(attempt, policy, random())); !waited.ok()) return last;
      continue;
    }

    HttpResponse& response = result.response;
    if (const std::string date = response.header("Date"); !date.empty()) {
      if (const auto server_time = wire::parse_http_date(date)) {
        set_server_offset(std::chrono::duration_cast<std::chrono::milliseconds>(*server_time - clock_.system_now()));
      }
    }
    if (options_.log) {  // the line is built only for an app that listens
      log(LogLevel::kDebug, request.method + " " + request.path + " -> " + std::to_string(response.status) + " (" +
                                std::to_string(millis) + " ms)");
    }
    if (response.status >= 200 && response.status < 300) return std::move(response);

    last = wire::status_from_response(response);
    if (response.status == 401 && request.needs_access_token && is_access_token_error(last) &&
        !access_token_renewed) {
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
      if (Status waited = call.wait(wait); !waited.ok()) return last;
      continue;
    }
    if (is_transient_server_status(response.status) && request.idempotent) {
      if (Status waited = call.wait(backoff_delay(attempt, policy, random())); !waited.ok()) return last;
      continue;
    }
    return last;
  }
  return last;
}

}  // namespace ssokit::internal
