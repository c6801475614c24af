#include "http/message.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace ssokit::http {
namespace {

TEST(HttpMessage, HeaderLookupIsCaseInsensitiveAndReturnsTheFirst) {
  Request request;
  request.headers = {{"Content-Type", "application/json"}, {"X-Thing", "one"}, {"x-thing", "two"}};
  ASSERT_NE(request.header("content-type"), nullptr);
  EXPECT_EQ(*request.header("content-type"), "application/json");
  EXPECT_EQ(*request.header("CONTENT-TYPE"), "application/json");
  EXPECT_EQ(*request.header("X-THING"), "one");
  EXPECT_EQ(request.header("Content-Length"), nullptr);
  EXPECT_EQ(request.header(""), nullptr);
}

TEST(HttpMessage, SetHeaderAddsWhenAbsent) {
  Response response;
  response.set_header("Cache-Control", "no-store");
  ASSERT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.headers[0].name, "Cache-Control");
  EXPECT_EQ(response.headers[0].value, "no-store");
}

TEST(HttpMessage, SetHeaderReplacesCaseInsensitivelyAndDropsDuplicates) {
  Response response;
  response.headers = {{"content-type", "text/plain"}, {"X-A", "1"}, {"CONTENT-TYPE", "text/html"}};
  response.set_header("Content-Type", "application/json");
  ASSERT_EQ(response.headers.size(), 2u);
  EXPECT_EQ(response.headers[0].name, "Content-Type");
  EXPECT_EQ(response.headers[0].value, "application/json");
  EXPECT_EQ(response.headers[1].name, "X-A");
}

TEST(HttpMessage, HttpDateIsImfFixdate) {
  // RFC 7231's own example.
  const auto when = std::chrono::system_clock::from_time_t(784111777);
  EXPECT_EQ(http_date(when), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(http_date(std::chrono::system_clock::from_time_t(0)), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(http_date(std::chrono::system_clock::from_time_t(951782400)),  // leap day
            "Tue, 29 Feb 2000 00:00:00 GMT");
}

}  // namespace
}  // namespace ssokit::http
