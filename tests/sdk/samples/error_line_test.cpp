// The samples' error line: one line, whatever the server sent. The server's code, message
// and trace come from the network; printed raw, a hostile answer could add lines (scripts
// read exactly one) or terminal escape sequences.
#include "error_line.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "wire/wire.hpp"

namespace ssokit::samples {
namespace {

Status from_server(int status, const std::string& body) {
  HttpResponse response;
  response.status = status;
  response.body = body;
  return wire::status_from_response(response);
}

std::string printed(const Status& status) {
  std::ostringstream err;
  print_error(status, err);
  return err.str();
}

bool is_one_plain_line(const std::string& text) {
  if (text.empty() || text.back() != '\n') return false;
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x20 || byte == 0x7f) return false;
  }
  return true;
}

TEST(ErrorLine, TheServersCodeAndMessage) {
  EXPECT_EQ(printed(from_server(400, R"({"error":{"code":"link_code_invalid","message":"The link code is unknown"}})")),
            "error: link_code_invalid: The link code is unknown\n");
  EXPECT_EQ(printed(from_server(403, R"({"error":{"code":"device_limit_reached","message":"Unlink one first"}})")),
            "error: device_limit_reached: Unlink one first\n");
  EXPECT_EQ(printed(from_server(429, R"({"error":"too_many_requests","error_description":"retry later"})")),
            "error: too_many_requests: retry later\n");
  EXPECT_EQ(printed(from_server(403, R"({"error":{"code":"device_limit_reached"}})")),
            "error: device_limit_reached: device_limit_reached (HTTP 403)\n");
}

TEST(ErrorLine, TheSdksCodeWithoutAServerError) {
  EXPECT_EQ(printed(Status(ErrorCode::kNotSignedIn, "no service token")), "error: not_signed_in: no service token\n");
}

TEST(ErrorLine, AHostileServerCannotAddLinesOrTerminalEscapes) {
  const Status message =
      from_server(400, R"({"error":{"code":"request_invalid","message":"bad\nerror: ok: forged line\u001b[2J\r"}})");
  EXPECT_TRUE(is_one_plain_line(printed(message))) << printed(message);
  EXPECT_EQ(printed(message).rfind("error: request_invalid: bad", 0), 0u) << printed(message);

  const Status code = from_server(400, R"({"error":{"code":"x\n\u001b]0;owned\u0007","message":"m"}})");
  EXPECT_TRUE(is_one_plain_line(printed(code))) << printed(code);
  EXPECT_EQ(printed(code).rfind("error: bad_request: ", 0), 0u) << printed(code);
}

TEST(ErrorLine, ATraceIsShownOnlyWhenItLooksLikeOne) {
  EXPECT_EQ(trace_of(from_server(500, R"({"error":{"code":"c","trace":"dd9975f8-886d-4964-9a10-89c5319603cd"}})")),
            "dd9975f8-886d-4964-9a10-89c5319603cd");
  EXPECT_EQ(trace_of(from_server(500, R"({"error":{"code":"c","trace":"t\n\u001b[2J"}})")), "");
  EXPECT_EQ(trace_of(from_server(500, R"({"error":{"code":"c"}})")), "");
  EXPECT_EQ(trace_of(Status(ErrorCode::kTimeout, "late")), "");
}

}  // namespace
}  // namespace ssokit::samples
