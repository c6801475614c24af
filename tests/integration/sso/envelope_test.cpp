// SPEC §2 "Errors": the envelope of every non-2xx answer of the SSO routes, the trace id,
// the generic HTTP errors of those routes, and Cache-Control on token and code answers.
#include <set>
#include <string>

#include "sso_helpers.hpp"

namespace ssokit::testing::sso {
namespace {

using EnvelopeTest = SsoTest;

TEST_F(EnvelopeTest, EveryErrorHasTheEnvelopeAndAFreshTraceThatIsLogged) {
  const SignedIn phone = sign_in("phone", "alice");
  struct Case {
    const char* what;
    HttpResponse response;
    long status;
    const char* code;
    const char* action;
  };
  Headers unlink_json = token_headers(phone);
  unlink_json.emplace_back("Content-Type", "application/json");
  Headers no_json = token_headers(phone);
  no_json.emplace_back("Accept", "text/html");
  const std::vector<Case> cases = {
      {"POST serviceToken without device", call("POST", path("serviceToken"), {{"X-SSO-ID", "alice"}}), 400,
       "header_missing", "check_headers"},
      {"GET serviceToken without token", call("GET", path("serviceToken")), 400, "header_missing", "check_headers"},
      {"list without token", call("GET", path("list"), {{"AP-Device-Identifier", fingerprint("phone")}}), 401,
       "header_missing", "check_headers"},
      {"list with garbage token", list({phone.device_id, "garbage"}), 401, "header_invalid", "get_new_token"},
      {"link code unknown", redeem("tv", "000000"), 400, "link_code_invalid", "get_new_link_code"},
      {"unlink null", unlink(phone, "null"), 400, "request_null", "none"},
      {"unlink []", unlink(phone, "{\"devices\":[]}"), 400, "request_invalid", "check_request_body"},
      {"unlink text/plain", unlink(phone, "{}", "text/plain"), 415, "media_type_unsupported", "check_headers"},
      {"PUT link", call("PUT", path("link"), token_headers(phone)), 405, "method_not_allowed", "none"},
      {"GET unlink", call("GET", path("unlink"), token_headers(phone)), 405, "method_not_allowed", "none"},
      {"DELETE serviceToken", call("DELETE", path("serviceToken"), token_headers(phone)), 405, "method_not_allowed",
       "none"},
      {"list Accept text/html", call("GET", path("list"), no_json), 406, "not_acceptable", "check_headers"},
      {"unlink over 64 KiB", call("POST", path("unlink"), unlink_json,
                                  "{\"devices\":[\"" + std::string(70 * 1024, 'a') + "\"]}"),
       413, "payload_too_large", "check_request_body"},
      {"unknown path", call("GET", "/api/demo/nowhere", token_headers(phone)), 404, "resource_not_found", "none"},
  };
  std::set<std::string> traces;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    expect_error(c.response, c.status, c.code, c.action);
    const std::string trace = c.response.json("error.trace").value_or("");
    EXPECT_TRUE(traces.insert(trace).second) << "trace reused: " << trace;
  }
  // The trace is in the server's log line of that request.
  const std::string later_log = server().log();
  for (const Case& c : cases) {
    const std::string trace = c.response.json("error.trace").value_or("?");
    EXPECT_NE(later_log.find(trace), std::string::npos) << c.what << ": trace " << trace << " not logged";
  }
}

TEST_F(EnvelopeTest, TokenAndCodeAnswersAreNotCached) {
  const HttpResponse signed_in = post_token("phone", {{"X-SSO-ID", "alice"}});
  ASSERT_EQ(signed_in.status, 201);
  EXPECT_EQ(signed_in.header("cache-control"), "no-store");
  EXPECT_FALSE(signed_in.header("date").empty());
  const SignedIn phone{device_id("phone"), signed_in.json("serviceToken").value_or("")};
  const HttpResponse refreshed = refresh(phone);
  ASSERT_EQ(refreshed.status, 200);
  EXPECT_EQ(refreshed.header("cache-control"), "no-store");
  const HttpResponse code = link(phone);
  ASSERT_EQ(code.status, 201);
  EXPECT_EQ(code.header("cache-control"), "no-store");
  const HttpResponse joined = redeem("tv", code.json("code").value_or(""));
  ASSERT_EQ(joined.status, 201);
  EXPECT_EQ(joined.header("cache-control"), "no-store");
  EXPECT_FALSE(joined.has_json("error"));
}

}  // namespace
}  // namespace ssokit::testing::sso
