// Every parser against bodies that are not answers: empty, HTML, truncated, wrong JSON
// types, deep nesting, trailing garbage. All must give kBadResponse (never crash), and every
// valid body must survive unknown extra members.
#include <gtest/gtest.h>

#include "wire_test_support.hpp"

namespace ssokit::wire {
namespace {

using testing::all_parsers;
using testing::NamedParser;

const std::vector<std::string>& not_answers() {
  static const std::vector<std::string> bodies = {
      "",
      "   \r\n\t",
      "{",
      "}",
      "{\"status\":",
      "<!doctype html><html><body><h1>502 Bad Gateway</h1></body></html>",
      "Service Unavailable",
      "null",
      "true",
      "42",
      "\"text\"",
      "[]",
      "[{}]",
      "{} {}",
      "{}garbage",
      "{}\n\x01",
      std::string("{\0}", 3),
      "{'single':'quotes'}",
      "{\"a\":1,}",
      "\xef\xbb\xbf{}",  // a byte-order mark is not JSON whitespace
      std::string(100000, '[') + std::string(100000, ']'),
  };
  return bodies;
}

class EveryParser : public ::testing::TestWithParam<NamedParser> {};

TEST_P(EveryParser, AcceptsItsValidBody) {
  const Status status = GetParam().parse(GetParam().valid_body);
  EXPECT_TRUE(status.ok()) << status.message();
}

TEST_P(EveryParser, RefusesBodiesThatAreNotAnswers) {
  for (const std::string& body : not_answers()) {
    const Status status = GetParam().parse(body);
    EXPECT_EQ(status.code(), ErrorCode::kBadResponse) << "body: " << body.substr(0, 60);
    EXPECT_EQ(status.message().rfind("bad ", 0), 0u) << status.message();
  }
}

TEST_P(EveryParser, RefusesAnEmptyObject) {
  const Status status = GetParam().parse("{}");
  EXPECT_EQ(status.code(), ErrorCode::kBadResponse);
  EXPECT_NE(status.message().find("is missing"), std::string::npos) << status.message();
}

TEST_P(EveryParser, RefusesEveryTruncationOfItsValidBody) {
  const std::string& body = GetParam().valid_body;
  for (std::size_t length = 0; length < body.size(); ++length) {
    const Status status = GetParam().parse(body.substr(0, length));
    EXPECT_EQ(status.code(), ErrorCode::kBadResponse) << "prefix of " << length << " bytes";
  }
}

TEST_P(EveryParser, IgnoresUnknownMembersAndSurroundingWhitespace) {
  std::string body = GetParam().valid_body;
  body.insert(1, R"("future":{"nested":[1,2,{"x":null}]},"error":null,"another":"x",)");
  const Status status = GetParam().parse(" \n" + body + "\r\n ");
  EXPECT_TRUE(status.ok()) << status.message();
}

TEST_P(EveryParser, ErrorMessagesNeverQuoteTheBody) {
  // A body whose every string is a secret-looking value: no message may repeat it.
  const std::string secret = "SECRETabc123";
  for (const std::string& body :
       std::vector<std::string>{R"({"serviceToken":1,"code":1,"devices":1,"unlinkedDevices":1,"actionName":1,)"
                                R"("profiles":1,"logouts":1,"client_id":1,"access_token":1,"x":"SECRETabc123"})",
                                std::string("{\"SECRETabc123\":")}) {
    const Status status = GetParam().parse(body);
    EXPECT_FALSE(status.ok());
    EXPECT_EQ(status.message().find(secret), std::string::npos) << status.message();
  }
}

INSTANTIATE_TEST_SUITE_P(Wire, EveryParser, ::testing::ValuesIn(all_parsers()),
                         [](const ::testing::TestParamInfo<NamedParser>& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace ssokit::wire
