// ssokit::testing::TestControl against a real server started with --test-control (SPEC §6.4),
// used as an app team would in its own tests: redeem the code a device made without reading
// a screen, move the server's clock past a code's end, make a route fail, be slow or drop,
// and read what the server answered.
#include <chrono>
#include <optional>

#include "api_test.hpp"
#include "ssokit/ssokit.hpp"
#include "ssokit/testing/fake_platform.hpp"
#include "ssokit/testing/test_control.hpp"

namespace ssokit::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class SdkTestControl : public ApiTest {
 protected:
  std::vector<std::string> extra_args() const override { return {"--test-control"}; }
  void SetUp() override {
    ApiTest::SetUp();
    control_.emplace(server().base_url());
  }

  SsoClient make_device(FakePlatform& device) {
    ClientOptions options;
    options.server = server().base_url();
    options.service_provider = "demo";
    options.software_statement = server().software_statement("demo");
    options.platform = device.services();
    options.platform.clock = nullptr;  // real clocks: the server's clock is the one that moves
    options.retry.initial_backoff = milliseconds(50);
    auto client = SsoClient::create(std::move(options));
    EXPECT_TRUE(client.ok()) << client.status().message();
    return std::move(client).value();
  }

  const TestControl& control() const { return *control_; }

  // The requests of `route` ("/api/{sp}/list") the server recorded, oldest first.
  std::vector<RecordedRequest> recorded(const std::string& route) const {
    auto all = control().requests();
    EXPECT_TRUE(all.ok()) << all.status().message();
    std::vector<RecordedRequest> found;
    if (!all.ok()) return found;
    for (const RecordedRequest& request : *all) {
      if (request.route == route) found.push_back(request);
    }
    return found;
  }

  FakePlatform phone_device_{"cGhvbmUtY29udHJvbA=="};
  FakePlatform tv_device_{"dHYtY29udHJvbA=="};

 private:
  std::optional<TestControl> control_;
};

TEST_F(SdkTestControl, TheTvRedeemsTheCodeThePhoneMadeWithoutReadingAScreen) {
  SsoClient phone = make_device(phone_device_);
  SsoClient tv = make_device(tv_device_);
  ASSERT_TRUE(phone.sign_in("alice").ok());
  ASSERT_TRUE(phone.create_link_code().ok());
  ASSERT_TRUE(phone.create_link_code(LinkCodeOptions{true}).ok());

  auto codes = control().link_codes("demo", phone.device_id().value());
  ASSERT_TRUE(codes.ok()) << codes.status().message();
  ASSERT_EQ(codes->size(), 2u);
  EXPECT_FALSE(codes->front().approval_required);
  EXPECT_TRUE(codes->back().approval_required);  // the newest last

  auto joined = tv.redeem_link_code(codes->front().code);
  ASSERT_TRUE(joined.ok()) << joined.status().message();
  // Another device's codes, and another service provider's, are not listed.
  EXPECT_TRUE(control().link_codes("demo", tv.device_id().value())->empty());
  EXPECT_TRUE(control().link_codes("other", phone.device_id().value())->empty());
}

TEST_F(SdkTestControl, MovingTheServersClockEndsACodeAndTheSdkRefreshesItsToken) {
  SsoClient phone = make_device(phone_device_);
  SsoClient tv = make_device(tv_device_);
  ASSERT_TRUE(phone.sign_in("alice").ok());
  auto code = phone.create_link_code();
  ASSERT_TRUE(code.ok()) << code.status().message();

  auto before = control().clock();
  ASSERT_TRUE(before.ok()) << before.status().message();
  EXPECT_EQ(before->offset, seconds(0));
  auto moved = control().advance_clock(std::chrono::minutes(11));
  ASSERT_TRUE(moved.ok()) << moved.status().message();
  EXPECT_EQ(moved->offset, seconds(660));
  EXPECT_GE(moved->now - before->now, std::chrono::milliseconds(660 * 1000));

  // The code's ten minutes are over: no redemption, and its status says so (for ten more).
  EXPECT_EQ(tv.redeem_link_code(code->value).status().code(), ErrorCode::kLinkCodeInvalid);
  auto status = phone.link_code_status(code->value);
  ASSERT_TRUE(status.ok()) << status.status().message();
  EXPECT_EQ(status->state, LinkCodeState::kExpired);

  // Past the phone's one-hour token: the SDK refreshes it (within the refresh grace) and the
  // call works; the expired code is forgotten.
  ASSERT_EQ(control().advance_clock(std::chrono::minutes(51))->offset, seconds(3720));
  auto listed = phone.list_devices();
  EXPECT_TRUE(listed.ok()) << listed.status().message();
  EXPECT_EQ(phone.link_code_status(code->value).status().code(), ErrorCode::kLinkCodeInvalid);

  ASSERT_TRUE(control().reset().ok());
  EXPECT_EQ(control().clock()->offset, seconds(0));
}

TEST_F(SdkTestControl, AFaultIsRetriedByTheSdkAndTheRecordShowsBothAnswers) {
  SsoClient phone = make_device(phone_device_);
  ASSERT_TRUE(phone.sign_in("alice").ok());
  ASSERT_TRUE(control().add_fault(ServerFault::error("GET /api/{sp}/list", 503, "store_unavailable")).ok());
  auto devices = phone.list_devices(CallOptions().timeout(seconds(10)));
  ASSERT_TRUE(devices.ok()) << devices.status().message();  // 503 with Retry-After: 1, then the list

  const auto lists = recorded("/api/{sp}/list");
  ASSERT_EQ(lists.size(), 2u);
  EXPECT_EQ(lists[0].status, 503);
  EXPECT_EQ(lists[1].status, 200);
  EXPECT_EQ(lists[1].method, "GET");
  EXPECT_FALSE(lists[1].trace.empty());
  EXPECT_EQ(lists[1].headers.at("AD-Service-Token"), "[redacted]");
  EXPECT_EQ(lists[1].headers.at("User-Agent"), "ssokit-sdk/0.1");
}

TEST_F(SdkTestControl, ADroppedOrSlowAnswerIsWhatTheAppSees) {
  SsoClient phone = make_device(phone_device_);
  ASSERT_TRUE(phone.sign_in("alice").ok());

  // The SDK never repeats a code's creation: a dropped connection is the app's answer. (libcurl
  // itself sends a request once more on a fresh connection when a reused one closes without
  // an answer, as an idle connection the server closed looks the same: so two drops.)
  ASSERT_TRUE(control().add_fault(ServerFault::dropped("POST /api/{sp}/link", 2)).ok());
  EXPECT_EQ(phone.create_link_code().status().code(), ErrorCode::kNetworkError);
  const auto links = recorded("/api/{sp}/link");
  ASSERT_FALSE(links.empty());
  EXPECT_EQ(links.back().status, 0);

  ASSERT_TRUE(control().add_fault(ServerFault::delayed("GET /api/{sp}/list", milliseconds(3000))).ok());
  EXPECT_EQ(phone.list_devices(CallOptions().timeout(milliseconds(800))).status().code(), ErrorCode::kTimeout);

  // A fault queued and cleared does nothing.
  ASSERT_TRUE(control().add_fault(ServerFault::error("GET /api/{sp}/list", 500, "internal_error", 5)).ok());
  ASSERT_TRUE(control().clear_faults().ok());
  EXPECT_TRUE(phone.list_devices().ok());
  // The server refuses a route it does not have, with its error object.
  const Status refused = control().add_fault(ServerFault::dropped("POST /api/{sp}/lnk"));
  EXPECT_EQ(refused.code(), ErrorCode::kBadRequest);
  ASSERT_TRUE(refused.server_error());
  EXPECT_EQ(refused.server_error()->code, "request_invalid");
}

TEST_F(SdkTestControl, AHeldStatusWaitMeetsAFaultOfItsRoute) {
  SsoClient phone = make_device(phone_device_);
  ASSERT_TRUE(phone.sign_in("alice").ok());
  auto code = phone.create_link_code();
  ASSERT_TRUE(code.ok()) << code.status().message();
  // The server is full of waiters once: the SDK waits its Retry-After and asks again.
  ASSERT_TRUE(control().add_fault(ServerFault::error("GET /api/{sp}/link/status", 503, "too_many_waiters")).ok());
  auto status = phone.wait_for_link_code(code->value, CallOptions().timeout(seconds(5)));
  ASSERT_TRUE(status.ok()) << status.status().message();
  EXPECT_EQ(status->state, LinkCodeState::kWaiting);
  const auto waits = recorded("/api/{sp}/link/status");
  ASSERT_GE(waits.size(), 2u);
  EXPECT_EQ(waits[0].status, 503);
  EXPECT_EQ(waits[1].status, 200);
}

// Without --test-control the routes are 404, and TestControl says what to do.
class SdkWithoutTestControl : public ApiTest {};

TEST_F(SdkWithoutTestControl, TestControlSaysHowToStartTheServer) {
  const TestControl control(server().base_url());
  auto clock = control.clock();
  EXPECT_EQ(clock.status().code(), ErrorCode::kBadRequest);
  EXPECT_NE(clock.status().message().find("--test-control"), std::string::npos) << clock.status().message();
  EXPECT_EQ(clock.status().http_status(), 404);
}

}  // namespace
}  // namespace ssokit::testing
