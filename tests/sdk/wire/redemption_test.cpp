// POST serviceToken with X-SSO-LINK (SPEC §6.2): 202 says "awaiting approval", a token answer
// says "joined"; and the answer of approve and deny.
#include <gtest/gtest.h>

#include "wire_test_support.hpp"

namespace ssokit::wire {
namespace {

using testing::ms;

TEST(ParseRedemption, A202IsAwaitingApprovalUntilTheCodesEnd) {
  const auto redemption = parse_redemption(202, R"({"status":"AWAITING_APPROVAL","notAfter":1795410374216})");
  ASSERT_TRUE(redemption.ok()) << redemption.status().message();
  EXPECT_EQ(redemption->state, RedemptionState::kAwaitingApproval);
  EXPECT_EQ(redemption->not_after, ms(1795410374216));
  EXPECT_EQ(redemption->token.value, "");
}

TEST(ParseRedemption, ATokenAnswerIsJoined) {
  for (const int status : {200, 201}) {
    const auto redemption =
        parse_redemption(status, R"({"status":"CREATED","serviceToken":"a.b.c","notBefore":1,"notAfter":2})");
    ASSERT_TRUE(redemption.ok()) << redemption.status().message();
    EXPECT_EQ(redemption->state, RedemptionState::kJoined);
    EXPECT_EQ(redemption->token.value, "a.b.c");
    EXPECT_EQ(redemption->token.not_after, ms(2));
  }
}

TEST(ParseRedemption, TheHttpStatusDecidesNotTheBodysStatus) {
  // A 202 needs only its notAfter; a 201 must carry a token whatever its `status` says.
  EXPECT_TRUE(parse_redemption(202, R"({"notAfter":5})").ok());
  const auto no_token = parse_redemption(201, R"({"status":"AWAITING_APPROVAL","notAfter":5})");
  ASSERT_FALSE(no_token.ok());
  EXPECT_EQ(no_token.status().message(), "bad service token answer: serviceToken (or jws) is missing");
}

TEST(ParseRedemption, RefusesA202ItCannotRead) {
  struct Case {
    const char* body;
    const char* message;
  };
  const Case cases[] = {
      {"", "bad awaiting approval answer: body is empty"},
      {"<html>Accepted</html>", "bad awaiting approval answer: body is not JSON"},
      {R"({"status":"AWAITING_APPROVAL"})", "bad awaiting approval answer: notAfter is missing"},
      {R"({"status":"AWAITING_APPROVAL","notAfter":"soon"})",
       "bad awaiting approval answer: notAfter is not a time (whole ms since the epoch, 0..2^53)"},
  };
  for (const Case& c : cases) {
    const auto redemption = parse_redemption(202, c.body);
    ASSERT_FALSE(redemption.ok()) << c.body;
    EXPECT_EQ(redemption.status().code(), ErrorCode::kBadResponse);
    EXPECT_EQ(redemption.status().message(), c.message);
  }
}

TEST(ParseLinkDecision, AnyJsonObjectIsTheDecisionMade) {
  EXPECT_TRUE(parse_link_decision(R"({"status":"OK"})").ok());
  EXPECT_TRUE(parse_link_decision("{}").ok());
  for (const char* body : {"", "OK", "<html>Welcome to the hotel network</html>", "[]"}) {
    const Status status = parse_link_decision(body);
    EXPECT_EQ(status.code(), ErrorCode::kBadResponse) << body;
    EXPECT_EQ(status.message().rfind("bad approve or deny answer: body ", 0), 0u) << status.message();
  }
}

}  // namespace
}  // namespace ssokit::wire
