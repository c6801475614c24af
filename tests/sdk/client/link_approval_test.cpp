// Approval of a link code (SPEC §6.2) on a scripted transport: asking for it, the URI of a
// code, redeeming a code that waits for a decision (the 202 as its own outcome, held requests
// until the deadline), approve and deny, kLinkDenied.
#include <future>

#include "client_fixture.hpp"

namespace ssokit::testing {
namespace {

std::string header_of(const HttpRequest& request, const std::string& name) {
  for (const HttpHeader& header : request.headers) {
    if (header.name == name) return header.value;
  }
  return "";
}

int wait_of(const HttpRequest& request) {
  const auto at = request.url.find("?wait=");
  return at == std::string::npos ? -1 : std::stoi(request.url.substr(at + 6));
}

std::string code_body(const std::string& approval) {
  return R"({"status":"CREATED","code":"366474","notBefore":1795409774216,"notAfter":1795410374216)" +
         (approval.empty() ? std::string() : R"(,"approval":")" + approval + "\"") + "}";
}

constexpr const char* kAwaiting = R"({"status":"AWAITING_APPROVAL","notAfter":1795410374216})";

class LinkApprovalTest : public ClientTest {
 protected:
  std::vector<HttpRequest> requests_to(const std::string& method, const std::string& path) const {
    std::vector<HttpRequest> found;
    for (const HttpRequest& request : transport_->requests()) {
      if (request.method == method && url_path(request.url) == path) found.push_back(request);
    }
    return found;
  }
  // A client whose options set link_uri_template.
  Result<SsoClient> client_with_template(const std::string& uri_template) {
    ClientOptions options;
    options.server = "https://sso.test";
    options.service_provider = "demo";
    options.software_statement = "statement.jwt";
    options.platform = platform_.services();
    options.transport = transport_;
    options.link_uri_template = uri_template;
    return SsoClient::create(std::move(options));
  }
  // The token answer of a joined redemption, valid for an hour.
  std::string token_body() const {
    const auto now = now_ms(*platform_.clock);
    return R"({"status":"CREATED","serviceToken":"tv-token","notBefore":)" + std::to_string(now) + R"(,"notAfter":)" +
           std::to_string(now + 3'600'000) + "}";
  }
};

TEST_F(LinkApprovalTest, ACodeThatNeedsApprovalIsAskedForWithABody) {
  signed_in();
  transport_->respond("POST", "/link", 201, code_body("required"));
  auto code = client().create_link_code(LinkCodeOptions{true});
  ASSERT_TRUE(code.ok()) << code.status().message();
  EXPECT_TRUE(code->approval_required);
  const auto posts = requests_to("POST", "/api/demo/link");
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].body, R"({"approval":"required"})");
  EXPECT_EQ(header_of(posts[0], "Content-Type"), "application/json");
}

TEST_F(LinkApprovalTest, APlainCodeSendsNoBodyAsBefore) {
  signed_in();
  transport_->respond("POST", "/link", 201, code_body(""));
  transport_->respond("POST", "/link", 201, code_body("optional"));
  auto old_call = client().create_link_code();
  auto with_options = client().create_link_code(LinkCodeOptions{}, CallOptions());
  ASSERT_TRUE(old_call.ok() && with_options.ok());
  EXPECT_FALSE(old_call->approval_required);
  EXPECT_FALSE(with_options->approval_required);
  for (const HttpRequest& post : requests_to("POST", "/api/demo/link")) {
    EXPECT_EQ(post.body, "");
    EXPECT_EQ(header_of(post, "Content-Type"), "");
  }
}

TEST_F(LinkApprovalTest, TheUriTemplateMakesTheCodesUri) {
  auto client = client_with_template("myapp://link?code={code}&again={code}");
  ASSERT_TRUE(client.ok()) << client.status().message();
  script_registration();
  script_service_token("POST", "token-1", now_ms(*platform_.clock));
  ASSERT_TRUE(client->sign_in("alice").ok());
  transport_->respond("POST", "/link", 201, code_body(""));
  // A code format with characters a URI cannot carry as they are (a space, a '+', a '&').
  transport_->respond("POST", "/link", 201, R"({"code":"025 6+0&5","notBefore":1,"notAfter":2})");
  auto code = client->create_link_code();
  ASSERT_TRUE(code.ok()) << code.status().message();
  EXPECT_EQ(code->uri, "myapp://link?code=366474&again=366474");
  auto odd = client->create_link_code();
  ASSERT_TRUE(odd.ok()) << odd.status().message();
  EXPECT_EQ(odd->value, "025 6+0&5");
  EXPECT_EQ(odd->uri, "myapp://link?code=025%206%2B0%265&again=025%206%2B0%265");
}

TEST_F(LinkApprovalTest, WithoutATemplateTheUriIsEmpty) {
  signed_in();
  transport_->respond("POST", "/link", 201, code_body(""));
  auto code = client().create_link_code();
  ASSERT_TRUE(code.ok());
  EXPECT_EQ(code->uri, "");
}

TEST_F(LinkApprovalTest, ATemplateWithoutThePlaceholderOrWithSpacesIsRefused) {
  for (const char* bad : {"myapp://link", "myapp://link?code={CODE}", "myapp://link?code={code} ", "my app://{code}",
                          "myapp://link?code={code}\n"}) {
    auto client = client_with_template(bad);
    ASSERT_FALSE(client.ok()) << bad;
    EXPECT_EQ(client.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(client.status().message().find("link_uri_template"), std::string::npos) << client.status().message();
  }
  EXPECT_TRUE(client_with_template("https://example.com/tv/{code}").ok());
}

TEST_F(LinkApprovalTest, ARedemptionAwaitingApprovalIsItsOwnOutcome) {
  script_registration();
  transport_->respond("POST", "/serviceToken", 202, kAwaiting);
  auto redemption = client().redeem_link_code("366474", RedeemOptions());
  ASSERT_TRUE(redemption.ok()) << redemption.status().message();
  EXPECT_EQ(redemption->state, RedemptionState::kAwaitingApproval);
  EXPECT_EQ(redemption->not_after, ServerTime(std::chrono::milliseconds(1795410374216)));
  EXPECT_FALSE(client().signed_in());
  const auto posts = requests_to("POST", "/api/demo/serviceToken");
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(wait_of(posts[0]), -1);  // the first redemption is a SPEC §2 request: no wait
  EXPECT_EQ(header_of(posts[0], "X-SSO-LINK"), "366474");
}

TEST_F(LinkApprovalTest, WaitingForApprovalHoldsRequestsUntilTheToken) {
  script_registration();
  transport_->respond("POST", "/serviceToken", 202, kAwaiting);
  transport_->respond("POST", "/serviceToken", 202, kAwaiting);
  transport_->respond("POST", "/serviceToken", 201, token_body());
  auto redemption =
      client().redeem_link_code("366474", RedeemOptions{true}, CallOptions().timeout(std::chrono::seconds(90)));
  ASSERT_TRUE(redemption.ok()) << redemption.status().message();
  EXPECT_EQ(redemption->state, RedemptionState::kJoined);
  EXPECT_EQ(redemption->token.value, "tv-token");
  EXPECT_TRUE(client().signed_in());
  EXPECT_EQ(client().service_token()->value, "tv-token");  // adopted as any redemption's token

  std::vector<int> waits;
  for (const HttpRequest& post : requests_to("POST", "/api/demo/serviceToken")) {
    waits.push_back(wait_of(post));
    EXPECT_EQ(header_of(post, "X-SSO-LINK"), "366474");  // the same code, from the same device
  }
  // The first at once; the next two held for what the deadline leaves (at most 60 s), one
  // second apart at least.
  ASSERT_EQ(waits.size(), 3u);
  EXPECT_EQ(waits[0], -1);
  EXPECT_EQ(waits[1], 60);
  EXPECT_EQ(waits[2], 60);
}

TEST_F(LinkApprovalTest, AfterThe202ANetworkFailureIsRetriedAsTheCodeIsThisDevices) {
  script_registration();
  transport_->respond("POST", "/serviceToken", 202, kAwaiting);
  transport_->fail("POST", "/serviceToken", Status(ErrorCode::kNetworkError, "reset by peer"));
  transport_->respond("POST", "/serviceToken", 201, token_body());
  auto redemption = client().redeem_link_code("366474", RedeemOptions{true});
  ASSERT_TRUE(redemption.ok()) << redemption.status().message();
  EXPECT_EQ(redemption->state, RedemptionState::kJoined);
  EXPECT_EQ(transport_->count("POST", "/serviceToken"), 3u);
}

TEST_F(LinkApprovalTest, TheFirstRedemptionIsStillNeverRepeatedOnceSent) {
  script_registration();
  transport_->fail("POST", "/serviceToken", Status(ErrorCode::kNetworkError, "reset by peer"));
  auto redemption = client().redeem_link_code("366474", RedeemOptions{true});
  EXPECT_EQ(redemption.status().code(), ErrorCode::kNetworkError);
  EXPECT_EQ(transport_->count("POST", "/serviceToken"), 1u);
}

TEST_F(LinkApprovalTest, NoDecisionByTheDeadlineIsStillAwaiting) {
  script_registration();
  transport_->set_fallback([this](const HttpRequest& request) {
    platform_.clock->advance(std::chrono::seconds(std::max(0, wait_of(request))));
    TransportResult result;
    result.response.status = 202;
    result.response.body = kAwaiting;
    return result;
  });
  auto redemption =
      client().redeem_link_code("366474", RedeemOptions{true}, CallOptions().timeout(std::chrono::seconds(20)));
  ASSERT_TRUE(redemption.ok()) << redemption.status().message();
  EXPECT_EQ(redemption->state, RedemptionState::kAwaitingApproval);
}

TEST_F(LinkApprovalTest, TheTokenFormWaitsAndAnswersTimeoutWithoutADecision) {
  script_registration();
  transport_->set_fallback([this](const HttpRequest& request) {
    platform_.clock->advance(std::chrono::seconds(std::max(0, wait_of(request))));
    TransportResult result;
    result.response.status = 202;
    result.response.body = kAwaiting;
    return result;
  });
  auto token = client().redeem_link_code("366474", CallOptions().timeout(std::chrono::seconds(10)));
  EXPECT_EQ(token.status().code(), ErrorCode::kTimeout);
  EXPECT_NE(token.status().message().find("redeem the same code again"), std::string::npos) << token.status().message();
  EXPECT_GE(transport_->count("POST", "/serviceToken"), 2u);  // it did wait: a held request followed
}

TEST_F(LinkApprovalTest, TheTokenFormGetsTheTokenOnceApproved) {
  script_registration();
  transport_->respond("POST", "/serviceToken", 202, kAwaiting);
  transport_->respond("POST", "/serviceToken", 201, token_body());
  auto token = client().redeem_link_code("366474");
  ASSERT_TRUE(token.ok()) << token.status().message();
  EXPECT_EQ(token->value, "tv-token");
}

TEST_F(LinkApprovalTest, ADenialIsLinkDenied) {
  script_registration();
  transport_->respond("POST", "/serviceToken", 202, kAwaiting);
  transport_->respond("POST", "/serviceToken", 403, error_body(403, "link_denied", "get_new_link_code"));
  auto redemption = client().redeem_link_code("366474", RedeemOptions{true});
  EXPECT_EQ(redemption.status().code(), ErrorCode::kLinkDenied);
  ASSERT_TRUE(redemption.status().server_error());
  EXPECT_EQ(redemption.status().server_error()->action, "get_new_link_code");
  EXPECT_FALSE(client().signed_in());
}

TEST_F(LinkApprovalTest, ApproveAndDenySendTheCodeWithTheServiceToken) {
  signed_in();
  transport_->respond("POST", "/link/approve", 200, R"({"status":"OK"})");
  transport_->respond("POST", "/link/deny", 200, R"({"status":"OK"})");
  EXPECT_TRUE(client().approve_link_code("366474").ok());
  EXPECT_TRUE(client().deny_link_code("123456").ok());
  const auto approved = requests_to("POST", "/api/demo/link/approve");
  const auto denied = requests_to("POST", "/api/demo/link/deny");
  ASSERT_EQ(approved.size(), 1u);
  ASSERT_EQ(denied.size(), 1u);
  EXPECT_EQ(header_of(approved[0], "X-SSO-LINK"), "366474");
  EXPECT_EQ(header_of(denied[0], "X-SSO-LINK"), "123456");
  EXPECT_EQ(header_of(approved[0], "AD-Service-Token"), "token-1");
  EXPECT_EQ(approved[0].body, "");
}

TEST_F(LinkApprovalTest, ADecisionOnACodeNotAwaitingItIsLinkCodeInvalid) {
  signed_in();
  transport_->respond("POST", "/link/approve", 400, error_body(400, "link_code_invalid", "get_new_link_code"));
  transport_->respond("POST", "/link/approve", 403, error_body(403, "device_limit_reached", "unlink_devices"));
  EXPECT_EQ(client().approve_link_code("366474").code(), ErrorCode::kLinkCodeInvalid);
  EXPECT_EQ(client().approve_link_code("366474").code(), ErrorCode::kDeviceLimitReached);
}

TEST_F(LinkApprovalTest, ADecisionThatMayHaveArrivedIsNotRepeated) {
  signed_in();
  transport_->fail("POST", "/link/approve", Status(ErrorCode::kNetworkError, "reset by peer"));
  EXPECT_EQ(client().approve_link_code("366474").code(), ErrorCode::kNetworkError);
  EXPECT_EQ(transport_->count("POST", "/link/approve"), 1u);
}

TEST_F(LinkApprovalTest, APageInsteadOfTheAnswerIsNoDecision) {
  signed_in();
  transport_->respond("POST", "/link/deny", 200, "<html>Welcome</html>");
  EXPECT_EQ(client().deny_link_code("366474").code(), ErrorCode::kBadResponse);
}

TEST_F(LinkApprovalTest, TheAsyncFormsDeliverOnce) {
  signed_in();
  transport_->respond("POST", "/link", 201, code_body("required"));
  transport_->respond("POST", "/link/approve", 200, R"({"status":"OK"})");
  std::promise<Result<LinkCode>> made;
  client().create_link_code_async(LinkCodeOptions{true},
                                  [&](Result<LinkCode> code) { made.set_value(std::move(code)); });
  auto code = made.get_future().get();
  ASSERT_TRUE(code.ok()) << code.status().message();
  EXPECT_TRUE(code->approval_required);

  std::promise<Status> approved;
  client().approve_link_code_async(code->value, [&](Status status) { approved.set_value(std::move(status)); });
  EXPECT_TRUE(approved.get_future().get().ok());

  auto flag = std::make_shared<std::atomic<bool>>(true);
  std::promise<Status> cancelled;
  client().deny_link_code_async(
      code->value, [&](Status status) { cancelled.set_value(std::move(status)); }, CallOptions().cancel_flag(flag));
  EXPECT_EQ(cancelled.get_future().get().code(), ErrorCode::kCancelled);

  transport_->respond("POST", "/serviceToken", 202, kAwaiting);
  std::promise<Result<Redemption>> redeemed;
  client().redeem_link_code_async("366474", RedeemOptions(),
                                  [&](Result<Redemption> result) { redeemed.set_value(std::move(result)); });
  auto redemption = redeemed.get_future().get();
  ASSERT_TRUE(redemption.ok()) << redemption.status().message();
  EXPECT_EQ(redemption->state, RedemptionState::kAwaitingApproval);
}

}  // namespace
}  // namespace ssokit::testing
