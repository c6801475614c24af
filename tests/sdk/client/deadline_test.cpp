// What a call answers when its deadline or a cancel meets its retries: the failure that made
// it wait when no retry can start before the deadline (at once, not at the deadline),
// kTimeout when the deadline passes with a request in flight or before the first one,
// kCancelled when the caller cancels. A 300 ms deadline against a closed port is therefore
// kNetworkError, not kTimeout.
#include <atomic>
#include <memory>

#include "client_fixture.hpp"

namespace ssokit::testing {
namespace {

using DeadlineTest = ClientTest;

const CallOptions k300ms = CallOptions().timeout(std::chrono::milliseconds(300));

TransportResult refused() {
  TransportResult result;
  result.status = Status(ErrorCode::kNetworkError, "connection refused");
  result.not_sent = true;
  return result;
}

TEST_F(DeadlineTest, RetriesCutShortByTheDeadlineAnswerTheLastFailureAtOnce) {
  signed_in();
  transport_->set_fallback([](const HttpRequest&) { return refused(); });
  const auto slept_before = platform_.clock->slept();
  auto devices = client().list_devices(k300ms);
  // Refused at 0 ms, waited 100 ms, refused again; the next wait (200 ms) would end at the
  // deadline, so the call stops there with the refusal, 200 ms early.
  EXPECT_EQ(devices.status().code(), ErrorCode::kNetworkError);
  EXPECT_EQ(devices.status().message(), "connection refused");
  EXPECT_EQ(transport_->count("GET", "/list"), 2u);
  EXPECT_EQ(platform_.clock->slept() - slept_before, std::chrono::milliseconds(100));
}

TEST_F(DeadlineTest, AServerErrorUntilTheDeadlineIsTheAnswerToo) {
  signed_in();
  transport_->set_fallback([](const HttpRequest&) {
    TransportResult unavailable;
    unavailable.response.status = 503;
    return unavailable;
  });
  auto devices = client().list_devices(k300ms);
  EXPECT_EQ(devices.status().code(), ErrorCode::kServerError);
  EXPECT_EQ(devices.status().http_status(), 503);
}

TEST_F(DeadlineTest, ARequestInFlightAtTheDeadlineIsATimeout) {
  signed_in();
  transport_->fail("GET", "/list", Status(ErrorCode::kNetworkError, "connection refused"), true);
  // The retry hangs until the deadline, where a transport gives up with kTimeout.
  transport_->set_fallback([this](const HttpRequest&) {
    platform_.clock->advance(std::chrono::milliseconds(300));
    TransportResult hung;
    hung.status = Status(ErrorCode::kTimeout, "no answer before the deadline");
    return hung;
  });
  auto devices = client().list_devices(k300ms);
  EXPECT_EQ(devices.status().code(), ErrorCode::kTimeout);
  EXPECT_EQ(transport_->count("GET", "/list"), 2u);
}

TEST_F(DeadlineTest, ADeadlineAlreadyPastIsATimeoutWithNothingSent) {
  signed_in();
  const std::size_t before = transport_->requests().size();
  auto devices = client().list_devices(CallOptions().timeout(std::chrono::milliseconds(0)));
  EXPECT_EQ(devices.status().code(), ErrorCode::kTimeout);
  EXPECT_EQ(transport_->requests().size(), before);
}

TEST_F(DeadlineTest, ACancelDuringTheWaitBeforeARetryIsCancelled) {
  signed_in();
  auto cancel = std::make_shared<std::atomic<bool>>(false);
  transport_->set_fallback([cancel](const HttpRequest&) {
    cancel->store(true);  // the user leaves the screen while the SDK waits to retry
    return refused();
  });
  auto devices = client().list_devices(CallOptions().cancel_flag(cancel));
  EXPECT_EQ(devices.status().code(), ErrorCode::kCancelled);
  EXPECT_EQ(transport_->count("GET", "/list"), 1u);
}

TEST_F(DeadlineTest, NoWaitFollowsTheLastAttempt) {
  signed_in();
  transport_->set_fallback([](const HttpRequest&) { return refused(); });
  const auto slept_before = platform_.clock->slept();
  auto devices = client().list_devices();
  EXPECT_EQ(devices.status().code(), ErrorCode::kNetworkError);
  EXPECT_EQ(transport_->count("GET", "/list"), 4u);
  // 100, 200 and 400 ms between the four attempts, and nothing after the last.
  EXPECT_EQ(platform_.clock->slept() - slept_before, std::chrono::milliseconds(700));
}

}  // namespace
}  // namespace ssokit::testing
