// The request log: one JSON object per line and request, with trace, method, route pattern,
// status and latency; and no secret, token, code, device id or SSO id anywhere in it.
#include <sstream>

#include "api_test.hpp"
#include "json_text.hpp"
#include "ops_support.hpp"

namespace ssokit::testing {
namespace {

struct Sent {
  std::string what;
  std::string method;
  std::string route;
  HttpResponse response;
};

using LoggingTest = ApiTest;

TEST_F(LoggingTest, OneJsonLinePerRequestAndNoSecretsInTheLog) {
  // A client of our own, so that its secret is known.
  const HttpResponse registered = register_client("demo");
  ASSERT_EQ(registered.status, 201) << registered.body;
  const std::string client_secret = registered.json("client_secret").value_or("");
  ASSERT_FALSE(client_secret.empty());
  const HttpResponse token_answer = request_access_token(registered);
  ASSERT_EQ(token_answer.status, 201) << token_answer.body;
  const std::string access = token_answer.json("access_token").value_or("");
  ASSERT_FALSE(access.empty());
  const Headers auth = {{"Authorization", "Bearer " + access}};

  const std::string sso_id = "logging-sso-id-Zq81Lx";
  const std::string phone_id = device_id("logging-phone-device-4411");
  const std::string tv_id = device_id("logging-tv-device-9920");

  std::vector<Sent> sent;
  Headers sign_in_headers = auth;
  sign_in_headers.insert(sign_in_headers.end(), {{"AP-Device-Identifier", "fingerprint " + phone_id}, {"X-SSO-ID", sso_id}});
  sent.push_back({"sign-in", "POST", "/api/{sp}/serviceToken", call("POST", "/api/demo/serviceToken", sign_in_headers)});
  ASSERT_EQ(sent.back().response.status, 201) << sent.back().response.body;
  const std::string service_token = sent.back().response.json("serviceToken").value_or("");

  Headers phone_headers = auth;
  phone_headers.insert(phone_headers.end(),
                       {{"AP-Device-Identifier", "fingerprint " + phone_id}, {"AD-Service-Token", service_token}});
  sent.push_back({"link", "POST", "/api/{sp}/link", call("POST", "/api/demo/link", phone_headers)});
  ASSERT_EQ(sent.back().response.status, 201) << sent.back().response.body;
  const std::string code = sent.back().response.json("code").value_or("");
  ASSERT_FALSE(code.empty());

  Headers redeem_headers = auth;
  redeem_headers.insert(redeem_headers.end(), {{"AP-Device-Identifier", "fingerprint " + tv_id}, {"X-SSO-LINK", code}});
  sent.push_back({"redeem", "POST", "/api/{sp}/serviceToken", call("POST", "/api/demo/serviceToken", redeem_headers)});
  ASSERT_EQ(sent.back().response.status, 201) << sent.back().response.body;
  const std::string tv_token = sent.back().response.json("serviceToken").value_or("");

  sent.push_back({"list", "GET", "/api/{sp}/list", call("GET", "/api/demo/list", phone_headers)});
  EXPECT_EQ(sent.back().response.status, 200);
  // A failed redemption with a wrong code must not put that code in the log either.
  const std::string wrong_code = code == "918273" ? "918274" : "918273";
  Headers wrong_headers = auth;
  wrong_headers.insert(wrong_headers.end(), {{"AP-Device-Identifier", "fingerprint " + tv_id}, {"X-SSO-LINK", wrong_code}});
  sent.push_back({"bad redeem", "POST", "/api/{sp}/serviceToken", call("POST", "/api/demo/serviceToken", wrong_headers)});
  EXPECT_EQ(sent.back().response.status, 400);
  sent.push_back({"404", "GET", "(none)", call("GET", "/api/demo/nothing-here", phone_headers)});
  EXPECT_EQ(sent.back().response.status, 404);

  const std::string log = server().log();
  ASSERT_FALSE(log.empty());

  // Every line is one JSON object.
  std::istringstream lines(log);
  std::string line;
  int line_number = 0;
  while (std::getline(lines, line)) {
    ++line_number;
    JsonPtr json(cJSON_Parse(line.c_str()));
    EXPECT_TRUE(cJSON_IsObject(json.get())) << "log line " << line_number << " is not a JSON object: " << line;
  }

  // One line per request, found by its trace, with the request's facts.
  for (const Sent& request : sent) {
    SCOPED_TRACE(request.what);
    const std::string trace = request.response.header("x-trace-id");
    ASSERT_FALSE(trace.empty());
    const std::vector<std::string> found = ops::log_lines_with_trace(log, trace);
    ASSERT_EQ(found.size(), 1u) << log;
    JsonPtr json(cJSON_Parse(found.front().c_str()));
    ASSERT_TRUE(cJSON_IsObject(json.get()));
    const cJSON* method = cJSON_GetObjectItemCaseSensitive(json.get(), "method");
    const cJSON* route = cJSON_GetObjectItemCaseSensitive(json.get(), "route");
    const cJSON* status = cJSON_GetObjectItemCaseSensitive(json.get(), "status");
    const cJSON* latency = cJSON_GetObjectItemCaseSensitive(json.get(), "latency_ms");
    ASSERT_TRUE(cJSON_IsString(method)) << found.front();
    EXPECT_EQ(std::string(method->valuestring), request.method);
    ASSERT_TRUE(cJSON_IsString(route)) << found.front();
    if (request.route != "(none)") {
      EXPECT_EQ(std::string(route->valuestring), request.route);
    }
    ASSERT_TRUE(cJSON_IsNumber(status)) << found.front();
    EXPECT_EQ(static_cast<long>(status->valuedouble), request.response.status);
    ASSERT_TRUE(cJSON_IsNumber(latency)) << found.front();
    EXPECT_GE(latency->valuedouble, 0.0);
    EXPECT_LT(latency->valuedouble, 30000.0);
  }

  // Nothing secret anywhere in stdout or stderr.
  const std::string everything = log + server().stderr_text();
  const std::vector<std::pair<std::string, std::string>> secrets = {
      {"service token", service_token}, {"tv service token", tv_token}, {"link code", code},
      {"wrong link code", wrong_code},   {"access token", access},       {"client secret", client_secret},
      {"phone device id", phone_id},     {"tv device id", tv_id},         {"X-SSO-ID", sso_id},
      {"demo access token", access_token()}};
  for (const auto& [what, value] : secrets) {
    ASSERT_FALSE(value.empty()) << what;
    EXPECT_EQ(everything.find(value), std::string::npos) << what << " '" << value << "' appears in the log";
  }
  // Nor the parts of the JWS (its signature alone would be a usable secret with the payload).
  const auto last_dot = service_token.rfind('.');
  ASSERT_NE(last_dot, std::string::npos);
  EXPECT_EQ(everything.find(service_token.substr(last_dot + 1)), std::string::npos);
}

TEST_F(LoggingTest, RejectedPlatformIdentityIsLoggedWithItsReason) {
  // SPEC §2/§3: an unusable platform token is ignored, but "the server logs and counts the
  // rejection" ("logged with its reason and counted in /metrics").
  const HttpResponse response = call("POST", "/api/demo/serviceToken",
                                     {{"AP-Device-Identifier", fingerprint("log-roku")},
                                      {"X-Roku-Reserved-Roku-Connect-Token", "eyJhbGciOiJub25lIn0.e30."}});
  ASSERT_EQ(response.status, 201) << response.body;

  const HttpResponse metrics = send({"GET", server().base_url() + "/metrics", {}, std::nullopt});
  std::string reason;
  std::istringstream metric_lines(metrics.body);
  std::string line;
  const std::string prefix = "ssokit_platform_identity_rejected_total{reason=\"";
  while (std::getline(metric_lines, line)) {
    if (line.rfind(prefix, 0) == 0) reason = line.substr(prefix.size(), line.find('"', prefix.size()) - prefix.size());
  }
  ASSERT_FALSE(reason.empty()) << "rejection not counted:\n" << metrics.body;

  // A log line other than the request line says so, with the reason.
  const std::string trace = response.header("x-trace-id");
  bool logged = false;
  std::istringstream log_lines(server().log());
  while (std::getline(log_lines, line)) {
    const bool request_line = json_string_member(line, "msg") == "request";
    if (!request_line && line.find(reason) != std::string::npos) logged = true;
  }
  EXPECT_TRUE(logged) << "no log line with the rejection reason '" << reason << "' (trace " << trace << "):\n"
                      << server().log();
}

}  // namespace
}  // namespace ssokit::testing
