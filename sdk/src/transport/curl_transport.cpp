// make_curl_transport: HttpTransport on libcurl. Each call leases a handle from a
// CurlHandlePool (connection reuse), drives it with its own poll() loop over the sockets curl
// asks for (curl_multi_socket_action) so the cancel flag is looked at every
// kCancelPollInterval, and turns curl's outcome into a TransportResult.
#include <curl/curl.h>
#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <chrono>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "ssokit/transport.hpp"
#include "ssokit/transport_support.hpp"
#include "transport/curl_handle_pool.hpp"

namespace ssokit {
namespace {

using internal::CurlHandlePool;

// With no cancel flag, the multi loop sleeps until curl has something to do or this long.
constexpr int kIdlePollMillis = 1000;

void init_curl_once() {
  static std::once_flag once;
  // Never undone: curl_global_cleanup would pull libcurl (and OpenSSL) from under any other
  // transport or library of the process still using it.
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' || text.back() == '\n')) {
    text.remove_suffix(1);
  }
  return text;
}

// What one transfer has received so far, filled by curl's callbacks.
struct Transfer {
  Transfer() { response.headers.reserve(16); }  // an SSO answer has about ten
  HttpResponse response;
  std::size_t kept_bytes = 0;
  bool too_large = false;
  bool request_started = false;  // curl was about to send the request (connection ready)
};

bool keep(Transfer& transfer, std::size_t bytes) {
  if (bytes > kMaxResponseBytes - transfer.kept_bytes) {
    transfer.too_large = true;
    return false;
  }
  transfer.kept_bytes += bytes;
  return true;
}

// Called once per header line, status lines and the blank line included; an interim (1xx)
// response's lines come first, so a status line starts the kept headers afresh.
std::size_t on_header_line(char* data, std::size_t size, std::size_t count, void* user) {
  auto& transfer = *static_cast<Transfer*>(user);
  const std::size_t bytes = size * count;
  const std::string_view raw(data, bytes);
  std::vector<HttpHeader>& headers = transfer.response.headers;
  if (raw.substr(0, 5) == "HTTP/") {
    headers.clear();
    transfer.kept_bytes = 0;
    return bytes;
  }
  const std::string_view line = trim(raw);
  if (line.empty()) return bytes;
  if (!keep(transfer, bytes)) return 0;
  if ((raw.front() == ' ' || raw.front() == '\t') && !headers.empty()) {  // obsolete line folding
    headers.back().value.append(" ").append(line);
    return bytes;
  }
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return bytes;  // not a header: nothing to keep
  headers.push_back({std::string(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1)))});
  return bytes;
}

std::size_t on_body_bytes(char* data, std::size_t size, std::size_t count, void* user) {
  auto& transfer = *static_cast<Transfer*>(user);
  const std::size_t bytes = size * count;
  if (!keep(transfer, bytes)) return 0;  // curl ends the transfer with CURLE_WRITE_ERROR
  transfer.response.body.append(data, bytes);
  return bytes;
}

int on_request_about_to_be_sent(void* user, char* /*remote_ip*/, char* /*local_ip*/, int /*remote_port*/,
                                int /*local_port*/) {
  static_cast<Transfer*>(user)->request_started = true;
  return CURL_PREREQFUNC_OK;
}

// curl_easy_setopt for many options, remembering the first failure.
class EasyOptions {
 public:
  explicit EasyOptions(CURL* easy) : easy_(easy) {}
  template <class Value>
  void set(CURLoption option, Value value) {
    const CURLcode code = curl_easy_setopt(easy_, option, value);
    if (first_error_ == CURLE_OK) first_error_ = code;
  }
  CURLcode first_error() const { return first_error_; }

 private:
  CURL* easy_;
  CURLcode first_error_ = CURLE_OK;
};

TransportResult failure(Status status, bool not_sent) {
  TransportResult result;
  result.status = std::move(status);
  result.not_sent = not_sent;
  return result;
}

bool is_cancelled(const TransportCall& call) {
  return call.cancelled && call.cancelled->load();
}

// curl's outcome as a Status. Messages name what happened, never the URL or a header.
TransportResult failure_from(CURLcode code, const Transfer& transfer, const TransportCall& call) {
  const bool not_sent = !transfer.request_started;
  if (transfer.too_large || code == CURLE_FILESIZE_EXCEEDED) {
    return failure(
        Status(ErrorCode::kNetworkError,
               "response too large (over " + std::to_string(kMaxResponseBytes / (std::size_t{1024} * 1024)) + " MiB)"),
        not_sent);
  }
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      // curl's overall timeout ends at the call's deadline; one earlier is the connect timeout,
      // a connection failure that leaves the call time to try again.
      if (not_sent && std::chrono::steady_clock::now() < call.deadline) {
        return failure(Status(ErrorCode::kNetworkError, "could not connect within the connect timeout"), true);
      }
      return failure(Status(ErrorCode::kTimeout, not_sent ? "the deadline passed before the request was sent"
                                                          : "the deadline passed while waiting for the answer"),
                     not_sent);
    case CURLE_COULDNT_RESOLVE_HOST:
      return failure(Status(ErrorCode::kNetworkError, "could not resolve the server's host name"), true);
    case CURLE_COULDNT_RESOLVE_PROXY:
      return failure(Status(ErrorCode::kNetworkError, "could not resolve the proxy's host name"), true);
    case CURLE_COULDNT_CONNECT:
      return failure(Status(ErrorCode::kNetworkError, "could not connect to the server"), true);
    default:
      return failure(Status(ErrorCode::kNetworkError, std::string(not_sent ? "could not send the request: "
                                                                           : "the answer did not arrive whole: ") +
                                                          curl_easy_strerror(code)),
                     not_sent);
  }
}

class CurlTransport final : public HttpTransport, public std::enable_shared_from_this<CurlTransport> {
 public:
  explicit CurlTransport(CurlTransportOptions options)
      : options_(std::move(options)), pool_(options_.max_connections) {}

  TransportResult send(const HttpRequest& request, const TransportCall& call) override {
    // A call in flight keeps the transport, and so the handle it leases, alive.
    const std::shared_ptr<CurlTransport> self = shared_from_this();
    if (Status invalid = check_request(request); !invalid.ok()) return failure(std::move(invalid), true);
    if (is_cancelled(call))
      return failure(Status(ErrorCode::kCancelled, "the call was cancelled before it was sent"), true);
    if (std::chrono::steady_clock::now() >= call.deadline) {
      return failure(Status(ErrorCode::kTimeout, "the deadline passed before the request was sent"), true);
    }
    Result<CurlHandlePool::Lease> lease = pool_.acquire(call);
    if (!lease) return failure(lease.status(), true);
    return perform(request, call, **lease);
  }

 private:
  TransportResult perform(const HttpRequest& request, const TransportCall& call, internal::CurlHandle& handle) {
    CURL* easy = handle.easy();
    if (!handle.configured()) {
      curl_easy_reset(easy);  // keeps the connection cache and the share
      EasyOptions shared(easy);
      configure_once(shared);
      if (shared.first_error() != CURLE_OK) {
        return failure(Status(ErrorCode::kNetworkError,
                              std::string("libcurl refused an option: ") + curl_easy_strerror(shared.first_error())),
                       true);
      }
      handle.set_configured(true);
    }

    Transfer transfer;
    if (!handle.headers().assign(request)) {
      return failure(Status(ErrorCode::kNetworkError, "out of memory building the request"), true);
    }

    long timeout_millis = 0;  // curl's "no timeout"
    if (call.deadline != std::chrono::steady_clock::time_point::max()) {
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(call.deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        return failure(Status(ErrorCode::kTimeout, "the deadline passed before the request was sent"), true);
      }
      timeout_millis = static_cast<long>(
          std::min<std::chrono::milliseconds::rep>(left.count(), std::numeric_limits<long>::max()));
    }

    EasyOptions set(easy);
    configure_call(set, request, transfer, handle.headers().get(), timeout_millis);
    if (set.first_error() != CURLE_OK) {
      handle.set_configured(false);  // start from curl's defaults next time
      return failure(Status(ErrorCode::kNetworkError,
                            std::string("libcurl refused an option: ") + curl_easy_strerror(set.first_error())),
                     true);
    }

    const Outcome outcome = run(handle, call);
    if (outcome.cancelled) {
      return failure(Status(ErrorCode::kCancelled, "the call was cancelled"), !transfer.request_started);
    }
    if (outcome.multi_code != CURLM_OK) {
      return failure(
          Status(ErrorCode::kNetworkError, std::string("libcurl failed: ") + curl_multi_strerror(outcome.multi_code)),
          !transfer.request_started);
    }
    if (outcome.poll_error != 0) {
      return failure(Status(ErrorCode::kNetworkError, std::string("waiting for the network failed: ") +
                                                          std::strerror(outcome.poll_error)),
                     !transfer.request_started);
    }
    if (outcome.code != CURLE_OK) return failure_from(outcome.code, transfer, call);

    long status = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    TransportResult result;
    result.response = std::move(transfer.response);
    result.response.status = static_cast<int>(status);
    return result;
  }

  // The options every call of this transport shares.
  void configure_once(EasyOptions& set) const {
    set.set(CURLOPT_NOSIGNAL, 1L);
    set.set(CURLOPT_PROTOCOLS_STR, "http,https");
    set.set(CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
    set.set(CURLOPT_FOLLOWLOCATION, 0L);
    // Zero or less: no connect timeout of its own (curl's default), only the call's deadline.
    set.set(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::clamp<std::chrono::milliseconds::rep>(
                                           options_.connect_timeout.count(), 0, std::numeric_limits<long>::max())));
    // "" turns proxying off, and with it the http_proxy/https_proxy environment variables.
    set.set(CURLOPT_PROXY, options_.proxy.c_str());
    set.set(CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);  // a proxy's CONNECT answer is not the response
    if (!options_.ca_bundle.empty()) set.set(CURLOPT_CAINFO, options_.ca_bundle.c_str());
    set.set(CURLOPT_SSL_VERIFYPEER, options_.verify_peer ? 1L : 0L);
    set.set(CURLOPT_SSL_VERIFYHOST, options_.verify_peer ? 2L : 0L);
    set.set(CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(kMaxResponseBytes));  // refused from Content-Length
    set.set(CURLOPT_HEADERFUNCTION, &on_header_line);
    set.set(CURLOPT_WRITEFUNCTION, &on_body_bytes);
    set.set(CURLOPT_PREREQFUNCTION, &on_request_about_to_be_sent);
  }

  // The options of this call, each one set on every call so nothing of the last call stays.
  static void configure_call(EasyOptions& set, const HttpRequest& request, Transfer& transfer, curl_slist* headers,
                             long timeout_millis) {
    set.set(CURLOPT_HEADERDATA, static_cast<void*>(&transfer));
    set.set(CURLOPT_WRITEDATA, static_cast<void*>(&transfer));
    set.set(CURLOPT_PREREQDATA, static_cast<void*>(&transfer));
    set.set(CURLOPT_HTTPHEADER, headers);
    set.set(CURLOPT_URL, request.url.c_str());
    set.set(CURLOPT_TIMEOUT_MS, timeout_millis);

    const std::string& method = request.method;
    set.set(CURLOPT_CUSTOMREQUEST, static_cast<const char*>(nullptr));
    set.set(CURLOPT_NOBODY, method == "HEAD" ? 1L : 0L);
    if (method == "HEAD") {
      // NOBODY made it a HEAD request
    } else if (!request.body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
      set.set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
      set.set(CURLOPT_POSTFIELDS, request.body.data());  // also makes the request a POST
      if (method != "POST") set.set(CURLOPT_CUSTOMREQUEST, method.c_str());
    } else {
      // No body of an earlier call stays behind; HTTPGET also undoes NOBODY and POST.
      set.set(CURLOPT_POSTFIELDS, static_cast<const char*>(nullptr));
      set.set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(-1));
      set.set(CURLOPT_HTTPGET, 1L);
      if (method != "GET") set.set(CURLOPT_CUSTOMREQUEST, method.c_str());
    }
  }

  struct Outcome {
    CURLcode code = CURLE_FAILED_INIT;  // the transfer's result, once curl reports it done
    CURLMcode multi_code = CURLM_OK;    // the multi handle's own failure
    int poll_error = 0;                 // errno of a failed poll()
    bool cancelled = false;             // stopped because the cancel flag was set
  };

  // Drives the transfer to its end, or until the cancel flag is seen: waits in poll() on the
  // sockets curl asked for, no longer than until curl's timer is due (or the next look at the
  // cancel flag), and tells curl what happened with curl_multi_socket_action.
  static Outcome run(internal::CurlHandle& handle, const TransportCall& call) {
    CURLM* multi = handle.multi();
    CURL* easy = handle.easy();
    internal::CurlSocketWatch& watch = handle.watch();
    Outcome outcome;
    outcome.multi_code = curl_multi_add_handle(multi, easy);  // sets curl's timer to "due now"
    if (outcome.multi_code != CURLM_OK) return outcome;
    const std::chrono::milliseconds longest_wait =
        call.cancelled ? kCancelPollInterval : std::chrono::milliseconds(kIdlePollMillis);
    int running = 1;
    while (running > 0 && outcome.multi_code == CURLM_OK) {
      if (is_cancelled(call)) {
        outcome.cancelled = true;
        break;
      }
      const auto timer = watch.timer_left(std::chrono::steady_clock::now());
      if (timer && timer->count() <= 0) {
        outcome.multi_code = curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running);
        continue;
      }
      std::chrono::milliseconds wait = longest_wait;
      if (timer) wait = std::min(wait, std::chrono::ceil<std::chrono::milliseconds>(*timer));
      std::vector<pollfd>& sockets = watch.poll_set();
      const int ready = ::poll(sockets.data(), static_cast<nfds_t>(sockets.size()), static_cast<int>(wait.count()));
      if (ready < 0) {
        if (errno == EINTR) continue;
        outcome.poll_error = errno;
        break;
      }
      for (const pollfd& socket : sockets) {
        if (socket.revents == 0 || outcome.multi_code != CURLM_OK) continue;
        int events = 0;
        if ((socket.revents & (POLLIN | POLLHUP)) != 0) events |= CURL_CSELECT_IN;
        if ((socket.revents & POLLOUT) != 0) events |= CURL_CSELECT_OUT;
        if ((socket.revents & (POLLERR | POLLNVAL)) != 0) events |= CURL_CSELECT_ERR;
        outcome.multi_code = curl_multi_socket_action(multi, socket.fd, events, &running);
        if ((socket.revents & POLLNVAL) != 0) watch.forget(socket.fd);
      }
    }
    int queued = 0;
    while (CURLMsg* message = curl_multi_info_read(multi, &queued)) {
      if (message->msg == CURLMSG_DONE && message->easy_handle == easy) outcome.code = message->data.result;
    }
    // Mid-transfer (cancelled), this closes the connection instead of keeping it.
    curl_multi_remove_handle(multi, easy);
    return outcome;
  }

  const CurlTransportOptions options_;
  CurlHandlePool pool_;
};

}  // namespace

std::shared_ptr<HttpTransport> make_curl_transport(CurlTransportOptions options) {
  init_curl_once();
  return std::make_shared<CurlTransport>(std::move(options));
}

}  // namespace ssokit
