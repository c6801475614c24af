// Waiting for a link code (SPEC §6.1) on a scripted transport and the fake clock: the held
// requests a wait is made of, their `wait`, the deadline, cancellation and 503 too_many_waiters.
#include <atomic>
#include <future>
#include <memory>

#include "client_fixture.hpp"

namespace ssokit::testing {
namespace {

std::string header_of(const HttpRequest& request, const std::string& name) {
  for (const HttpHeader& header : request.headers) {
    if (header.name == name) return header.value;
  }
  return "";
}

// "wait=N" of a request's URL as a number; -1 when the URL has no query.
int wait_of(const HttpRequest& request) {
  const auto at = request.url.find("?wait=");
  return at == std::string::npos ? -1 : std::stoi(request.url.substr(at + 6));
}

std::string status_body(const std::string& state, const std::string& device = "") {
  return R"({"status":")" + state + R"(","notAfter":1795410374216)" +
         (device.empty() ? std::string() : R"(,"device":)" + device) + "}";
}

constexpr const char* kTv =
    R"({"id":"dHY=","deviceType":"TV","model":"QE55Q80C","os":"Tizen","osVersion":"7.0","lastSeen":1795409780000,)"
    R"("type":"sso","manufacturer":"Samsung"})";

class LinkStatusTest : public ClientTest {
 protected:
  // Answers every status request with WAITING after holding it as long as it asked, on the
  // fake clock: a server where nothing happens.
  void nothing_happens() {
    transport_->set_fallback([this](const HttpRequest& request) {
      TransportResult result;
      if (url_path(request.url) != "/api/demo/link/status") {
        result.status = Status(ErrorCode::kNetworkError, "unexpected " + request.url);
        return result;
      }
      platform_.clock->advance(std::chrono::seconds(std::max(0, wait_of(request))));
      result.response.status = 200;
      result.response.body = status_body("WAITING");
      return result;
    });
  }
  std::vector<HttpRequest> status_requests() const {
    std::vector<HttpRequest> found;
    for (const HttpRequest& request : transport_->requests()) {
      if (url_path(request.url) == "/api/demo/link/status") found.push_back(request);
    }
    return found;
  }
};

TEST_F(LinkStatusTest, TheStatusIsReadOnceWithTheCodeInAHeader) {
  signed_in();
  transport_->respond("GET", "/link/status", 200, status_body("AWAITING_APPROVAL", kTv));
  auto status = client().link_code_status("228128");
  ASSERT_TRUE(status.ok()) << status.status().message();
  EXPECT_EQ(status->state, LinkCodeState::kAwaitingApproval);
  ASSERT_TRUE(status->device);
  EXPECT_EQ(status->device->model, "QE55Q80C");
  EXPECT_EQ(status->device->extra.at("manufacturer"), "Samsung");

  const auto requests = status_requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].url, "https://sso.test/api/demo/link/status");  // no wait, and never the code
  EXPECT_EQ(header_of(requests[0], "X-SSO-LINK"), "228128");
  EXPECT_EQ(header_of(requests[0], "AD-Service-Token"), "token-1");
  EXPECT_EQ(header_of(requests[0], "AP-Device-Identifier"), "fingerprint " + platform_.device_id);
  EXPECT_EQ(log_.find("228128"), std::string::npos) << log_;
}

TEST_F(LinkStatusTest, AWaitAnswersAsSoonAsTheCodeIsNoLongerWaiting) {
  signed_in();
  transport_->respond("GET", "/link/status", 200, status_body("REDEEMED", kTv));
  auto status = client().wait_for_link_code("228128", CallOptions().timeout(std::chrono::seconds(30)));
  ASSERT_TRUE(status.ok()) << status.status().message();
  EXPECT_EQ(status->state, LinkCodeState::kRedeemed);
  const auto requests = status_requests();
  ASSERT_EQ(requests.size(), 1u);
  // Held for what the deadline leaves, less the margin for the answer to come back.
  EXPECT_EQ(wait_of(requests[0]), 28);
}

TEST_F(LinkStatusTest, ALongWaitIsSeveralHeldRequestsOfAtMostSixtySeconds) {
  signed_in();
  nothing_happens();
  const auto started = platform_.clock->steady_now();
  auto status = client().wait_for_link_code("228128", CallOptions().timeout(std::chrono::seconds(150)));
  ASSERT_TRUE(status.ok()) << status.status().message();
  EXPECT_EQ(status->state, LinkCodeState::kWaiting);  // the deadline came: an answer, not an error
  std::vector<int> waits;
  for (const HttpRequest& request : status_requests()) waits.push_back(wait_of(request));
  EXPECT_EQ(waits, (std::vector<int>{60, 60, 28}));
  EXPECT_LE(platform_.clock->steady_now() - started, std::chrono::seconds(150));
}

TEST_F(LinkStatusTest, ADeadlineShorterThanAHeldWaitReadsOnce) {
  signed_in();
  nothing_happens();
  auto status = client().wait_for_link_code("228128", CallOptions().timeout(std::chrono::milliseconds(2500)));
  ASSERT_TRUE(status.ok()) << status.status().message();
  EXPECT_EQ(status->state, LinkCodeState::kWaiting);
  const auto requests = status_requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(wait_of(requests[0]), -1);  // not a whole second to hold: asked without a wait
}

TEST_F(LinkStatusTest, AnEarlyAnswerIsNotAskedAgainInALoop) {
  signed_in();
  // A server that answers WAITING at once however long it was asked to hold.
  transport_->set_fallback([](const HttpRequest&) {
    TransportResult result;
    result.response.status = 200;
    result.response.body = status_body("WAITING");
    return result;
  });
  auto status = client().wait_for_link_code("228128", CallOptions().timeout(std::chrono::seconds(10)));
  ASSERT_TRUE(status.ok()) << status.status().message();
  // One request a second at most: at 0, 1, ... while a whole second of holding remains.
  EXPECT_LE(status_requests().size(), 8u);
  EXPECT_GE(status_requests().size(), 6u);
}

TEST_F(LinkStatusTest, TooManyWaitersIsRetriedAfterRetryAfter) {
  signed_in();
  transport_->respond("GET", "/link/status", 503, error_body(503, "too_many_waiters", "retry"), {{"Retry-After", "1"}});
  transport_->respond("GET", "/link/status", 200, status_body("REDEEMED", kTv));
  const auto slept_before = platform_.clock->slept();
  auto status = client().wait_for_link_code("228128");
  ASSERT_TRUE(status.ok()) << status.status().message();
  EXPECT_EQ(status->state, LinkCodeState::kRedeemed);
  EXPECT_EQ(platform_.clock->slept() - slept_before, std::chrono::seconds(1));
}

TEST_F(LinkStatusTest, TooManyWaitersUntilTheDeadlineIsAServerErrorWithItsRetryAfter) {
  signed_in();
  transport_->set_fallback([](const HttpRequest&) {
    TransportResult result;
    result.response.status = 503;
    result.response.body = R"({"error":{"status":503,"code":"too_many_waiters","message":"m","action":"retry"}})";
    result.response.headers = {{"Retry-After", "1"}};
    return result;
  });
  auto status = client().wait_for_link_code("228128", CallOptions().timeout(std::chrono::seconds(5)));
  EXPECT_EQ(status.status().code(), ErrorCode::kServerError);
  EXPECT_EQ(status.status().retry_after(), std::chrono::seconds(1));
  EXPECT_EQ(status.status().server_error()->code, "too_many_waiters");
}

TEST_F(LinkStatusTest, AnotherDevicesCodeIsLinkCodeInvalid) {
  signed_in();
  transport_->respond("GET", "/link/status", 400, error_body(400, "link_code_invalid", "get_new_link_code"));
  EXPECT_EQ(client().wait_for_link_code("228128").status().code(), ErrorCode::kLinkCodeInvalid);
}

TEST_F(LinkStatusTest, ACancelBetweenHeldRequestsIsCancelled) {
  signed_in();
  auto cancel = std::make_shared<std::atomic<bool>>(false);
  transport_->set_fallback([cancel](const HttpRequest&) {
    cancel->store(true);  // the user leaves the screen while the first held request is out
    TransportResult result;
    result.response.status = 200;
    result.response.body = status_body("WAITING");
    return result;
  });
  auto status = client().wait_for_link_code("228128", CallOptions().cancel_flag(cancel));
  EXPECT_EQ(status.status().code(), ErrorCode::kCancelled);
  EXPECT_EQ(status_requests().size(), 1u);
}

TEST_F(LinkStatusTest, TheAsyncWaitDeliversOnceAndCanBeCancelled) {
  signed_in();
  transport_->respond("GET", "/link/status", 200, status_body("EXPIRED"));
  std::promise<Result<LinkCodeStatus>> done;
  client().wait_for_link_code_async("228128",
                                    [&](Result<LinkCodeStatus> status) { done.set_value(std::move(status)); });
  auto status = done.get_future().get();
  ASSERT_TRUE(status.ok()) << status.status().message();
  EXPECT_EQ(status->state, LinkCodeState::kExpired);

  auto flag = std::make_shared<std::atomic<bool>>(true);
  std::promise<Result<LinkCodeStatus>> cancelled;
  client().link_code_status_async(
      "228128", [&](Result<LinkCodeStatus> result) { cancelled.set_value(std::move(result)); },
      CallOptions().cancel_flag(flag));
  EXPECT_EQ(cancelled.get_future().get().status().code(), ErrorCode::kCancelled);
}

TEST_F(LinkStatusTest, ACodeThatCannotBeOneIsRefusedBeforeAnyCall) {
  signed_in();
  const auto before = transport_->requests().size();
  EXPECT_EQ(client().wait_for_link_code("").status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(client().link_code_status("12\n34").status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(client().approve_link_code(std::string(65, '1')).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(transport_->requests().size(), before);
}

TEST_F(LinkStatusTest, NotSignedInIsNotSignedIn) {
  script_registration();
  EXPECT_EQ(client().wait_for_link_code("228128").status().code(), ErrorCode::kNotSignedIn);
}

}  // namespace
}  // namespace ssokit::testing
