// The service token's life on the client: cached, refreshed ahead of expiry, once for many
// threads, on the steady clock whatever the wall clock says, kept when a refresh fails.
#include <ctime>
#include <thread>

#include "client_fixture.hpp"

namespace ssokit::testing {
namespace {

using TokenCacheTest = ClientTest;

TEST_F(TokenCacheTest, AFreshTokenIsServedWithoutANetworkCall) {
  signed_in();
  const std::size_t before = transport_->requests().size();
  for (int i = 0; i < 100; ++i) ASSERT_EQ(client().service_token()->value, "token-1");
  EXPECT_EQ(transport_->requests().size(), before);
}

TEST_F(TokenCacheTest, RefreshesAheadOfExpiryThroughGetServiceToken) {
  signed_in(3'600'000);
  platform_.clock->advance(std::chrono::minutes(56));  // inside the 5-minute refresh margin
  script_service_token("GET", "token-2", now_ms(*platform_.clock));
  EXPECT_EQ(client().service_token()->value, "token-2");
  ASSERT_EQ(transport_->count("GET", "/serviceToken"), 1u);
  const HttpRequest refresh = transport_->requests().back();
  bool sent_old_token = false;
  for (const auto& header : refresh.headers) sent_old_token |= header.name == "AD-Service-Token" && header.value == "token-1";
  EXPECT_TRUE(sent_old_token);
}

TEST_F(TokenCacheTest, ThirtyTwoThreadsAtExpiryCauseExactlyOneRefresh) {
  signed_in();
  platform_.clock->advance(std::chrono::minutes(59));
  script_service_token("GET", "token-2", now_ms(*platform_.clock));
  std::vector<std::thread> threads;
  std::atomic<int> fresh{0};
  for (int i = 0; i < 32; ++i) {
    threads.emplace_back([&] {
      auto token = client().service_token();
      if (token.ok() && token->value == "token-2") ++fresh;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(transport_->count("GET", "/serviceToken"), 1u);
  EXPECT_EQ(fresh.load(), 32);
}

std::string http_date(std::int64_t ms) {
  const auto seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[64];
  std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return text;
}

TEST_F(TokenCacheTest, AWallClockHoursOffChangesNothing) {
  // The device's clock is 5 hours behind the server's; the answer's Date tells the SDK.
  const std::int64_t server_now = now_ms(*platform_.clock) + 5 * 3'600'000;
  script_registration();
  script_service_token("POST", "token-1", server_now, 3'600'000, {{"Date", http_date(server_now)}});
  ASSERT_TRUE(client().sign_in("alice").ok());
  // 50 minutes later on the steady clock: still fresh, no refresh.
  platform_.clock->advance(std::chrono::minutes(50));
  EXPECT_EQ(client().service_token()->value, "token-1");
  EXPECT_EQ(transport_->count("GET", "/serviceToken"), 0u);
  // At 56 minutes it is due, whatever the wall clock says.
  platform_.clock->advance(std::chrono::minutes(6));
  script_service_token("GET", "token-2", server_now + 56 * 60'000);
  EXPECT_EQ(client().service_token()->value, "token-2");
}

TEST_F(TokenCacheTest, WithoutTheServersDateAWrongClockWouldMisjudgeExpiry) {
  // Control for the test above: the same 5 hours, but no Date header. The SDK then takes
  // the token as already expired by its own clock and refreshes at once.
  const std::int64_t server_now = now_ms(*platform_.clock) - 5 * 3'600'000;
  script_registration();
  script_service_token("POST", "token-1", server_now, 3'600'000);
  ASSERT_TRUE(client().sign_in("alice").ok());
  script_service_token("GET", "token-2", server_now);
  EXPECT_EQ(client().service_token()->value, "token-2");
}

TEST_F(TokenCacheTest, AStillValidTokenIsServedWhenRefreshFails) {
  signed_in();
  platform_.clock->advance(std::chrono::minutes(57));
  transport_->fail("GET", "/serviceToken", Status(ErrorCode::kNetworkError, "down"), true);
  for (int i = 0; i < 3; ++i) transport_->fail("GET", "/serviceToken", Status(ErrorCode::kNetworkError, "down"), true);
  auto token = client().service_token(CallOptions().timeout(std::chrono::seconds(10)));
  ASSERT_TRUE(token.ok()) << token.status().message();
  EXPECT_EQ(token->value, "token-1");
  // Past its expiry, the failure is the answer.
  platform_.clock->advance(std::chrono::minutes(5));
  for (int i = 0; i < 4; ++i) transport_->fail("GET", "/serviceToken", Status(ErrorCode::kNetworkError, "down"), true);
  EXPECT_EQ(client().service_token(CallOptions().timeout(std::chrono::seconds(10))).status().code(),
            ErrorCode::kNetworkError);
}

TEST_F(TokenCacheTest, ATokenTheServerRefusesIsRefreshedOnceAndTheCallSentAgain) {
  signed_in();
  transport_->respond("GET", "/list", 401, error_body(401, "header_invalid", "get_new_token"));
  script_service_token("GET", "token-2", now_ms(*platform_.clock));
  transport_->respond("GET", "/list", 200, R"({"devices":{}})");
  auto devices = client().list_devices();
  ASSERT_TRUE(devices.ok()) << devices.status().message();

  std::vector<HttpRequest> lists;
  for (const HttpRequest& request : transport_->requests()) {
    if (url_path(request.url) == "/api/demo/list") lists.push_back(request);
  }
  ASSERT_EQ(lists.size(), 2u);
  const auto values = [](const HttpRequest& request, const std::string& name) {
    std::vector<std::string> found;
    for (const HttpHeader& header : request.headers) {
      if (header.name == name) found.push_back(header.value);
    }
    return found;
  };
  EXPECT_EQ(values(lists[0], "AD-Service-Token"), std::vector<std::string>{"token-1"});
  // The same request again with the fresh token: every header once, nothing added twice.
  EXPECT_EQ(values(lists[1], "AD-Service-Token"), std::vector<std::string>{"token-2"});
  for (const char* name : {"Accept", "User-Agent", "AP-Device-Identifier"}) {
    EXPECT_EQ(values(lists[1], name).size(), 1u) << name;
    EXPECT_EQ(values(lists[1], name), values(lists[0], name)) << name;
  }
  EXPECT_EQ(lists[1].headers.size(), lists[0].headers.size());
  EXPECT_EQ(client().service_token()->value, "token-2");
}

TEST_F(TokenCacheTest, DeviceUnlinkedIsItsOwnErrorAndClearsLocalState) {
  signed_in();
  transport_->respond("GET", "/list", 401, error_body(401, "device_unlinked", "sign_in"));
  auto devices = client().list_devices();
  ASSERT_FALSE(devices.ok());
  EXPECT_EQ(devices.status().code(), ErrorCode::kDeviceUnlinked);
  ASSERT_TRUE(devices.status().server_error());
  EXPECT_EQ(devices.status().server_error()->action, "sign_in");
  EXPECT_FALSE(client().signed_in());
  EXPECT_EQ(platform_.store->contents().count("service_token"), 0u);
  EXPECT_EQ(client().service_token().status().code(), ErrorCode::kNotSignedIn);
}

TEST_F(TokenCacheTest, ARestartServesThePersistedTokenWithoutTheNetwork) {
  signed_in();
  client_.emplace(make_client());  // a new process, same secure store
  transport_->set_fallback([](const HttpRequest&) {
    TransportResult unreachable;
    unreachable.status = Status(ErrorCode::kNetworkError, "server stopped");
    unreachable.not_sent = true;
    return unreachable;
  });
  EXPECT_EQ(client().service_token()->value, "token-1");
}

}  // namespace
}  // namespace ssokit::testing
