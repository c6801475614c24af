#pragma once
// Local helpers of the SPEC §6.1–6.3 tests: the link status, approval and held calls.
#include <chrono>
#include <future>
#include <string>

#include "api_test.hpp"

namespace ssokit::testing::link_flow {

using Clock = std::chrono::steady_clock;

inline long long ms_since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

class LinkFlowTest : public ApiTest {
 protected:
  // Headers of `device`'s call about `code` (X-SSO-LINK).
  static Headers about(const SignedIn& device, const std::string& code) {
    Headers headers = token_headers(device);
    headers.emplace_back("X-SSO-LINK", code);
    return headers;
  }
  // GET link/status, with "?wait=<wait>" when `wait` is not empty.
  HttpResponse status(const SignedIn& device, const std::string& code, const std::string& wait = "") {
    return call("GET", path("link/status") + (wait.empty() ? "" : "?wait=" + wait), about(device, code));
  }
  // The same call on a thread of its own: a held request.
  std::future<HttpResponse> status_later(const SignedIn& device, const std::string& code, const std::string& wait) {
    return std::async(std::launch::async, [this, device, code, wait] { return status(device, code, wait); });
  }
  // POST link asking for approval; asserts 201 and returns the code.
  std::string approval_code(const SignedIn& device) {
    const HttpResponse made =
        call("POST", path("link"), with_json(token_headers(device)), R"({"approval":"required"})");
    EXPECT_EQ(made.status, 201) << made.body;
    EXPECT_EQ(made.json("approval"), "required") << made.body;
    return made.json("code").value_or("");
  }
  HttpResponse decide(const SignedIn& device, const std::string& code, bool approve) {
    return call("POST", path(approve ? "link/approve" : "link/deny"), about(device, code));
  }
  // POST serviceToken with X-SSO-LINK and a description of the device, ?wait when given.
  HttpResponse redeem_as(const std::string& device, const std::string& code, const std::string& wait = "") {
    return call("POST", path("serviceToken") + (wait.empty() ? "" : "?wait=" + wait),
                {{"AP-Device-Identifier", fingerprint(device)},
                 {"X-SSO-LINK", code},
                 {"X-Device-Info", device_info("TV", "QE55", "Tizen", "7.0")}});
  }
  std::future<HttpResponse> redeem_later(const std::string& device, const std::string& code, const std::string& wait) {
    return std::async(std::launch::async, [this, device, code, wait] { return redeem_as(device, code, wait); });
  }
  // POST serviceToken with X-SSO-ID, whatever the answer.
  HttpResponse post_sign_in(const std::string& device, const std::string& sso_id) {
    return call("POST", path("serviceToken"), {{"AP-Device-Identifier", fingerprint(device)}, {"X-SSO-ID", sso_id}});
  }
  static Headers with_json(Headers headers) {
    headers.emplace_back("Content-Type", "application/json");
    return headers;
  }
};

}  // namespace ssokit::testing::link_flow
