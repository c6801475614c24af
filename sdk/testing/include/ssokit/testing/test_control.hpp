#pragma once
// A client for the /test/ routes of a server started with `ssokit-server serve --test-control`
// (SPEC §6.4; the routes: docs/api.md §11): an app team's own tests drive a real test server
// with it: move the server's clock past a token's or a code's end, read the link codes a
// device made (so a test redeems without reading a screen), make the next calls of a route
// fail, be slow or drop the connection, and read what the server answered.
//
// Every call is one request, never retried, bounded by the timeout given at construction.
// Errors are Status values as the SDK's own: a server without --test-control answers 404,
// which is kBadRequest with a message that says so.
#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ssokit/result.hpp"
#include "ssokit/transport.hpp"
#include "ssokit/types.hpp"

namespace ssokit::testing {

// GET/POST /test/clock: the server's clock is its system clock plus an offset that only grows.
struct ServerClock {
  ServerTime now;
  std::chrono::seconds offset{0};
};

// A live code of GET /test/link-codes.
struct LiveLinkCode {
  std::string code;
  ServerTime not_after;
  bool approval_required = false;
};

// What the next calls of one route do instead of their usual answer (POST /test/faults):
// exactly one of an error answer, a delay or a dropped connection. Make one with the
// factories.
struct ServerFault {
  // The method and the route pattern as logs and metrics name it, "{sp}" written literally:
  // "POST /api/{sp}/link", "GET /api/{sp}/link/status".
  std::string route;
  int status = 0;                      // the error envelope with this status...
  std::string code;                    // ...and this catalog code (docs/errors.md)
  std::chrono::milliseconds delay{0};  // or: hold the call this long, then run it
  bool drop = false;                   // or: close the connection without an answer
  int count = 1;                       // how many calls it applies to

  static ServerFault error(std::string route, int status, std::string code, int count = 1);
  static ServerFault delayed(std::string route, std::chrono::milliseconds delay, int count = 1);
  static ServerFault dropped(std::string route, int count = 1);
};

// A request as GET /test/requests shows it: the route pattern (never the path), the status
// answered (0: the connection was closed without an answer), the trace of the answer, and the
// request's headers with tokens, secrets, codes and device ids "[redacted]".
struct RecordedRequest {
  std::string method;
  std::string route;
  int status = 0;
  std::string trace;
  std::map<std::string, std::string> headers;
};

class TestControl {
 public:
  // `server`: the base URL of a server started with --test-control, e.g.
  // "http://127.0.0.1:8081" (test control is loopback only). `transport`: null for libcurl
  // (required when the SDK was built without it, SSOKIT_WITH_CURL=OFF).
  explicit TestControl(std::string server, std::shared_ptr<HttpTransport> transport = nullptr,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10));

  Result<ServerClock> clock() const;
  // Moves the server's clock forward (0 to ten years per call; never backwards).
  Result<ServerClock> advance_clock(std::chrono::seconds by) const;

  // The live codes `device_id` (the id of SsoClient::device_id()) made for `service_provider`
  // while test control was on, oldest first; the newest is back().
  Result<std::vector<LiveLinkCode>> link_codes(const std::string& service_provider, const std::string& device_id) const;

  Status add_fault(const ServerFault& fault) const;
  Status clear_faults() const;

  // The last `limit` requests the server answered, oldest first; 0: all it keeps (1000).
  Result<std::vector<RecordedRequest>> requests(std::size_t limit = 0) const;

  // Clears faults and recorded requests and sets the clock's offset back to 0; stored data
  // (devices, codes, limits) stays.
  Status reset() const;

 private:
  Result<HttpResponse> send(const std::string& method, const std::string& path_and_query,
                            const std::string& body = "") const;

  std::string server_;
  std::shared_ptr<HttpTransport> transport_;
  std::chrono::milliseconds timeout_;
};

}  // namespace ssokit::testing
