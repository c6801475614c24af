#pragma once
// Helpers of the SSO integration tests (sso/, link_flow/): the SPEC §2 error envelope and the calls of
// SPEC §2's SSO table.
#include <string>
#include <vector>

#include "api_test.hpp"

namespace ssokit::testing::sso {

// Asserts the SPEC §2 error envelope on `response`, with the given HTTP status, code and
// action (use ASSERT_NO_FATAL_FAILURE / EXPECT_NO_FATAL_FAILURE around it, or just call it).
void expect_error(const HttpResponse& response, long status, const std::string& code, const std::string& action);

// The upper-snake reason phrase SPEC §2 wants as the outer "status" of an error.
std::string reason_constant(long status);

// The `sub` claim of a service token: the profile's opaque pseudonym, equal for every
// device of one profile ("" when the token cannot be read).
std::string sub_of(const std::string& service_token);

// The base of the SSO tests: ApiTest plus the calls of SPEC §2's SSO table. Tests that
// need flags derive and override extra_args().
class SsoTest : public ApiTest {
 protected:
  // POST serviceToken from `device` (AP-Device-Identifier added) with `extra` headers.
  HttpResponse post_token(const std::string& device, Headers extra = {}) {
    extra.emplace_back("AP-Device-Identifier", fingerprint(device));
    return call("POST", path("serviceToken"), std::move(extra));
  }
  HttpResponse refresh(const SignedIn& device) { return call("GET", path("serviceToken"), token_headers(device)); }
  HttpResponse link(const SignedIn& device) { return call("POST", path("link"), token_headers(device)); }
  HttpResponse list(const SignedIn& device) { return call("GET", path("list"), token_headers(device)); }
  std::string metrics() { return send({"GET", server().base_url() + "/metrics", {}, std::nullopt}).body; }
};

}  // namespace ssokit::testing::sso
