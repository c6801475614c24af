// The SDK against the real server, SPEC §6.1 and §6.2: a phone waits for its code's status in
// held requests (woken by the redemption, cancellable, bounded by its deadline), the TV
// redeeming a code that needs approval is told so and waits for the decision, the phone
// approves or denies. Real clocks and libcurl, as on devices.
#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <thread>

#include "api_test.hpp"
#include "ssokit/ssokit.hpp"
#include "ssokit/testing/fake_platform.hpp"

namespace ssokit::testing {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr const char* kTvInfo =
    R"({"primaryHardwareType":"TV","model":"QE55Q80C","manufacturer":"Samsung","osName":"Tizen","osVersion":"7.0"})";

milliseconds since(Clock::time_point start) {
  return std::chrono::duration_cast<milliseconds>(Clock::now() - start);
}

class SdkLinkApprovalTest : public ApiTest {
 protected:
  SsoClient make_device(FakePlatform& device, const std::string& uri_template = "") {
    ClientOptions options;
    options.server = server().base_url();
    options.service_provider = "demo";
    options.software_statement = server().software_statement("demo");
    options.platform = device.services();
    options.platform.clock = nullptr;  // real clocks: the server holds requests in real seconds
    options.link_uri_template = uri_template;
    auto client = SsoClient::create(std::move(options));
    EXPECT_TRUE(client.ok()) << client.status().message();
    return std::move(client).value();
  }

  FakePlatform phone_device_{"cGhvbmUtYXBwcm92YWw="};
  FakePlatform tv_device_{"dHYtYXBwcm92YWw=", kTvInfo};
};

TEST_F(SdkLinkApprovalTest, TheTvWaitsThePhoneSeesItAndApprovesAndTheTvGetsItsToken) {
  SsoClient phone = make_device(phone_device_, "myapp://link?code={code}");
  SsoClient tv = make_device(tv_device_);
  ASSERT_TRUE(phone.sign_in("alice").ok());
  auto code = phone.create_link_code(LinkCodeOptions{true});
  ASSERT_TRUE(code.ok()) << code.status().message();
  EXPECT_TRUE(code->approval_required);
  EXPECT_EQ(code->uri, "myapp://link?code=" + code->value);

  // The TV redeems: taken, but no token yet.
  auto first = tv.redeem_link_code(code->value, RedeemOptions());
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->state, RedemptionState::kAwaitingApproval);
  EXPECT_FALSE(tv.signed_in());

  // The TV waits for the decision in held requests while the phone looks and decides.
  std::promise<Result<Redemption>> decided;
  tv.redeem_link_code_async(
      code->value, RedeemOptions{true}, [&](Result<Redemption> result) { decided.set_value(std::move(result)); },
      CallOptions().timeout(seconds(30)));

  auto status = phone.wait_for_link_code(code->value, CallOptions().timeout(seconds(10)));
  ASSERT_TRUE(status.ok()) << status.status().message();
  EXPECT_EQ(status->state, LinkCodeState::kAwaitingApproval);
  ASSERT_TRUE(status->device);
  EXPECT_EQ(status->device->id, "dHYtYXBwcm92YWw=");
  EXPECT_EQ(status->device->device_type, "TV");
  EXPECT_EQ(status->device->model, "QE55Q80C");
  EXPECT_EQ(status->device->os, "Tizen");
  EXPECT_EQ(status->device->os_version, "7.0");
  EXPECT_EQ(status->device->extra.at("manufacturer"), "Samsung");
  EXPECT_EQ(status->device->type, DeviceLinkType::kSso);
  EXPECT_FALSE(status->device->current);

  std::this_thread::sleep_for(milliseconds(1500));  // the TV's held request is out by now
  const auto approved_at = Clock::now();
  ASSERT_TRUE(phone.approve_link_code(code->value).ok());

  auto future = decided.get_future();
  ASSERT_EQ(future.wait_for(seconds(10)), std::future_status::ready);
  auto joined = future.get();
  ASSERT_TRUE(joined.ok()) << joined.status().message();
  EXPECT_EQ(joined->state, RedemptionState::kJoined);
  EXPECT_LT(since(approved_at), seconds(3)) << "the held request answers at the decision";
  EXPECT_TRUE(tv.signed_in());
  auto devices = tv.list_devices();
  ASSERT_TRUE(devices.ok()) << devices.status().message();
  EXPECT_EQ(devices->size(), 2u);

  auto redeemed = phone.link_code_status(code->value);
  ASSERT_TRUE(redeemed.ok()) << redeemed.status().message();
  EXPECT_EQ(redeemed->state, LinkCodeState::kRedeemed);
  // The decision is made: a second one is refused.
  EXPECT_EQ(phone.deny_link_code(code->value).code(), ErrorCode::kLinkCodeInvalid);
}

TEST_F(SdkLinkApprovalTest, ADenialIsLinkDeniedOnTheTv) {
  SsoClient phone = make_device(phone_device_);
  SsoClient tv = make_device(tv_device_);
  ASSERT_TRUE(phone.sign_in("alice").ok());
  auto code = phone.create_link_code(LinkCodeOptions{true});
  ASSERT_TRUE(code.ok()) << code.status().message();

  // The token form waits for the decision within its deadline.
  auto joined = std::async(std::launch::async,
                           [&] { return tv.redeem_link_code(code->value, CallOptions().timeout(seconds(30))); });
  auto status = phone.wait_for_link_code(code->value, CallOptions().timeout(seconds(10)));
  ASSERT_TRUE(status.ok()) << status.status().message();
  ASSERT_EQ(status->state, LinkCodeState::kAwaitingApproval);
  ASSERT_TRUE(phone.deny_link_code(code->value).ok());

  ASSERT_EQ(joined.wait_for(seconds(10)), std::future_status::ready);
  const auto denied = joined.get();
  EXPECT_EQ(denied.status().code(), ErrorCode::kLinkDenied) << denied.status().message();
  ASSERT_TRUE(denied.status().server_error());
  EXPECT_EQ(denied.status().server_error()->action, "get_new_link_code");
  EXPECT_FALSE(tv.signed_in());

  auto after = phone.link_code_status(code->value);
  ASSERT_TRUE(after.ok()) << after.status().message();
  EXPECT_EQ(after->state, LinkCodeState::kDenied);
  // Redeeming again is denied again.
  EXPECT_EQ(tv.redeem_link_code(code->value, RedeemOptions()).status().code(), ErrorCode::kLinkDenied);
}

TEST_F(SdkLinkApprovalTest, AHeldStatusWaitWakesAtTheRedemption) {
  SsoClient phone = make_device(phone_device_);
  SsoClient tv = make_device(tv_device_);
  ASSERT_TRUE(phone.sign_in("alice").ok());
  auto code = phone.create_link_code();
  ASSERT_TRUE(code.ok()) << code.status().message();
  EXPECT_FALSE(code->approval_required);

  const auto started = Clock::now();
  auto waited = std::async(std::launch::async,
                           [&] { return phone.wait_for_link_code(code->value, CallOptions().timeout(seconds(40))); });
  std::this_thread::sleep_for(milliseconds(1000));
  ASSERT_EQ(waited.wait_for(milliseconds(0)), std::future_status::timeout) << "the wait is held";
  const auto redeemed_at = Clock::now();
  ASSERT_TRUE(tv.redeem_link_code(code->value).ok());

  ASSERT_EQ(waited.wait_for(seconds(10)), std::future_status::ready);
  auto status = waited.get();
  ASSERT_TRUE(status.ok()) << status.status().message();
  EXPECT_EQ(status->state, LinkCodeState::kRedeemed);
  ASSERT_TRUE(status->device);
  EXPECT_EQ(status->device->id, "dHYtYXBwcm92YWw=");
  EXPECT_LT(since(redeemed_at), seconds(3));
  EXPECT_LT(since(started), seconds(10));
}

TEST_F(SdkLinkApprovalTest, CancellingAHeldWaitEndsItAtOnce) {
  SsoClient phone = make_device(phone_device_);
  ASSERT_TRUE(phone.sign_in("alice").ok());
  auto code = phone.create_link_code();
  ASSERT_TRUE(code.ok()) << code.status().message();

  std::promise<Result<LinkCodeStatus>> done;
  PendingCall pending = phone.wait_for_link_code_async(
      code->value, [&](Result<LinkCodeStatus> status) { done.set_value(std::move(status)); },
      CallOptions().timeout(seconds(60)));
  std::this_thread::sleep_for(milliseconds(700));  // the held request is on the server now
  const auto cancelled_at = Clock::now();
  pending.cancel();
  auto future = done.get_future();
  ASSERT_EQ(future.wait_for(seconds(5)), std::future_status::ready);
  EXPECT_EQ(future.get().status().code(), ErrorCode::kCancelled);
  EXPECT_LT(since(cancelled_at), seconds(1));

  // A blocking wait is cancelled from another thread the same way.
  auto flag = std::make_shared<std::atomic<bool>>(false);
  auto blocking = std::async(std::launch::async, [&] {
    return phone.wait_for_link_code(code->value, CallOptions().timeout(seconds(60)).cancel_flag(flag));
  });
  std::this_thread::sleep_for(milliseconds(700));
  flag->store(true);
  ASSERT_EQ(blocking.wait_for(seconds(5)), std::future_status::ready);
  EXPECT_EQ(blocking.get().status().code(), ErrorCode::kCancelled);
  // The server is none the worse: the code still answers.
  auto status = phone.link_code_status(code->value);
  ASSERT_TRUE(status.ok()) << status.status().message();
  EXPECT_EQ(status->state, LinkCodeState::kWaiting);
}

TEST_F(SdkLinkApprovalTest, ADeadlineShorterThanAHeldWaitAnswersWaitingByTheDeadline) {
  SsoClient phone = make_device(phone_device_);
  ASSERT_TRUE(phone.sign_in("alice").ok());
  auto code = phone.create_link_code();
  ASSERT_TRUE(code.ok()) << code.status().message();

  const auto started = Clock::now();
  auto status = phone.wait_for_link_code(code->value, CallOptions().timeout(milliseconds(4500)));
  const auto took = since(started);
  ASSERT_TRUE(status.ok()) << status.status().message();  // not kTimeout: the server answered in time
  EXPECT_EQ(status->state, LinkCodeState::kWaiting);
  EXPECT_GE(took, seconds(2)) << "it was held";
  EXPECT_LT(took, milliseconds(4500)) << "the hold ended before the deadline";

  // Deadlines within a request's margin read the status at once.
  const auto quick = Clock::now();
  auto now = phone.wait_for_link_code(code->value, CallOptions().timeout(milliseconds(1500)));
  ASSERT_TRUE(now.ok()) << now.status().message();
  EXPECT_EQ(now->state, LinkCodeState::kWaiting);
  EXPECT_LT(since(quick), milliseconds(1500));
}

TEST_F(SdkLinkApprovalTest, TheTvsWaitForADecisionEndsAtItsDeadlineStillAwaiting) {
  SsoClient phone = make_device(phone_device_);
  SsoClient tv = make_device(tv_device_);
  ASSERT_TRUE(phone.sign_in("alice").ok());
  auto code = phone.create_link_code(LinkCodeOptions{true});
  ASSERT_TRUE(code.ok()) << code.status().message();

  const auto started = Clock::now();
  auto waiting = tv.redeem_link_code(code->value, RedeemOptions{true}, CallOptions().timeout(seconds(5)));
  ASSERT_TRUE(waiting.ok()) << waiting.status().message();
  EXPECT_EQ(waiting->state, RedemptionState::kAwaitingApproval);
  EXPECT_GE(since(started), seconds(2));
  EXPECT_LT(since(started), seconds(5));

  // The token form says kTimeout, and redeeming the same code again picks the wait up.
  auto token = tv.redeem_link_code(code->value, CallOptions().timeout(seconds(4)));
  EXPECT_EQ(token.status().code(), ErrorCode::kTimeout) << token.status().message();
  ASSERT_TRUE(phone.approve_link_code(code->value).ok());
  auto joined = tv.redeem_link_code(code->value);
  ASSERT_TRUE(joined.ok()) << joined.status().message();
  EXPECT_TRUE(tv.signed_in());
}

TEST_F(SdkLinkApprovalTest, OnlyTheDeviceThatMadeTheCodeSeesItOrDecides) {
  SsoClient phone = make_device(phone_device_);
  SsoClient tv = make_device(tv_device_);
  FakePlatform other_device("b3RoZXItcGhvbmU=");
  SsoClient other = make_device(other_device);
  ASSERT_TRUE(phone.sign_in("alice").ok());
  ASSERT_TRUE(other.sign_in("alice").ok());  // the same profile, another device
  auto code = phone.create_link_code(LinkCodeOptions{true});
  ASSERT_TRUE(code.ok()) << code.status().message();
  ASSERT_EQ(tv.redeem_link_code(code->value, RedeemOptions())->state, RedemptionState::kAwaitingApproval);

  EXPECT_EQ(other.link_code_status(code->value).status().code(), ErrorCode::kLinkCodeInvalid);
  EXPECT_EQ(other.approve_link_code(code->value).code(), ErrorCode::kLinkCodeInvalid);
  EXPECT_EQ(phone.approve_link_code("000000").code(), ErrorCode::kLinkCodeInvalid);
  // A third device cannot take the code the TV holds.
  FakePlatform stick_device("c3RpY2s=");
  SsoClient stick = make_device(stick_device);
  EXPECT_EQ(stick.redeem_link_code(code->value, RedeemOptions()).status().code(), ErrorCode::kLinkCodeInvalid);
}

}  // namespace
}  // namespace ssokit::testing
