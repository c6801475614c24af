// GET /healthz, GET /metrics and GET /docs/errors, and helpUrl pointing into the latter.
#include <sstream>

#include "api_test.hpp"
#include "metrics_text.hpp"

namespace ssokit::testing {
namespace {

constexpr const char* kServiceTokenRoute = "/api/{sp}/serviceToken";

std::string requests_series(const std::string& route, int status) {
  return "ssokit_http_requests_total{route=\"" + route + "\",status=\"" + std::to_string(status) + "\"}";
}

using OpsRoutesTest = ApiTest;

TEST_F(OpsRoutesTest, HealthzReportsOkAndStore) {
  const HttpResponse health = send({"GET", server().base_url() + "/healthz", {}, std::nullopt});
  ASSERT_EQ(health.status, 200) << health.body;
  EXPECT_EQ(health.header("content-type").rfind("application/json", 0), 0u) << health.header("content-type");
  EXPECT_EQ(health.json("status"), "OK") << health.body;
  EXPECT_EQ(health.json("store"), "ok") << health.body;
  EXPECT_FALSE(health.has_json("error")) << health.body;
}

TEST_F(OpsRoutesTest, MetricsCountRequestsByRouteAndStatusWithHistogram) {
  for (int i = 0; i < 3; ++i) sign_in("metrics-device-" + std::to_string(i), "metrics-user");

  const HttpResponse first = send({"GET", server().base_url() + "/metrics", {}, std::nullopt});
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.header("content-type").rfind("text/plain", 0), 0u) << first.header("content-type");
  EXPECT_EQ(metric_value(first.body, requests_series(kServiceTokenRoute, 201)), 3.0) << first.body;

  // Two more successes and one failure (no AP-Device-Identifier: 400).
  sign_in("metrics-device-3", "metrics-user");
  sign_in("metrics-device-4", "metrics-user");
  const HttpResponse missing = call("POST", "/api/demo/serviceToken", {{"X-SSO-ID", "metrics-user"}});
  EXPECT_EQ(missing.status, 400) << missing.body;

  const HttpResponse second = send({"GET", server().base_url() + "/metrics", {}, std::nullopt});
  ASSERT_EQ(second.status, 200);
  const std::string& text = second.body;
  EXPECT_EQ(metric_value(text, requests_series(kServiceTokenRoute, 201)), 5.0) << text;
  EXPECT_EQ(metric_value(text, requests_series(kServiceTokenRoute, 400)), 1.0) << text;
  // The first /metrics call is counted by now.
  EXPECT_GE(metric_value(text, requests_series("/metrics", 200)).value_or(0), 1.0) << text;

  // The latency histogram of the route: cumulative buckets, +Inf == _count == 6 calls.
  const std::string labels = "{route=\"" + std::string(kServiceTokenRoute) + "\"}";
  EXPECT_EQ(metric_value(text, "ssokit_http_request_duration_seconds_count" + labels), 6.0) << text;
  const auto sum = metric_value(text, "ssokit_http_request_duration_seconds_sum" + labels);
  ASSERT_TRUE(sum.has_value()) << text;
  EXPECT_GT(*sum, 0.0);
  EXPECT_LT(*sum, 60.0);
  EXPECT_EQ(metric_value(text, "ssokit_http_request_duration_seconds_bucket{route=\"" +
                                   std::string(kServiceTokenRoute) + "\",le=\"+Inf\"}"),
            6.0)
      << text;
  std::istringstream lines(text);
  std::string line;
  const std::string bucket_prefix =
      "ssokit_http_request_duration_seconds_bucket{route=\"" + std::string(kServiceTokenRoute) + "\",le=\"";
  double previous = 0;
  int buckets = 0;
  while (std::getline(lines, line)) {
    if (line.rfind(bucket_prefix, 0) != 0) continue;
    const double value = std::stod(line.substr(line.rfind(' ') + 1));
    EXPECT_GE(value, previous) << "buckets not cumulative at: " << line;
    previous = value;
    ++buckets;
  }
  EXPECT_GE(buckets, 2) << text;

  for (const char* counter : {"ssokit_http_requests_total", "ssokit_link_redemptions_total", "ssokit_rate_limited_total",
                              "ssokit_platform_identity_rejected_total"}) {
    EXPECT_NE(text.find(std::string("# HELP ") + counter + " "), std::string::npos) << counter << "\n" << text;
    EXPECT_NE(text.find(std::string("# TYPE ") + counter + " counter\n"), std::string::npos) << counter << "\n" << text;
  }
  EXPECT_NE(text.find("# TYPE ssokit_http_request_duration_seconds histogram\n"), std::string::npos) << text;
}

TEST_F(OpsRoutesTest, MetricsCountLinkRedemptionsAndPlatformRejections) {
  const SignedIn phone = sign_in("redeem-metrics-phone", "redeem-metrics-user");
  const std::string code = create_link_code(phone);
  EXPECT_EQ(redeem("redeem-metrics-tv", code).status, 201);
  const HttpResponse bad = redeem("redeem-metrics-tv2", code);  // used: invalid
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(bad.json("error.code"), "link_code_invalid");

  // An unusable platform token is ignored (the device id becomes the common id), but counted.
  const HttpResponse platform = call("POST", "/api/demo/serviceToken",
                                     {{"AP-Device-Identifier", fingerprint("roku-metrics")},
                                      {"X-Roku-Reserved-Roku-Connect-Token", "not.a.token"}});
  EXPECT_EQ(platform.status, 201) << platform.body;

  const HttpResponse metrics = send({"GET", server().base_url() + "/metrics", {}, std::nullopt});
  ASSERT_EQ(metrics.status, 200);
  EXPECT_EQ(metric_value(metrics.body, "ssokit_link_redemptions_total{result=\"redeemed\"}"), 1.0) << metrics.body;
  EXPECT_EQ(metric_value(metrics.body, "ssokit_link_redemptions_total{result=\"invalid\"}"), 1.0) << metrics.body;
  const double rejected = metric_sum(metrics.body, "ssokit_platform_identity_rejected_total{reason=\"");
  EXPECT_EQ(rejected, 1.0) << metrics.body;
}

TEST_F(OpsRoutesTest, ErrorCatalogPageHasAnAnchorPerCodeAndHelpUrlsPointThere) {
  const HttpResponse docs = send({"GET", server().base_url() + "/docs/errors", {}, std::nullopt});
  ASSERT_EQ(docs.status, 200);
  EXPECT_EQ(docs.header("content-type").rfind("text/html", 0), 0u) << docs.header("content-type");
  // Every code SPEC §2 names.
  for (const char* code :
       {"token_invalid", "token_expired", "header_missing", "header_invalid", "unauthorized", "internal_error",
        "request_null", "request_invalid", "invalid_parameter_service_provider", "invalid_header_device_info",
        "invalid_access_token_client_application", "invalid_access_token_service_provider", "device_unlinked",
        "link_code_invalid", "too_many_attempts", "too_many_requests", "method_not_allowed",
        "media_type_unsupported", "not_acceptable", "payload_too_large", "resource_not_found"}) {
    EXPECT_NE(docs.body.find("id=\"" + std::string(code) + "\""), std::string::npos) << "no anchor for " << code;
  }

  // A spread of error answers: each helpUrl is <base>/docs/errors#<code> and the anchor exists.
  const SignedIn phone = sign_in("help-phone", "help-user");
  std::vector<HttpResponse> errors;
  errors.push_back(send({"GET", server().base_url() + "/no/such/thing", {}, std::nullopt}));
  errors.push_back(call("PUT", "/api/demo/serviceToken"));
  errors.push_back(call("GET", "/api/demo/list", {{"Accept", "text/html"}}));
  errors.push_back(call("POST", "/api/demo/serviceToken", {{"X-SSO-ID", "x"}}));
  errors.push_back(call("GET", "/api/demo/list", {{"Authorization", "Bearer nope"}}));
  errors.push_back(call("POST", "/api/nosuchsp/serviceToken",
                        {{"AP-Device-Identifier", fingerprint("help-phone")}, {"X-SSO-ID", "x"}}));
  errors.push_back(call("POST", "/api/demo/unlink", {{"Content-Type", "text/plain"}, {"AP-Device-Identifier", "fingerprint " + phone.device_id}, {"AD-Service-Token", phone.service_token}}, "x"));
  errors.push_back(redeem("help-tv", "000000"));
  for (const HttpResponse& error : errors) {
    ASSERT_GE(error.status, 400) << error.body;
    const std::string code = error.json("error.code").value_or("");
    ASSERT_FALSE(code.empty()) << error.body;
    EXPECT_EQ(error.json("error.helpUrl"), server().base_url() + "/docs/errors#" + code) << error.body;
    EXPECT_NE(docs.body.find("id=\"" + code + "\""), std::string::npos) << "no anchor for " << code;
  }
}

}  // namespace
}  // namespace ssokit::testing
