// The faults of test control (SPEC §6.4): what a POST /test/faults body may say, and how the
// next calls of a route take them.
#include "api/fault_table.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ssokit::api {
namespace {

bool known_route(const std::string& method, const std::string& pattern) {
  return (method == "POST" && pattern == "/api/{sp}/link") || (method == "GET" && pattern == "/api/{sp}/list") ||
         (method == "POST" && pattern == "/test/reset");
}

Fault parsed(const std::string& body) {
  auto fault = parse_fault(body, known_route);
  EXPECT_TRUE(fault.ok()) << body << ": " << (fault.ok() ? "" : fault.error().message);
  return fault.ok() ? *fault : Fault{};
}

// The 400 request_invalid message for `body`, "" when it parsed.
std::string refusal(const std::string& body) {
  auto fault = parse_fault(body, known_route);
  if (fault.ok()) return "";
  EXPECT_EQ(fault.error().id, server::ErrorId::kRequestInvalid);
  return fault.error().message;
}

TEST(ParseFault, AStatusFaultTakesTheCatalogRowOfItsCodeAndItsOwnStatus) {
  const Fault fault = parsed(R"({"route":"POST /api/{sp}/link","status":503,"code":"internal_error","count":2})");
  EXPECT_EQ(fault.route, "POST /api/{sp}/link");
  EXPECT_EQ(fault.kind, Fault::Kind::kStatus);
  EXPECT_EQ(fault.status, 503);
  EXPECT_EQ(fault.error, server::ErrorId::kInternalError);
  EXPECT_EQ(fault.count, 2);
}

TEST(ParseFault, ACodeSentWithSeveralStatusesTakesTheRowOfTheStatusAsked) {
  EXPECT_EQ(parsed(R"({"route":"GET /api/{sp}/list","status":401,"code":"header_missing"})").error,
            server::ErrorId::kHeaderMissingServiceToken);
  EXPECT_EQ(parsed(R"({"route":"GET /api/{sp}/list","status":400,"code":"header_missing"})").error,
            server::ErrorId::kHeaderMissing);
  // Another status than any of its rows: the first row's action, the status asked.
  const Fault other = parsed(R"({"route":"GET /api/{sp}/list","status":503,"code":"header_missing"})");
  EXPECT_EQ(other.error, server::ErrorId::kHeaderMissing);
  EXPECT_EQ(other.status, 503);
}

TEST(ParseFault, DelayAndDropFaultsCountOneCallByDefault) {
  const Fault delay = parsed(R"({"route":"POST /api/{sp}/link","delayMs":250})");
  EXPECT_EQ(delay.kind, Fault::Kind::kDelay);
  EXPECT_EQ(delay.delay, std::chrono::milliseconds(250));
  EXPECT_EQ(delay.count, 1);
  const Fault drop = parsed(R"({"route":"GET /api/{sp}/list","drop":true})");
  EXPECT_EQ(drop.kind, Fault::Kind::kDrop);
  EXPECT_EQ(drop.count, 1);
}

TEST(ParseFault, RefusesWhatIsNotExactlyOneFault) {
  EXPECT_NE(refusal("not json"), "");
  EXPECT_NE(refusal("[]"), "");
  EXPECT_NE(refusal(R"({"route":"POST /api/{sp}/link"})"), "");
  EXPECT_NE(refusal(R"({"route":"POST /api/{sp}/link","drop":false})"), "");
  EXPECT_NE(refusal(R"({"route":"POST /api/{sp}/link","delayMs":5,"drop":true})"), "");
  EXPECT_NE(refusal(R"({"route":"POST /api/{sp}/link","status":503,"code":"internal_error","delayMs":5})"), "");
  EXPECT_NE(refusal(R"({"route":"POST /api/{sp}/link","drop":"yes"})"), "");
  EXPECT_NE(refusal(R"({"route":"POST /api/{sp}/link","drop":true,"code":"internal_error"})"), "");
}

TEST(ParseFault, RefusesUnknownMembersByName) {
  EXPECT_NE(refusal(R"({"route":"POST /api/{sp}/link","delay":5})").find("\"delay\""), std::string::npos);
}

TEST(ParseFault, RefusesRoutesTheServerDoesNotHave) {
  EXPECT_NE(refusal(R"({"drop":true})").find("route is required"), std::string::npos);
  EXPECT_NE(refusal(R"({"route":"/api/{sp}/link","drop":true})"), "");
  EXPECT_NE(refusal(R"({"route":"POST /api/demo/link","drop":true})").find("{sp} literally"), std::string::npos);
  EXPECT_NE(refusal(R"({"route":"GET /api/{sp}/link","drop":true})"), "");
  EXPECT_NE(refusal(R"({"route":"post /api/{sp}/link","drop":true})"), "");
  EXPECT_NE(refusal(R"({"route":"POST /test/reset","drop":true})").find("own routes"), std::string::npos);
}

TEST(ParseFault, RefusesStatusesAndCodesOutsideTheEnvelope) {
  EXPECT_NE(refusal(R"({"route":"POST /api/{sp}/link","status":200,"code":"internal_error"})"), "");
  EXPECT_NE(refusal(R"({"route":"POST /api/{sp}/link","status":418,"code":"internal_error"})"), "");
  EXPECT_NE(refusal(R"({"route":"POST /api/{sp}/link","status":503.5,"code":"internal_error"})"), "");
  EXPECT_NE(refusal(R"({"route":"POST /api/{sp}/link","status":"503","code":"internal_error"})"), "");
  EXPECT_NE(refusal(R"({"route":"POST /api/{sp}/link","status":503})").find("code is required"), std::string::npos);
  EXPECT_NE(refusal(R"({"route":"POST /api/{sp}/link","status":503,"code":"no_such_code"})").find("no_such_code"),
            std::string::npos);
  for (int status : {400, 401, 403, 404, 405, 406, 413, 415, 429, 431, 500, 502, 503, 504}) {
    EXPECT_EQ(refusal(R"({"route":"POST /api/{sp}/link","code":"internal_error","status":)" + std::to_string(status) +
                      "}"),
              "")
        << status;
  }
}

TEST(ParseFault, BoundsDelayAndCount) {
  EXPECT_NE(refusal(R"({"route":"POST /api/{sp}/link","delayMs":0})"), "");
  EXPECT_NE(refusal(R"({"route":"POST /api/{sp}/link","delayMs":60001})"), "");
  EXPECT_EQ(parsed(R"({"route":"POST /api/{sp}/link","delayMs":60000})").delay, std::chrono::milliseconds(60000));
  EXPECT_NE(refusal(R"({"route":"POST /api/{sp}/link","drop":true,"count":0})"), "");
  EXPECT_NE(refusal(R"({"route":"POST /api/{sp}/link","drop":true,"count":-1})"), "");
  EXPECT_NE(refusal(R"({"route":"POST /api/{sp}/link","drop":true,"count":1.5})"), "");
  EXPECT_NE(refusal(R"({"route":"POST /api/{sp}/link","drop":true,"count":1000001})"), "");
}

Fault drop_fault(const std::string& route, std::int64_t count) {
  Fault fault;
  fault.route = route;
  fault.kind = Fault::Kind::kDrop;
  fault.count = count;
  return fault;
}

TEST(FaultTable, TheNextCallsOfTheRouteTakeTheFaultThenRunAsUsual) {
  FaultTable table;
  ASSERT_TRUE(table.add(drop_fault("POST /api/{sp}/link", 2)));
  EXPECT_FALSE(table.take("GET /api/{sp}/list")) << "another route is untouched";
  EXPECT_TRUE(table.take("POST /api/{sp}/link"));
  EXPECT_TRUE(table.take("POST /api/{sp}/link"));
  EXPECT_FALSE(table.take("POST /api/{sp}/link"));
}

TEST(FaultTable, FaultsOfOneRouteApplyInTheOrderAdded) {
  FaultTable table;
  Fault status = drop_fault("POST /api/{sp}/link", 1);
  status.kind = Fault::Kind::kStatus;
  status.status = 503;
  table.add(status);
  table.add(drop_fault("POST /api/{sp}/link", 1));
  const auto first = table.take("POST /api/{sp}/link");
  const auto second = table.take("POST /api/{sp}/link");
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->kind, Fault::Kind::kStatus);
  EXPECT_EQ(second->kind, Fault::Kind::kDrop);
  EXPECT_FALSE(table.take("POST /api/{sp}/link"));
}

TEST(FaultTable, ClearRemovesEveryFault) {
  FaultTable table;
  table.add(drop_fault("POST /api/{sp}/link", 5));
  table.add(drop_fault("GET /api/{sp}/list", 5));
  table.clear();
  EXPECT_FALSE(table.take("POST /api/{sp}/link"));
  EXPECT_FALSE(table.take("GET /api/{sp}/list"));
}

TEST(FaultTable, HoldsABoundedNumberOfFaults) {
  FaultTable table;
  for (std::size_t i = 0; i < kMaxQueuedFaults; ++i) ASSERT_TRUE(table.add(drop_fault("GET /api/{sp}/list", 1)));
  EXPECT_FALSE(table.add(drop_fault("GET /api/{sp}/list", 1)));
  EXPECT_TRUE(table.take("GET /api/{sp}/list"));
  EXPECT_TRUE(table.add(drop_fault("GET /api/{sp}/list", 1))) << "a spent fault makes room";
}

}  // namespace
}  // namespace ssokit::api
