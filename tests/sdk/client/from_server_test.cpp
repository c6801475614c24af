// CallOptions::from_server: service_token() asks the server instead of answering from its
// cache, so an app learns of an unlink before playback, not at the next refresh.
#include <future>

#include "client_fixture.hpp"

namespace ssokit::testing {
namespace {

using FromServerTest = ClientTest;

const CallOptions kFromServer = CallOptions().from_server(true).timeout(std::chrono::seconds(10));

TEST_F(FromServerTest, AFreshTokenIsRefreshedAnyway) {
  signed_in();
  script_service_token("GET", "token-2", now_ms(*platform_.clock));
  auto checked = client().service_token(kFromServer);
  ASSERT_TRUE(checked.ok()) << checked.status().message();
  EXPECT_EQ(checked->value, "token-2");
  EXPECT_EQ(transport_->count("GET", "/serviceToken"), 1u);
  // The answer is adopted: later plain calls are served it from the cache.
  EXPECT_EQ(client().service_token()->value, "token-2");
  EXPECT_EQ(transport_->count("GET", "/serviceToken"), 1u);
}

TEST_F(FromServerTest, AnUnlinkedDeviceLearnsItAtOnceAndIsSignedOut) {
  signed_in();
  transport_->respond("GET", "/serviceToken", 401, error_body(401, "device_unlinked", "sign_in"));
  // Without the option the cache answers: the unlink is not known yet.
  EXPECT_EQ(client().service_token()->value, "token-1");
  EXPECT_EQ(transport_->count("GET", "/serviceToken"), 0u);

  EXPECT_EQ(client().service_token(kFromServer).status().code(), ErrorCode::kDeviceUnlinked);
  EXPECT_FALSE(client().signed_in());
  EXPECT_EQ(platform_.store->contents().count("service_token"), 0u);
  EXPECT_EQ(client().service_token().status().code(), ErrorCode::kNotSignedIn);
}

TEST_F(FromServerTest, AFailedCheckIsTheAnswerButTheCacheStillServesPlainCalls) {
  signed_in();
  for (int i = 0; i < 4; ++i) transport_->fail("GET", "/serviceToken", Status(ErrorCode::kNetworkError, "down"), true);
  EXPECT_EQ(client().service_token(kFromServer).status().code(), ErrorCode::kNetworkError);
  // Offline is not unlinked: the token stays, and plain calls get it.
  EXPECT_TRUE(client().signed_in());
  EXPECT_EQ(client().service_token()->value, "token-1");
}

TEST_F(FromServerTest, ADueRefreshThatFailsServesTheCacheOnlyToPlainCalls) {
  signed_in();
  platform_.clock->advance(std::chrono::minutes(57));  // due, but valid for 3 more minutes
  for (int i = 0; i < 8; ++i) transport_->fail("GET", "/serviceToken", Status(ErrorCode::kNetworkError, "down"), true);
  EXPECT_EQ(client().service_token(CallOptions().timeout(std::chrono::seconds(10)))->value, "token-1");
  EXPECT_EQ(client().service_token(kFromServer).status().code(), ErrorCode::kNetworkError);
}

TEST_F(FromServerTest, AnAnswerThatIsNotATokenCountsAsNoAnswer) {
  signed_in();
  platform_.clock->advance(std::chrono::minutes(57));
  const std::string portal = "<html>Sign in to the hotel Wi-Fi</html>";
  transport_->respond("GET", "/serviceToken", 200, portal);
  transport_->respond("GET", "/serviceToken", 200, portal);
  EXPECT_EQ(client().service_token()->value, "token-1");
  EXPECT_EQ(client().service_token(kFromServer).status().code(), ErrorCode::kBadResponse);
  EXPECT_TRUE(client().signed_in());
}

TEST_F(FromServerTest, WithoutATokenNothingIsSent) {
  EXPECT_EQ(client().service_token(kFromServer).status().code(), ErrorCode::kNotSignedIn);
  EXPECT_TRUE(transport_->requests().empty());
}

TEST_F(FromServerTest, ATokenKeptFromAnEarlierRunIsCheckedToo) {
  signed_in();
  client_.emplace(make_client());  // a new process, same secure store
  transport_->respond("GET", "/serviceToken", 401, error_body(401, "device_unlinked", "sign_in"));
  EXPECT_EQ(client().service_token(kFromServer).status().code(), ErrorCode::kDeviceUnlinked);
  EXPECT_FALSE(client().signed_in());
}

TEST_F(FromServerTest, TheAsyncFormAsksTheServerToo) {
  signed_in();
  transport_->respond("GET", "/serviceToken", 401, error_body(401, "device_unlinked", "sign_in"));
  std::promise<Result<ServiceToken>> done;
  client().service_token_async([&](Result<ServiceToken> token) { done.set_value(std::move(token)); }, kFromServer);
  EXPECT_EQ(done.get_future().get().status().code(), ErrorCode::kDeviceUnlinked);
  EXPECT_FALSE(client().signed_in());
}

}  // namespace
}  // namespace ssokit::testing
