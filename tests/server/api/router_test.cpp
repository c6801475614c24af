#include "api/router.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "api/responses.hpp"
#include "core/json.hpp"
#include "store/store.hpp"

namespace ssokit::api {
namespace {

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() : logger_(LogLevel::kOff), router_(logger_, metrics_, random_, "http://sso.test") {
    router_.add("GET", "/api/{sp}/list", Produces::kJson, [](RouteContext& context) {
      server::Json body = server::json_object();
      json_set(body.get(), "sp", context.param("sp"));
      return json_response(200, body.get());
    });
    router_.add("POST", "/api/{sp}/list", Produces::kJson, [](RouteContext& context) {
      return context.fail(server::ApiError(server::ErrorId::kRequestNull));
    });
    router_.add("GET", "/boom", Produces::kAny, [](RouteContext&) -> http::Response {
      throw std::runtime_error("disk on fire");
    });
    router_.add("GET", "/db-down", Produces::kJson, [](RouteContext&) -> http::Response {
      throw store::StoreUnavailable("postgresql: cannot connect: connection refused");
    });
  }

  http::Response get(const std::string& path, std::vector<http::Header> headers = {}) {
    http::Request request;
    request.method = "GET";
    request.path = path;
    request.target = path;
    request.headers = std::move(headers);
    return router_.handle(request);
  }

  static std::string field(const http::Response& response, const char* outer, const char* inner = nullptr) {
    server::Json json = server::json_parse(response.body);
    const cJSON* node = cJSON_GetObjectItemCaseSensitive(json.get(), outer);
    if (inner != nullptr) node = cJSON_GetObjectItemCaseSensitive(node, inner);
    if (cJSON_IsString(node)) return node->valuestring;
    if (cJSON_IsNumber(node)) return std::to_string(node->valueint);
    return "";
  }

  Logger logger_;
  Metrics metrics_;
  server::CryptoRandom random_;
  Router router_;
};

TEST_F(RouterTest, CapturesDecodedPathParameters) {
  const http::Response response = get("/api/my%20sp/list");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(field(response, "sp"), "my sp");
}

TEST_F(RouterTest, UnknownPathIs404InTheEnvelope) {
  const http::Response response = get("/api/demo/nothing");
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(field(response, "status"), "NOT_FOUND");
  EXPECT_EQ(field(response, "error", "code"), "resource_not_found");
  EXPECT_EQ(field(response, "error", "status"), "404");
  EXPECT_EQ(field(response, "error", "helpUrl"), "http://sso.test/docs/errors#resource_not_found");
}

TEST_F(RouterTest, WrongMethodIs405WithAllow) {
  http::Request request;
  request.method = "DELETE";
  request.path = "/api/demo/list";
  const http::Response response = router_.handle(request);
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(field(response, "error", "code"), "method_not_allowed");
  const std::string* allow = nullptr;
  for (const auto& header : response.headers) {
    if (header.name == "Allow") allow = &header.value;
  }
  ASSERT_NE(allow, nullptr);
  EXPECT_EQ(*allow, "GET, POST");
}

TEST_F(RouterTest, AcceptWithoutJsonIs406) {
  EXPECT_EQ(get("/api/demo/list", {{"Accept", "text/html"}}).status, 406);
  EXPECT_EQ(get("/api/demo/list", {{"Accept", "application/json"}}).status, 200);
}

TEST_F(RouterTest, AThrowingHandlerIs500AndTheTraceMatchesTheHeader) {
  const http::Response response = get("/boom");
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(field(response, "error", "code"), "internal_error");
  std::string trace_header;
  for (const auto& header : response.headers) {
    if (header.name == "X-Trace-Id") trace_header = header.value;
  }
  EXPECT_EQ(trace_header.size(), 36u);
  EXPECT_EQ(field(response, "error", "trace"), trace_header);
  EXPECT_EQ(std::string(response.body).find("disk on fire"), std::string::npos) << "causes stay in the log";
}

TEST_F(RouterTest, AnUnreachableStoreIs503StoreUnavailableWithRetryAfter) {
  const http::Response response = get("/db-down");
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(field(response, "error", "code"), "store_unavailable");
  EXPECT_EQ(field(response, "error", "action"), "retry");
  std::string retry_after;
  for (const auto& header : response.headers) {
    if (header.name == "Retry-After") retry_after = header.value;
  }
  EXPECT_EQ(retry_after, "2");
  EXPECT_EQ(std::string(response.body).find("connection refused"), std::string::npos) << "causes stay in the log";
}

TEST_F(RouterTest, RequestProblemsAnswerTheirCodes) {
  http::Request request;
  request.problem = http::RequestProblem::kBodyTooLarge;
  EXPECT_EQ(router_.handle(request).status, 413);
  request.problem = http::RequestProblem::kHeaderTooLarge;
  EXPECT_EQ(router_.handle(request).status, 431);
  request.problem = http::RequestProblem::kMalformed;
  EXPECT_EQ(router_.handle(request).status, 400);
}

TEST_F(RouterTest, MetricsCountByRoutePattern) {
  get("/api/a/list");
  get("/api/b/list");
  get("/nowhere");
  const std::string text = metrics_.render();
  EXPECT_NE(text.find("ssokit_http_requests_total{route=\"/api/{sp}/list\",status=\"200\"} 2"), std::string::npos)
      << text;
  EXPECT_NE(text.find("ssokit_http_requests_total{route=\"(none)\",status=\"404\"} 1"), std::string::npos);
  EXPECT_NE(text.find("ssokit_http_request_duration_seconds_count{route=\"/api/{sp}/list\"} 2"), std::string::npos);
}

TEST(ErrorResponseTest, TooManyRequestsCarriesRetryAfter) {
  const http::Response response =
      error_response(server::ApiError(server::ErrorId::kTooManyRequests, {}, 7), "trace", "http://x");
  EXPECT_EQ(response.status, 429);
  bool found = false;
  for (const auto& header : response.headers) found |= header.name == "Retry-After" && header.value == "7";
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace ssokit::api
