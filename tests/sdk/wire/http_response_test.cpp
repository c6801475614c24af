#include <gtest/gtest.h>

#include "ssokit/transport.hpp"

namespace ssokit {
namespace {

TEST(HttpResponseHeader, MatchesNamesCaseInsensitively) {
  HttpResponse response;
  response.headers = {
      {"Content-Type", "application/json"}, {"retry-after", "5"}, {"DATE", "Mon, 23 Nov 2026 04:55:20 GMT"}};
  EXPECT_EQ(response.header("content-type"), "application/json");
  EXPECT_EQ(response.header("CONTENT-TYPE"), "application/json");
  EXPECT_EQ(response.header("Retry-After"), "5");
  EXPECT_EQ(response.header("Date"), "Mon, 23 Nov 2026 04:55:20 GMT");
}

TEST(HttpResponseHeader, TheFirstMatchWins) {
  HttpResponse response;
  response.headers = {{"Set-Cookie", "a=1"}, {"X-Other", "x"}, {"set-cookie", "b=2"}};
  EXPECT_EQ(response.header("set-cookie"), "a=1");
}

TEST(HttpResponseHeader, AbsentIsEmpty) {
  HttpResponse response;
  EXPECT_EQ(response.header("Date"), "");
  response.headers = {{"Date-Extra", "x"}, {"Dat", "y"}, {"", "z"}};
  EXPECT_EQ(response.header("Date"), "");
  EXPECT_EQ(response.header(""), "z");
}

TEST(HttpResponseHeader, FoldsOnlyAsciiLetters) {
  HttpResponse response;
  response.headers = {{"X_A", "underscore"}, {"X-\xc3\x89", "e-acute"}};
  EXPECT_EQ(response.header("x-a"), "");
  EXPECT_EQ(response.header("x_a"), "underscore");
  EXPECT_EQ(response.header("x-\xc3\xa9"), "");  // no Unicode case folding
  EXPECT_EQ(response.header("x-\xc3\x89"), "e-acute");
}

}  // namespace
}  // namespace ssokit
