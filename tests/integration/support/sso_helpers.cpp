#include "sso_helpers.hpp"

#include "json_text.hpp"
#include "jwt.hpp"
#include "text.hpp"

namespace ssokit::testing::sso {

std::string sub_of(const std::string& service_token) {
  return as_json(jwt_payload_json(service_token)).json("sub").value_or("");
}

std::string reason_constant(long status) {
  switch (status) {
    case 400: return "BAD_REQUEST";
    case 401: return "UNAUTHORIZED";
    case 403: return "FORBIDDEN";
    case 404: return "NOT_FOUND";
    case 405: return "METHOD_NOT_ALLOWED";
    case 406: return "NOT_ACCEPTABLE";
    case 413: return "PAYLOAD_TOO_LARGE";
    case 415: return "UNSUPPORTED_MEDIA_TYPE";
    case 429: return "TOO_MANY_REQUESTS";
    case 500: return "INTERNAL_SERVER_ERROR";
    case 503: return "SERVICE_UNAVAILABLE";
    default: return "?";
  }
}

void expect_error(const HttpResponse& response, long status, const std::string& code, const std::string& action) {
  SCOPED_TRACE("error answer: " + std::to_string(response.status) + " " + response.body);
  EXPECT_EQ(response.status, status);
  EXPECT_EQ(response.json("error.code"), code);
  EXPECT_EQ(response.json("error.action"), action);
  // The envelope.
  EXPECT_EQ(response.json("status"), reason_constant(status));
  EXPECT_EQ(json_type(response.body, "error.status"), "integer");
  EXPECT_EQ(response.json("error.status"), std::to_string(status));
  EXPECT_EQ(json_type(response.body, "error.message"), "string");
  EXPECT_FALSE(response.json("error.message").value_or("").empty());
  EXPECT_EQ(json_type(response.body, "error.helpUrl"), "string");
  EXPECT_FALSE(response.json("error.helpUrl").value_or("").empty());
  const std::string trace = response.json("error.trace").value_or("");
  EXPECT_TRUE(is_uuid(trace)) << "trace '" << trace << "'";
  EXPECT_EQ(response.header("x-trace-id"), trace);
  EXPECT_EQ(response.header("content-type").rfind("application/json", 0), 0u) << response.header("content-type");
  EXPECT_FALSE(response.header("date").empty());
  // Error answers carry no success fields.
  for (const char* field : {"serviceToken", "jws", "code", "link", "notBefore", "notAfter", "unlinkedDevices",
                            "devices"}) {
    EXPECT_FALSE(response.has_json(field)) << "success field '" << field << "' in an error answer";
  }
}

}  // namespace ssokit::testing::sso
