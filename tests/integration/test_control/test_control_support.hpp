#pragma once
// The base of the test-control tests (SPEC §6.4): a server started with --test-control, and
// the /test/ calls a CI job makes.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api_test.hpp"

namespace ssokit::testing::test_control {

// A code as GET /test/link-codes lists it.
struct ListedCode {
  std::string code;
  long long not_after = 0;
  std::string approval;
};

// A request as GET /test/requests lists it.
struct RecordedCall {
  std::string method;
  std::string route;
  long status = -1;
  std::string trace;
  std::map<std::string, std::string> headers;
};

// The SPEC §2 error envelope with this status and code.
void expect_error(const HttpResponse& response, long status, const std::string& code);

// An HTTP-date ("Sun, 06 Nov 1994 08:49:37 GMT") as seconds since the epoch; -1 when unreadable.
long long parse_http_date(const std::string& text);

// The lines of a server log whose "msg" is `message`, each parsed as HttpResponse::json().
std::vector<HttpResponse> log_lines(const std::string& log, const std::string& message);

class TestControlTest : public ApiTest {
 protected:
  std::vector<std::string> extra_args() const override {
    std::vector<std::string> args = {"--test-control"};
    for (const std::string& arg : more_args()) args.push_back(arg);
    return args;
  }
  // Flags beyond --test-control, for tests that need them.
  virtual std::vector<std::string> more_args() const { return {}; }

  // A /test/ call (no Authorization: the routes take none).
  HttpResponse test_call(const std::string& method, const std::string& path,
                         std::optional<std::string> body = std::nullopt);
  // POST /test/clock {"advanceSeconds":seconds}.
  HttpResponse advance(long long seconds);
  // GET /test/link-codes for the device id (base64) `device`; asserts 200.
  std::vector<ListedCode> listed_codes(const std::string& device, const std::string& sp = "demo");
  // POST /test/faults with `body`.
  HttpResponse add_fault(const std::string& body);
  // GET /test/requests[?limit=N]; asserts 200.
  std::vector<RecordedCall> recorded(std::optional<int> limit = std::nullopt);

  HttpResponse link(const SignedIn& device) { return call("POST", path("link"), token_headers(device)); }
  HttpResponse list(const SignedIn& device) { return call("GET", path("list"), token_headers(device)); }
  HttpResponse refresh(const SignedIn& device) { return call("GET", path("serviceToken"), token_headers(device)); }
  // The server's port, for raw connections.
  int port();
};

}  // namespace ssokit::testing::test_control
