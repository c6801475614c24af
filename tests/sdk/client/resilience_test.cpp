// Retries, backoff, 401 handling and 429: the request chain's branches.
#include "client_fixture.hpp"

namespace ssokit::testing {
namespace {

using ResilienceTest = ClientTest;

TEST_F(ResilienceTest, RegistersOnceAndKeepsCredentialsInTheStore) {
  signed_in();
  EXPECT_EQ(transport_->count("POST", "/o/client/register"), 1u);
  const auto stored = platform_.store->contents();
  EXPECT_EQ(stored.at("client_id"), "cid");
  EXPECT_EQ(stored.at("client_secret"), "secret");
  // A second client on the same store registers no more.
  client_.emplace(make_client());
  transport_->respond("GET", "/list", 200, R"({"devices":{}})");
  ASSERT_TRUE(client().list_devices().ok());
  EXPECT_EQ(transport_->count("POST", "/o/client/register"), 1u);
  EXPECT_EQ(transport_->count("POST", "/o/client/token"), 1u) << "the stored access token is reused";
}

TEST_F(ResilienceTest, AnAccessTokenRefusedWith401IsRenewedOnceAndTheCallRetried) {
  signed_in();
  transport_->respond("GET", "/list", 401,
                      error_body(401, "invalid_access_token_client_application", "application-registration"));
  script_access_token("access-2");
  transport_->respond("GET", "/list", 200, R"({"devices":{}})");
  ASSERT_TRUE(client().list_devices().ok());
  const auto requests = transport_->requests();
  bool used_new = false;
  for (const auto& header : requests.back().headers) used_new |= header.value == "Bearer access-2";
  EXPECT_TRUE(used_new);
}

TEST_F(ResilienceTest, AGoneClientRegistersAgain) {
  signed_in();
  transport_->respond("GET", "/list", 401,
                      error_body(401, "invalid_access_token_client_application", "application-registration"));
  transport_->respond("POST", "/o/client/token", 401, R"({"error":"invalid_client","error_description":"gone"})");
  transport_->respond("POST", "/o/client/register", 201, R"({"client_id":"cid2","client_secret":"s2"})");
  script_access_token("access-3");
  transport_->respond("GET", "/list", 200, R"({"devices":{}})");
  ASSERT_TRUE(client().list_devices().ok());
  EXPECT_EQ(transport_->count("POST", "/o/client/register"), 2u);
  EXPECT_EQ(platform_.store->contents().at("client_id"), "cid2");
}

TEST_F(ResilienceTest, A401ThatPersistsIsAccessDeniedNotALoop) {
  signed_in();
  for (int i = 0; i < 2; ++i) {
    transport_->respond("GET", "/list", 401,
                        error_body(401, "invalid_access_token_service_provider", "application-registration"));
  }
  script_access_token("access-2");
  auto devices = client().list_devices();
  EXPECT_EQ(devices.status().code(), ErrorCode::kAccessDenied);
  EXPECT_EQ(transport_->count("GET", "/list"), 2u);
}

TEST_F(ResilienceTest, IdempotentCallsRetryWithCappedJitteredBackoff) {
  signed_in();
  for (int i = 0; i < 3; ++i) transport_->fail("GET", "/list", Status(ErrorCode::kNetworkError, "reset"));
  transport_->respond("GET", "/list", 200, R"({"devices":{}})");
  const auto slept_before = platform_.clock->slept();
  ASSERT_TRUE(client().list_devices().ok());
  // random_value_ picks the top of each range: waits are exactly 100, 200, 400 ms.
  EXPECT_EQ(platform_.clock->slept() - slept_before, std::chrono::milliseconds(700));
}

TEST_F(ResilienceTest, BackoffNeverExceedsTheCapAndJitterCanBeZero) {
  signed_in();
  random_value_ = 0;
  client_.emplace(make_client());
  for (int i = 0; i < 3; ++i) transport_->fail("GET", "/list", Status(ErrorCode::kNetworkError, "reset"));
  transport_->respond("GET", "/list", 200, R"({"devices":{}})");
  const auto slept_before = platform_.clock->slept();
  ASSERT_TRUE(client().list_devices().ok());
  EXPECT_EQ(platform_.clock->slept() - slept_before, std::chrono::milliseconds(0));
}

TEST_F(ResilienceTest, ARedemptionThatMayHaveReachedTheServerIsNotRepeated) {
  script_registration();
  transport_->fail("POST", "/serviceToken", Status(ErrorCode::kNetworkError, "reset after sending"), false);
  auto joined = client().redeem_link_code("123456");
  EXPECT_EQ(joined.status().code(), ErrorCode::kNetworkError);
  EXPECT_EQ(transport_->count("POST", "/serviceToken"), 1u);
}

TEST_F(ResilienceTest, ARedemptionThatNeverLeftIsRetried) {
  script_registration();
  transport_->fail("POST", "/serviceToken", Status(ErrorCode::kNetworkError, "connection refused"), true);
  script_service_token("POST", "token-1", now_ms(*platform_.clock));
  EXPECT_TRUE(client().redeem_link_code("123456").ok());
  EXPECT_EQ(transport_->count("POST", "/serviceToken"), 2u);
}

TEST_F(ResilienceTest, TooManyRequestsWaitsRetryAfterThenRetries) {
  signed_in();
  transport_->respond("GET", "/list", 429, error_body(429, "too_many_requests", "retry"), {{"Retry-After", "2"}});
  transport_->respond("GET", "/list", 200, R"({"devices":{}})");
  const auto slept_before = platform_.clock->slept();
  ASSERT_TRUE(client().list_devices().ok());
  EXPECT_EQ(platform_.clock->slept() - slept_before, std::chrono::milliseconds(2000));
}

TEST_F(ResilienceTest, AStoreUnavailableWaitsItsRetryAfterThenRetries) {
  signed_in();
  transport_->respond("GET", "/list", 503, error_body(503, "store_unavailable", "retry"), {{"Retry-After", "2"}});
  transport_->respond("GET", "/list", 200, R"({"devices":{}})");
  const auto slept_before = platform_.clock->slept();
  ASSERT_TRUE(client().list_devices().ok());
  EXPECT_EQ(platform_.clock->slept() - slept_before, std::chrono::milliseconds(2000));
}

TEST_F(ResilienceTest, A503RetryAfterBeyondTheLimitIsReturnedNotWaited) {
  signed_in();
  transport_->respond("GET", "/list", 503, error_body(503, "store_unavailable", "retry"), {{"Retry-After", "120"}});
  auto devices = client().list_devices();
  EXPECT_EQ(devices.status().code(), ErrorCode::kServerError);
  EXPECT_EQ(devices.status().retry_after(), std::chrono::seconds(120));
  EXPECT_EQ(transport_->count("GET", "/list"), 1u);
}

TEST_F(ResilienceTest, ARetryAfterBeyondTheLimitIsReturnedNotWaited) {
  script_registration();
  transport_->respond("POST", "/serviceToken", 429, error_body(429, "too_many_attempts", "retry"),
                      {{"Retry-After", "120"}});
  auto joined = client().redeem_link_code("123456");
  ASSERT_EQ(joined.status().code(), ErrorCode::kRateLimited);
  EXPECT_EQ(joined.status().retry_after(), std::chrono::seconds(120));
  EXPECT_EQ(transport_->count("POST", "/serviceToken"), 1u);
}

TEST_F(ResilienceTest, TheDeadlineBoundsEveryRetry) {
  signed_in();
  for (int i = 0; i < 10; ++i) transport_->fail("GET", "/list", Status(ErrorCode::kNetworkError, "reset"));
  auto devices = client().list_devices(CallOptions().timeout(std::chrono::milliseconds(250)));
  EXPECT_EQ(devices.status().code(), ErrorCode::kNetworkError);
  EXPECT_LE(transport_->count("GET", "/list"), 3u);
}

TEST_F(ResilienceTest, ACancelledCallStopsAtOnce) {
  signed_in();
  auto flag = std::make_shared<std::atomic<bool>>(true);
  auto devices = client().list_devices(CallOptions().cancel_flag(flag));
  EXPECT_EQ(devices.status().code(), ErrorCode::kCancelled);
  EXPECT_EQ(transport_->count("GET", "/list"), 0u);
}

TEST_F(ResilienceTest, BadInputIsRefusedBeforeAnyCall) {
  EXPECT_EQ(client().sign_in("").status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(client().sign_in(std::string(257, 'a')).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(client().redeem_link_code("").status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(client().unlink_devices({}).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(client().list_devices().status().code(), ErrorCode::kNotSignedIn);
  EXPECT_TRUE(transport_->requests().empty());
}

TEST_F(ResilienceTest, LogsCarryNoSecrets) {
  signed_in();
  transport_->respond("POST", "/link", 201, R"({"status":"CREATED","code":"228128","notBefore":1,"notAfter":2})");
  ASSERT_EQ(client().create_link_code()->value, "228128");
  EXPECT_FALSE(log_.empty());
  for (const char* secret : {"token-1", "228128", "secret", "access-1", "ZmFrZS1kZXZpY2U="}) {
    EXPECT_EQ(log_.find(secret), std::string::npos) << secret << " in\n" << log_;
  }
}

TEST(ClientOptionsTest, MissingPiecesAreNamed) {
  ClientOptions options;
  EXPECT_EQ(SsoClient::create(options).status().code(), ErrorCode::kInvalidArgument);
  options.server = "https://sso.test";
  options.service_provider = "demo";
  options.software_statement = "s";
  const auto missing_platform = SsoClient::create(options);
  EXPECT_NE(missing_platform.status().message().find("platform.identity"), std::string::npos);
}

}  // namespace
}  // namespace ssokit::testing
