#include "api/form.hpp"

#include <gtest/gtest.h>

namespace ssokit::api {
namespace {

TEST(FormTest, DecodesFieldsAndEscapes) {
  const auto form = parse_form("grant_type=client_credentials&client_id=a%2Bb&client_secret=x+y&empty=&flag");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->at("grant_type"), "client_credentials");
  EXPECT_EQ(form->at("client_id"), "a+b");
  EXPECT_EQ(form->at("client_secret"), "x y");
  EXPECT_EQ(form->at("empty"), "");
  EXPECT_EQ(form->at("flag"), "");
  EXPECT_EQ(form_value(*form, "missing"), "");
}

TEST(FormTest, FirstDuplicateWinsAndBadEscapesFail) {
  EXPECT_EQ(parse_form("a=1&a=2")->at("a"), "1");
  EXPECT_FALSE(parse_form("a=%zz"));
  EXPECT_FALSE(parse_form("a=%4"));
  EXPECT_FALSE(parse_form("a=%"));
  EXPECT_EQ(percent_decode("%41%42", false), "AB");
  EXPECT_EQ(percent_decode("a+b", false), "a+b");
}

TEST(MediaTypeTest, IgnoresParametersAndCase) {
  EXPECT_EQ(media_type("Application/JSON; charset=utf-8"), "application/json");
  EXPECT_EQ(media_type(" text/plain "), "text/plain");
}

TEST(AcceptTest, JsonIsAcceptableUnlessExcluded) {
  EXPECT_TRUE(accepts_json(""));
  EXPECT_TRUE(accepts_json("application/json"));
  EXPECT_TRUE(accepts_json("*/*"));
  EXPECT_TRUE(accepts_json("application/*"));
  EXPECT_TRUE(accepts_json("text/html, application/json;q=0.9"));
  EXPECT_FALSE(accepts_json("text/html"));
  EXPECT_FALSE(accepts_json("text/html, application/xml"));
  EXPECT_FALSE(accepts_json("application/json;q=0"));
}

}  // namespace
}  // namespace ssokit::api
