// The internal JSON layer the parsers stand on.
#include "wire/json.hpp"

#include <gtest/gtest.h>

namespace ssokit::wire::json {
namespace {

TEST(JsonParse, AcceptsExactlyOneValueWithWhitespaceAround) {
  EXPECT_TRUE(parse("{}"));
  EXPECT_TRUE(parse(" \t\r\n{\"a\":[1,\"x\"]}\n"));
  EXPECT_TRUE(parse("null"));  // a value; the parsers then ask for an object
  EXPECT_FALSE(parse(""));
  EXPECT_FALSE(parse("{}{}"));
  EXPECT_FALSE(parse("{} x"));
  EXPECT_FALSE(parse("{\"a\":"));
}

TEST(JsonParse, RefusesANulThatWouldCutAString) {
  EXPECT_FALSE(parse(R"({"a":"x\u0000y"})"));
  EXPECT_FALSE(parse(R"({"unknown":"\u0000"})"));
  EXPECT_FALSE(parse(std::string("{\"a\":\"x\0y\"}", 11)));
  // An escaped backslash followed by "u0000" is plain text.
  const Json text = parse(R"({"a":"\\u0000"})");
  ASSERT_TRUE(text);
  EXPECT_STREQ(cJSON_GetObjectItemCaseSensitive(text.get(), "a")->valuestring, "\\u0000");
  EXPECT_TRUE(parse(R"({"a":"\"u0000"})"));
}

TEST(JsonParse, SurvivesDeepNesting) {
  const std::string deep = std::string(50000, '[') + std::string(50000, ']');
  EXPECT_FALSE(parse(deep));  // over cJSON's nesting limit: refused, no stack overflow
  const std::string shallow = std::string(100, '[') + std::string(100, ']');
  EXPECT_TRUE(parse(shallow));
}

TEST(JsonParseObject, NamesWhatIsWrongWithTheBody) {
  EXPECT_EQ(parse_object("", "x answer").status().message(), "bad x answer: body is empty");
  EXPECT_EQ(parse_object(" \n", "x answer").status().message(), "bad x answer: body is empty");
  EXPECT_EQ(parse_object("<html>", "x answer").status().message(), "bad x answer: body is not JSON");
  EXPECT_EQ(parse_object("[]", "x answer").status().message(), "bad x answer: body is not a JSON object");
  EXPECT_EQ(parse_object("[]", "x answer").status().code(), ErrorCode::kBadResponse);
  EXPECT_TRUE(parse_object("{}", "x answer").ok());
}

TEST(JsonMember, NullCountsAsAbsentAndNamesAreCaseSensitive) {
  const Json object = parse(R"({"a":null,"B":1})");
  EXPECT_EQ(member(object.get(), "a"), nullptr);
  EXPECT_EQ(member(object.get(), "b"), nullptr);
  EXPECT_NE(member(object.get(), "B"), nullptr);
  EXPECT_EQ(member(nullptr, "B"), nullptr);
}

TEST(JsonWholeNumber, TakesWholeNumbersFromZeroTo2To53) {
  const auto read = [](const char* text) {
    const Json value = parse(text);
    std::int64_t out = -1;
    return whole_number(value.get(), out) ? out : -1;
  };
  EXPECT_EQ(read("0"), 0);
  EXPECT_EQ(read("1795409759000"), 1795409759000);
  EXPECT_EQ(read("9007199254740992"), kMaxExactInteger);
  EXPECT_EQ(read("2e3"), 2000);
  EXPECT_EQ(read("9007199254740994"), -1);
  EXPECT_EQ(read("-1"), -1);
  EXPECT_EQ(read("0.5"), -1);
  EXPECT_EQ(read("1e999"), -1);
  EXPECT_EQ(read("\"5\""), -1);
  EXPECT_EQ(read("true"), -1);
}

TEST(JsonFields, ReadsTheFirstPresentOfAlternativeNames) {
  const Json object = parse(R"({"jws":"b","other":null})");
  const Fields fields(object.get(), "test answer");
  EXPECT_EQ(*fields.text({"serviceToken", "jws"}), "b");
  EXPECT_EQ(fields.text({"other", "missing"}).status().message(), "bad test answer: other (or missing) is missing");
}

TEST(JsonPrint, IsUnformatted) {
  const Json object = parse(R"({ "a" : [ 1 , "x" ] })");
  EXPECT_EQ(print(object.get()), R"({"a":[1,"x"]})");
}

}  // namespace
}  // namespace ssokit::wire::json
