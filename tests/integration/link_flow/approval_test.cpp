// SPEC §6.2: a link code that needs the approval of the device that made it, and §6.3's
// count of pending approvals.
#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "link_flow_helpers.hpp"
#include "sso_helpers.hpp"

namespace ssokit::testing::link_flow {
namespace {

using sso::expect_error;
using sso::sub_of;

TEST_F(LinkFlowTest, AnApprovedDeviceJoinsOnlyAfterTheTap) {
  const SignedIn phone = sign_in("phone", "alice");
  const std::string code = approval_code(phone);

  const HttpResponse taken = redeem_as("tv", code);
  ASSERT_EQ(taken.status, 202) << taken.body;
  EXPECT_EQ(taken.json("status"), "AWAITING_APPROVAL");
  EXPECT_TRUE(taken.has_json("notAfter"));
  EXPECT_FALSE(taken.has_json("serviceToken"));
  EXPECT_EQ(call("GET", path("list"), token_headers(phone)).json_keys("devices").size(), 1u) << "not joined yet";

  // The code is taken: any other device is told it is invalid.
  expect_error(redeem_as("tablet", code), 400, "link_code_invalid", "get_new_link_code");
  // The phone sees who asks.
  const HttpResponse seen = status(phone, code, "5");
  ASSERT_EQ(seen.status, 200) << seen.body;
  EXPECT_EQ(seen.json("status"), "AWAITING_APPROVAL");
  EXPECT_EQ(seen.json("device.id"), device_id("tv"));
  EXPECT_EQ(seen.json("device.model"), "QE55");
  EXPECT_EQ(seen.json("device.os"), "Tizen");

  // The tv asks again: still pending.
  EXPECT_EQ(redeem_as("tv", code).status, 202);
  const HttpResponse approved = decide(phone, code, true);
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(approved.json("status"), "OK");
  const HttpResponse granted = redeem_as("tv", code);
  ASSERT_EQ(granted.status, 201) << granted.body;
  EXPECT_EQ(granted.json("status"), "CREATED");
  EXPECT_EQ(sub_of(granted.json("serviceToken").value_or("")), sub_of(phone.service_token));
  const HttpResponse listed = call("GET", path("list"), token_headers(phone));
  EXPECT_EQ(listed.json("devices." + device_id("tv") + ".type"), "sso");
  EXPECT_EQ(status(phone, code).json("status"), "REDEEMED");
  expect_error(decide(phone, code, true), 400, "link_code_invalid", "get_new_link_code");
}

TEST_F(LinkFlowTest, ADeniedDeviceIsToldSoAndNeverJoins) {
  const SignedIn phone = sign_in("phone", "alice");
  const std::string code = approval_code(phone);
  ASSERT_EQ(redeem_as("tv", code).status, 202);
  ASSERT_EQ(decide(phone, code, false).status, 200);
  expect_error(redeem_as("tv", code), 403, "link_denied", "get_new_link_code");
  EXPECT_EQ(status(phone, code).json("status"), "DENIED");
  EXPECT_EQ(call("GET", path("list"), token_headers(phone)).json_keys("devices").size(), 1u);
}

TEST_F(LinkFlowTest, AHeldRedemptionGetsItsTokenAsSoonAsThePhoneApproves) {
  const SignedIn phone = sign_in("phone", "alice");
  const std::string code = approval_code(phone);
  auto phone_waits = status_later(phone, code, "20");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  auto tv_waits = redeem_later("tv", code, "20");
  // The phone learns of the tv at once (6.1), approves, and the tv's held call answers.
  ASSERT_EQ(phone_waits.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  EXPECT_EQ(phone_waits.get().json("status"), "AWAITING_APPROVAL");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  ASSERT_EQ(tv_waits.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout) << "held until decided";
  const auto approving = Clock::now();
  ASSERT_EQ(decide(phone, code, true).status, 200);
  ASSERT_EQ(tv_waits.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  const HttpResponse granted = tv_waits.get();
  EXPECT_LT(ms_since(approving), 1000);
  ASSERT_EQ(granted.status, 201) << granted.body;
  EXPECT_EQ(sub_of(granted.json("serviceToken").value_or("")), sub_of(phone.service_token));
}

TEST_F(LinkFlowTest, AHeldRedemptionIsDeniedAtOnceToo) {
  const SignedIn phone = sign_in("phone", "alice");
  const std::string code = approval_code(phone);
  ASSERT_EQ(redeem_as("tv", code).status, 202);
  auto tv_waits = redeem_later("tv", code, "20");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ASSERT_EQ(decide(phone, code, false).status, 200);
  ASSERT_EQ(tv_waits.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  expect_error(tv_waits.get(), 403, "link_denied", "get_new_link_code");
}

TEST_F(LinkFlowTest, AHeldRedemptionStillPendingAtItsWaitsEndIsAccepted) {
  const SignedIn phone = sign_in("phone", "alice");
  const std::string code = approval_code(phone);
  const auto started = Clock::now();
  const HttpResponse pending = redeem_as("tv", code, "1");
  EXPECT_GE(ms_since(started), 900);
  EXPECT_EQ(pending.status, 202) << pending.body;
}

TEST_F(LinkFlowTest, OnlyTheCodesMakerDecidesAndOnlyWhileADecisionIsAwaited) {
  const SignedIn phone = sign_in("phone", "alice");
  const SignedIn tablet = sign_in("tablet", "alice");
  const std::string code = approval_code(phone);
  expect_error(decide(phone, code, true), 400, "link_code_invalid", "get_new_link_code");  // nobody took it
  ASSERT_EQ(redeem_as("tv", code).status, 202);
  expect_error(decide(tablet, code, true), 400, "link_code_invalid", "get_new_link_code");
  expect_error(decide(tablet, code, false), 400, "link_code_invalid", "get_new_link_code");
  const std::string plain = create_link_code(phone);
  join("laptop", plain);
  expect_error(decide(phone, plain, true), 400, "link_code_invalid", "get_new_link_code");
}

TEST_F(LinkFlowTest, TheBodyOfPostLinkIsCheckedWhenThereIsOne) {
  const SignedIn phone = sign_in("phone", "alice");
  expect_error(call("POST", path("link"), with_json(token_headers(phone)), R"({"approval":"maybe"})"), 400,
               "request_invalid", "check_request_body");
  expect_error(call("POST", path("link"), with_json(token_headers(phone)), "[1]"), 400, "request_invalid",
               "check_request_body");
  Headers text = token_headers(phone);
  text.emplace_back("Content-Type", "text/plain");
  EXPECT_EQ(call("POST", path("link"), text, R"({"approval":"required"})").status, 415);
  const HttpResponse optional =
      call("POST", path("link"), with_json(token_headers(phone)), R"({"approval":"optional"})");
  EXPECT_EQ(optional.json("approval"), "optional") << optional.body;
}

class RequiredApprovalTest : public LinkFlowTest {
 protected:
  std::vector<std::string> extra_args() const override { return {"--link-approval", "required"}; }
};

TEST_F(RequiredApprovalTest, EveryCodeNeedsApprovalWhateverTheBody) {
  const SignedIn phone = sign_in("phone", "alice");
  const HttpResponse made = call("POST", path("link"), with_json(token_headers(phone)), R"({"approval":"optional"})");
  ASSERT_EQ(made.status, 201) << made.body;
  EXPECT_EQ(made.json("approval"), "required");
  EXPECT_EQ(redeem_as("tv", made.json("code").value_or("")).status, 202);
  EXPECT_EQ(redeem_as("tablet", create_link_code(phone)).status, 202);
}

class PendingCountsTest : public LinkFlowTest {
 protected:
  std::vector<std::string> extra_args() const override { return {"--max-devices", "2"}; }
};

TEST_F(PendingCountsTest, APendingApprovalCountsAsADeviceOfTheProfile) {
  const SignedIn phone = sign_in("phone", "alice");
  const std::string code = approval_code(phone);
  ASSERT_EQ(redeem_as("tv", code).status, 202);
  // Phone + pending tv = 2: no third device, however it comes.
  expect_error(post_sign_in("laptop", "alice"), 403, "device_limit_reached", "unlink_devices");
  expect_error(redeem_as("tablet", create_link_code(phone)), 403, "device_limit_reached", "unlink_devices");
  EXPECT_EQ(post_sign_in("phone", "alice").status, 201) << "a device already in the profile is not a new one";
  ASSERT_EQ(decide(phone, code, true).status, 200);
  EXPECT_EQ(redeem_as("tv", code).status, 201);
}

}  // namespace
}  // namespace ssokit::testing::link_flow
