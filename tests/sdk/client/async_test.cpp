// Async calls: exactly one callback, cancellation, the last handle dying in a callback.
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "client_fixture.hpp"

namespace ssokit::testing {
namespace {

using AsyncTest = ClientTest;

TEST_F(AsyncTest, TheCallbackRunsOnceWithTheResult) {
  signed_in();
  transport_->respond("GET", "/list", 200, R"({"devices":{}})");
  std::promise<Result<std::vector<Device>>> done;
  client().list_devices_async([&](Result<std::vector<Device>> result) { done.set_value(std::move(result)); });
  auto result = done.get_future().get();
  EXPECT_TRUE(result.ok()) << result.status().message();
}

TEST_F(AsyncTest, ACallCancelledBeforeItRunsAnswersCancelledEvenFromTheCache) {
  signed_in();
  auto flag = std::make_shared<std::atomic<bool>>(true);
  std::promise<Result<ServiceToken>> done;
  client().service_token_async([&](Result<ServiceToken> result) { done.set_value(std::move(result)); },
                               CallOptions().cancel_flag(flag));
  EXPECT_EQ(done.get_future().get().status().code(), ErrorCode::kCancelled);
}

TEST_F(AsyncTest, PendingCallCancelStopsAWaitingCall) {
  signed_in();
  // The list answer never comes: the call waits in backoff until cancelled.
  for (int i = 0; i < 3; ++i) transport_->fail("GET", "/list", Status(ErrorCode::kNetworkError, "down"));
  std::promise<Result<std::vector<Device>>> done;
  PendingCall pending =
      client().list_devices_async([&](Result<std::vector<Device>> result) { done.set_value(std::move(result)); });
  pending.cancel();
  const auto code = done.get_future().get().status().code();
  EXPECT_TRUE(code == ErrorCode::kCancelled || code == ErrorCode::kNetworkError) << to_string(code);
}

TEST_F(AsyncTest, TheLastHandleMayDieInsideACallback) {
  signed_in();
  transport_->respond("GET", "/list", 200, R"({"devices":{}})");
  std::promise<void> finished;
  {
    SsoClient copy = client();
    client_.reset();  // the callback's copy becomes the last handle
    copy.list_devices_async([keep = copy, &finished](Result<std::vector<Device>>) mutable {
      finished.set_value();
      // `keep` dies with the task, on the worker thread: the client must not try to join it.
    });
  }
  EXPECT_EQ(finished.get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // let the hand-off thread finish
}

TEST_F(AsyncTest, ARefusedTokenIsNotServedAgain) {
  signed_in();
  transport_->respond("GET", "/list", 401, error_body(401, "header_invalid", "get_new_token"));
  transport_->respond("GET", "/serviceToken", 401, error_body(401, "header_invalid", "get_new_token"));
  EXPECT_EQ(client().list_devices().status().code(), ErrorCode::kTokenInvalid);
  EXPECT_EQ(client().service_token().status().code(), ErrorCode::kNotSignedIn);
}

}  // namespace
}  // namespace ssokit::testing
