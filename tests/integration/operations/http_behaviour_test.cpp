// Generic HTTP behaviour of the server: the error envelope for 404/405/406/413/431/400,
// Date and X-Trace-Id on every answer, the trace in the log, Cache-Control on tokens.
#include <chrono>
#include <cstdlib>
#include <ctime>

#include "api_test.hpp"
#include "json_text.hpp"
#include "ops_support.hpp"
#include "text.hpp"

namespace ssokit::testing {
namespace {

using ops::log_lines_with_trace;

void expect_date_and_trace(const std::map<std::string, std::string>& headers, const std::string& what) {
  const auto date = headers.find("date");
  ASSERT_NE(date, headers.end()) << what << ": no Date header";
  EXPECT_TRUE(ops::is_imf_fixdate(date->second)) << what << ": Date is not an IMF-fixdate: " << date->second;
  if (ops::is_imf_fixdate(date->second)) {
    const long long now = static_cast<long long>(std::time(nullptr));
    EXPECT_LE(std::llabs(ops::imf_fixdate_epoch(date->second) - now), 5) << what << ": Date " << date->second;
  }
  const auto trace = headers.find("x-trace-id");
  ASSERT_NE(trace, headers.end()) << what << ": no X-Trace-Id header";
  EXPECT_TRUE(is_uuid(trace->second)) << what << ": X-Trace-Id " << trace->second;
}

// The SPEC §2 envelope: {"status":"<REASON>","error":{status,code,message,action,helpUrl,trace}}.
void expect_envelope(const HttpResponse& response, long status, const std::string& reason, const std::string& code,
                     const std::string& base_url) {
  EXPECT_EQ(response.status, status) << response.body;
  EXPECT_EQ(response.header("content-type").rfind("application/json", 0), 0u) << response.header("content-type");
  EXPECT_EQ(response.json_keys(""), (std::vector<std::string>{"status", "error"})) << response.body;
  EXPECT_EQ(response.json("status"), reason) << response.body;
  EXPECT_EQ(response.json("error.status"), std::to_string(status)) << response.body;
  EXPECT_EQ(response.json("error.code"), code) << response.body;
  EXPECT_FALSE(response.json("error.message").value_or("").empty()) << response.body;
  EXPECT_FALSE(response.json("error.action").value_or("").empty()) << response.body;
  EXPECT_EQ(response.json("error.helpUrl"), base_url + "/docs/errors#" + code) << response.body;
  EXPECT_EQ(response.json("error.trace"), response.header("x-trace-id")) << response.body;
  expect_date_and_trace(response.headers, code);
}

class HttpBehaviourTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    phone_ = sign_in("http-phone", "http-user");
  }
  Headers phone_headers() const { return token_headers(phone_); }
  SignedIn phone_;
};

TEST_F(HttpBehaviourTest, UnknownPathIs404ResourceNotFound) {
  for (const char* path : {"/nope", "/api/demo", "/api/demo/serviceToken/extra", "/api/demo/lists", "/"}) {
    const HttpResponse response = call("GET", path, phone_headers());
    SCOPED_TRACE(path);
    expect_envelope(response, 404, "NOT_FOUND", "resource_not_found", server().base_url());
    EXPECT_EQ(response.json("error.action"), "none");
  }
}

TEST_F(HttpBehaviourTest, WrongMethodOnKnownPathIs405WithAllow) {
  struct Case {
    const char* method;
    const char* path;
    std::vector<std::string> allowed;
  };
  const std::vector<Case> cases = {
      {"PUT", "/api/demo/serviceToken", {"GET", "POST"}},
      {"DELETE", "/api/demo/serviceToken", {"GET", "POST"}},
      {"GET", "/api/demo/link", {"POST"}},
      {"DELETE", "/api/demo/list", {"GET"}},
      {"GET", "/api/demo/unlink", {"POST"}},
      {"POST", "/healthz", {"GET"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.method) + " " + c.path);
    const HttpResponse response = call(c.method, c.path, phone_headers());
    expect_envelope(response, 405, "METHOD_NOT_ALLOWED", "method_not_allowed", server().base_url());
    const std::string allow = response.header("allow");
    ASSERT_FALSE(allow.empty()) << "no Allow header";
    for (const std::string& method : c.allowed) {
      EXPECT_NE(allow.find(method), std::string::npos) << "Allow: " << allow;
    }
    EXPECT_EQ(allow.find(c.method), std::string::npos) << "Allow: " << allow;
  }
}

TEST_F(HttpBehaviourTest, AcceptExcludingJsonIs406AndJsonCompatibleAcceptsWork) {
  for (const char* accept : {"text/html", "text/plain, text/html", "image/png", "application/json;q=0"}) {
    SCOPED_TRACE(accept);
    Headers headers = phone_headers();
    headers.emplace_back("Accept", accept);
    const HttpResponse response = call("GET", "/api/demo/list", headers);
    expect_envelope(response, 406, "NOT_ACCEPTABLE", "not_acceptable", server().base_url());
  }
  for (const char* accept : {"application/json", "*/*", "application/*", "text/html, application/json;q=0.9",
                             "application/json; charset=utf-8"}) {
    SCOPED_TRACE(accept);
    Headers headers = phone_headers();
    headers.emplace_back("Accept", accept);
    const HttpResponse response = call("GET", "/api/demo/list", headers);
    EXPECT_EQ(response.status, 200) << response.body;
    EXPECT_TRUE(response.has_json("devices." + phone_.device_id)) << response.body;
  }
}

TEST_F(HttpBehaviourTest, BodyOver64KiBIs413PayloadTooLarge) {
  Headers headers = phone_headers();
  headers.emplace_back("Content-Type", "application/json");
  const std::string body = "{\"devices\":[\"" + std::string(70 * 1024, 'a') + "\"]}";
  const HttpResponse response = call("POST", "/api/demo/unlink", headers, body);
  expect_envelope(response, 413, "PAYLOAD_TOO_LARGE", "payload_too_large", server().base_url());

  // Just under the limit is read (and refused for its content, not its size).
  const std::string fits = "{\"devices\":[\"" + std::string(60 * 1024, 'a') + "\"]}";
  const HttpResponse fine = call("POST", "/api/demo/unlink", headers, fits);
  EXPECT_EQ(fine.status, 200) << fine.body.substr(0, 300);
  EXPECT_TRUE(fine.json_strings("unlinkedDevices").empty()) << fine.body.substr(0, 300);
}

TEST_F(HttpBehaviourTest, HeadersOverTheLimitAre431) {
  Headers headers = phone_headers();
  headers.emplace_back("X-Filler", std::string(20 * 1024, 'h'));
  const HttpResponse response = call("GET", "/api/demo/list", headers);
  expect_envelope(response, 431, "REQUEST_HEADER_FIELDS_TOO_LARGE", "header_too_large", server().base_url());

  // The server goes on serving.
  EXPECT_EQ(call("GET", "/api/demo/list", phone_headers()).status, 200);
}

TEST_F(HttpBehaviourTest, GarbageOverRawTcpIs400AndTheConnectionCloses) {
  const int port = ops::port_of(server().base_url());
  // The start of a TLS ClientHello (a client speaking HTTPS to the plain port), then text.
  static const char kTls[] = "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" "garbage\r\n\r\n";
  const std::vector<std::string> garbage = {
      std::string(kTls, sizeof kTls - 1),
      "GET /healthz HTTP/1.1\r\nthis is not a header\r\n\r\n",
      "G@T /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
  };
  for (const std::string& bytes : garbage) {
    SCOPED_TRACE(bytes.substr(0, 24));
    ops::RawConnection connection(port);
    connection.send_all(bytes);
    const bool closed = connection.read_to_eof(std::chrono::milliseconds(5000));
    EXPECT_TRUE(closed) << "connection still open after the answer";
    const ops::RawResponse response = ops::parse_raw_response(connection.received());
    ASSERT_TRUE(response.complete) << connection.received();
    EXPECT_EQ(response.status, 400) << connection.received();
    EXPECT_EQ(to_lower(response.header("connection")), "close") << connection.received();
    EXPECT_EQ(json_string_member(response.body, "status"), "BAD_REQUEST") << response.body;
    HttpResponse as_http;
    as_http.status = response.status;
    as_http.body = response.body;
    as_http.headers = response.headers;
    EXPECT_EQ(as_http.json("error.status"), "400") << response.body;
    EXPECT_EQ(as_http.json("error.trace"), response.header("x-trace-id")) << response.body;
    expect_date_and_trace(response.headers, "raw garbage");
  }
  // Still serving.
  EXPECT_EQ(send({"GET", server().base_url() + "/healthz", {}, std::nullopt}).status, 200);
}

TEST_F(HttpBehaviourTest, EveryAnswerCarriesDateAndTraceId) {
  const std::string base = server().base_url();
  std::vector<std::pair<std::string, HttpResponse>> answers;
  answers.emplace_back("healthz", send({"GET", base + "/healthz", {}, std::nullopt}));
  answers.emplace_back("metrics", send({"GET", base + "/metrics", {}, std::nullopt}));
  answers.emplace_back("jwks", send({"GET", base + "/.well-known/jwks.json", {}, std::nullopt}));
  answers.emplace_back("docs", send({"GET", base + "/docs/errors", {}, std::nullopt}));
  answers.emplace_back("sign-in", call("POST", "/api/demo/serviceToken",
                                       {{"AP-Device-Identifier", fingerprint("date-phone")}, {"X-SSO-ID", "d"}}));
  answers.emplace_back("refresh", call("GET", "/api/demo/serviceToken", phone_headers()));
  answers.emplace_back("link", call("POST", "/api/demo/link", phone_headers()));
  answers.emplace_back("list", call("GET", "/api/demo/list", phone_headers()));
  answers.emplace_back("401", call("GET", "/api/demo/list", {{"Authorization", "Bearer wrong"}}));
  answers.emplace_back("404", send({"GET", base + "/missing", {}, std::nullopt}));
  answers.emplace_back("oauth-400", send({"POST", base + "/o/client/token",
                                          {{"Content-Type", "application/x-www-form-urlencoded"}},
                                          "grant_type=password"}));
  for (const auto& [what, response] : answers) {
    SCOPED_TRACE(what);
    EXPECT_GT(response.status, 0);
    expect_date_and_trace(response.headers, what);
  }
}

TEST_F(HttpBehaviourTest, ErrorTraceIsTheTraceIdHeaderAndIsInTheLogLine) {
  const std::vector<HttpResponse> errors = {
      call("GET", "/nope", phone_headers()),
      call("PUT", "/api/demo/list", phone_headers()),
      call("POST", "/api/demo/serviceToken", {{"X-SSO-ID", "no-device"}}),
  };
  const std::string log = server().log();
  for (const HttpResponse& error : errors) {
    const std::string trace = error.header("x-trace-id");
    ASSERT_FALSE(trace.empty());
    EXPECT_EQ(error.json("error.trace"), trace) << error.body;
    const std::vector<std::string> lines = log_lines_with_trace(log, trace);
    ASSERT_EQ(lines.size(), 1u) << "log lines for trace " << trace << ":\n" << log;
    const HttpResponse line = as_json(lines.front());
    EXPECT_EQ(line.json("status"), std::to_string(error.status)) << lines.front();
    EXPECT_EQ(line.json("error"), error.json("error.code")) << lines.front();
  }
  // Successes have their own fresh traces too.
  const HttpResponse a = call("GET", "/api/demo/list", phone_headers());
  const HttpResponse b = call("GET", "/api/demo/list", phone_headers());
  EXPECT_NE(a.header("x-trace-id"), b.header("x-trace-id"));
  EXPECT_FALSE(a.has_json("error")) << a.body;
}

TEST_F(HttpBehaviourTest, TokenAndCodeAnswersAreNoStore) {
  const HttpResponse registered = register_client("demo");
  ASSERT_EQ(registered.status, 201) << registered.body;
  const HttpResponse token = request_access_token(registered);
  ASSERT_EQ(token.status, 201) << token.body;
  const HttpResponse created = call("POST", "/api/demo/serviceToken",
                                    {{"AP-Device-Identifier", fingerprint("cache-phone")}, {"X-SSO-ID", "cache-user"}});
  ASSERT_EQ(created.status, 201);
  const HttpResponse refreshed = call("GET", "/api/demo/serviceToken", phone_headers());
  ASSERT_EQ(refreshed.status, 200) << refreshed.body;
  const HttpResponse link = call("POST", "/api/demo/link", phone_headers());
  ASSERT_EQ(link.status, 201) << link.body;
  const HttpResponse redeemed = redeem("cache-tv", link.json("code").value_or(""));
  ASSERT_EQ(redeemed.status, 201) << redeemed.body;
  const std::vector<std::pair<std::string, const HttpResponse*>> answers = {
      {"register", &registered}, {"token", &token},       {"POST serviceToken", &created},
      {"GET serviceToken", &refreshed}, {"link", &link}, {"redeem", &redeemed}};
  for (const auto& [what, response] : answers) {
    EXPECT_NE(to_lower(response->header("cache-control")).find("no-store"), std::string::npos)
        << what << ": Cache-Control: " << response->header("cache-control");
  }
}

}  // namespace
}  // namespace ssokit::testing
