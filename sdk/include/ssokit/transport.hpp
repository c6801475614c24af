#pragma once
// The one seam between the SDK and the network. A transport sends a request and returns the
// response: 4xx and 5xx are responses, not errors; only failures to get an answer (and
// timeouts, cancellation) are errors. Implementations must be safe to call from many
// threads at once. libcurl is the default (make_curl_transport); Qt Network is optional; a
// team can bring its platform's HTTP stack (docs/sdk.md).
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "ssokit/build_config.hpp"
#include "ssokit/export.hpp"
#include "ssokit/status.hpp"

namespace ssokit {

struct HttpHeader {
  std::string name;
  std::string value;
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<HttpHeader> headers;
  std::string body;
};

struct SSOKIT_API HttpResponse {
  int status = 0;
  std::vector<HttpHeader> headers;
  std::string body;

  // First header with this name, case-insensitively; "" when absent.
  std::string header(const std::string& name) const;
};

// Set by the SDK when a call is cancelled; transports poll it while waiting.
using CancelFlag = std::shared_ptr<const std::atomic<bool>>;

struct TransportCall {
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  CancelFlag cancelled;  // may be null
};

struct TransportResult {
  Status status;  // kOk with a response, or kNetworkError / kTimeout / kCancelled
  HttpResponse response;
  // True when the request certainly never reached the server (connection refused, DNS),
  // so even a non-idempotent call may be retried.
  bool not_sent = false;
};

class SSOKIT_API HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  virtual TransportResult send(const HttpRequest& request, const TransportCall& call) = 0;
};

#if SSOKIT_HAS_CURL_TRANSPORT
struct CurlTransportOptions {
  std::string ca_bundle;  // PEM file of trusted CAs; "" = the system's
  std::string proxy;      // e.g. "http://proxy:3128"; "" = none (curl's environment variables are ignored)
  std::chrono::milliseconds connect_timeout{10000};
  std::size_t max_connections = 8;  // kept alive and reused across calls and threads
  bool verify_peer = true;
};

// The libcurl transport: one-time global init, no signals, connections reused across calls
// and threads, cancellable.
SSOKIT_API std::shared_ptr<HttpTransport> make_curl_transport(CurlTransportOptions options = {});
#endif  // SSOKIT_HAS_CURL_TRANSPORT: not in an SDK built with SSOKIT_WITH_CURL=OFF

}  // namespace ssokit
