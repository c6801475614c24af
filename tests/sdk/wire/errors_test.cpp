// status_from_response: one test per row of the mapping table at the top of errors.cpp.
#include <gtest/gtest.h>

#include "wire_test_support.hpp"

namespace ssokit::wire {
namespace {

std::string envelope(int status, const std::string& code, const std::string& message, const std::string& action) {
  return R"({"status":"X","error":{"status":)" + std::to_string(status) + R"(,"code":")" + code + R"(","message":")" +
         message + R"(","action":")" + action + R"(","helpUrl":"http://127.0.0.1:8080/docs/errors#)" + code +
         R"(","trace":"dd9975f8-886d-4964-9a10-89c5319603cd"}})";
}

HttpResponse answer(int status, std::string body, std::vector<HttpHeader> headers = {}) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  response.headers = std::move(headers);
  response.headers.push_back({"Content-Type", "application/json; charset=utf-8"});
  return response;
}

Status from_envelope(int status, const std::string& code, std::vector<HttpHeader> headers = {}) {
  return status_from_response(answer(status, envelope(status, code, "A message", "none"), std::move(headers)));
}

TEST(StatusFromResponse, LinkCodeInvalid) {
  const Status status = status_from_response(answer(
      400, envelope(400, "link_code_invalid", "The link code is unknown, used or expired", "get_new_link_code")));
  EXPECT_EQ(status.code(), ErrorCode::kLinkCodeInvalid);
  EXPECT_EQ(status.message(), "link_code_invalid: The link code is unknown, used or expired");
  EXPECT_EQ(status.http_status(), 400);
  ASSERT_TRUE(status.server_error());
  EXPECT_EQ(status.server_error()->code, "link_code_invalid");
  EXPECT_EQ(status.server_error()->message, "The link code is unknown, used or expired");
  EXPECT_EQ(status.server_error()->action, "get_new_link_code");
  EXPECT_EQ(status.server_error()->help_url, "http://127.0.0.1:8080/docs/errors#link_code_invalid");
  EXPECT_EQ(status.server_error()->trace, "dd9975f8-886d-4964-9a10-89c5319603cd");
  EXPECT_EQ(status.retry_after().count(), 0);
}

TEST(StatusFromResponse, TooManyRequestsIsRateLimitedWithRetryAfter) {
  const Status status = from_envelope(429, "too_many_requests", {{"Retry-After", "3"}});
  EXPECT_EQ(status.code(), ErrorCode::kRateLimited);
  EXPECT_EQ(status.retry_after(), std::chrono::seconds(3));
  EXPECT_EQ(status.server_error()->code, "too_many_requests");
}

TEST(StatusFromResponse, TooManyAttemptsIsRateLimitedWithRetryAfterAsADate) {
  const Status status =
      from_envelope(429, "too_many_attempts",
                    {{"date", "Mon, 23 Nov 2026 10:00:00 GMT"}, {"retry-after", "Mon, 23 Nov 2026 10:09:59 GMT"}});
  EXPECT_EQ(status.code(), ErrorCode::kRateLimited);
  EXPECT_EQ(status.retry_after(), std::chrono::seconds(599));
}

TEST(StatusFromResponse, RateLimitedWithoutAReadableRetryAfterWaitsZero) {
  EXPECT_EQ(from_envelope(429, "too_many_requests").retry_after().count(), 0);
  EXPECT_EQ(from_envelope(429, "too_many_requests", {{"Retry-After", "soon"}}).retry_after().count(), 0);
}

TEST(StatusFromResponse, DeviceUnlinked) {
  const Status status = status_from_response(
      answer(401, envelope(401, "device_unlinked", "This device is not linked to the SSO profile", "sign_in")));
  EXPECT_EQ(status.code(), ErrorCode::kDeviceUnlinked);
  EXPECT_EQ(status.message(), "device_unlinked: This device is not linked to the SSO profile");
  EXPECT_EQ(status.server_error()->action, "sign_in");
}

TEST(StatusFromResponse, TokenExpired) {
  EXPECT_EQ(from_envelope(401, "token_expired").code(), ErrorCode::kTokenExpired);
}

TEST(StatusFromResponse, HeaderInvalidWith401IsTheServiceToken) {
  const Status status = status_from_response(
      answer(401, envelope(401, "header_invalid", "AD-Service-Token was issued to another device", "get_new_token")));
  EXPECT_EQ(status.code(), ErrorCode::kTokenInvalid);
  EXPECT_EQ(status.http_status(), 401);
}

TEST(StatusFromResponse, HeaderInvalidWith400IsABadRequest) {
  EXPECT_EQ(from_envelope(400, "header_invalid").code(), ErrorCode::kBadRequest);
}

TEST(StatusFromResponse, TokenInvalid) {
  EXPECT_EQ(from_envelope(400, "token_invalid").code(), ErrorCode::kTokenInvalid);
}

TEST(StatusFromResponse, AccessTokenErrorsAndUnauthorizedAreAccessDenied) {
  for (const char* code :
       {"invalid_access_token_client_application", "invalid_access_token_service_provider", "unauthorized"}) {
    const Status status = from_envelope(401, code);
    EXPECT_EQ(status.code(), ErrorCode::kAccessDenied) << code;
    EXPECT_EQ(status.server_error()->code, code);
  }
}

TEST(StatusFromResponse, OAuthErrorsAreRegistrationFailures) {
  struct Case {
    int status;
    const char* error;
    const char* description;
  };
  const Case cases[] = {
      {400, "invalid_request", "the body is not a JSON object"},
      {401, "invalid_client", "unknown client or wrong secret"},
      {400, "invalid_software_statement", "the software statement does not verify: alg_not_allowed"},
      {400, "unsupported_grant_type", "only client_credentials is supported"},
  };
  for (const Case& c : cases) {
    const Status status = status_from_response(answer(
        c.status, std::string(R"({"error":")") + c.error + R"(","error_description":")" + c.description + R"("})",
        {{"WWW-Authenticate", "Basic realm=\"ssokit\""}, {"Pragma", "no-cache"}}));
    EXPECT_EQ(status.code(), ErrorCode::kRegistrationFailed) << c.error;
    EXPECT_EQ(status.message(), std::string(c.error) + ": " + c.description);
    ASSERT_TRUE(status.server_error());
    EXPECT_EQ(status.server_error()->code, c.error);
    EXPECT_EQ(status.server_error()->message, c.description);
    EXPECT_EQ(status.server_error()->http_status, c.status);
    EXPECT_EQ(status.server_error()->action, "");
  }
  // Without a description the code alone is the message.
  const Status bare = status_from_response(answer(400, R"({"error":"invalid_request"})"));
  EXPECT_EQ(bare.code(), ErrorCode::kRegistrationFailed);
  EXPECT_EQ(bare.message(), "invalid_request (HTTP 400)");
  // An OAuth body on 429 or 5xx follows the status.
  EXPECT_EQ(status_from_response(answer(429, R"({"error":"slow_down"})")).code(), ErrorCode::kRateLimited);
  EXPECT_EQ(status_from_response(answer(503, R"({"error":"temporarily_unavailable"})")).code(),
            ErrorCode::kServerError);
}

TEST(StatusFromResponse, DeviceLimitReachedIsItsOwnCode) {
  const Status status = status_from_response(
      answer(403, envelope(403, "device_limit_reached", "The profile already holds 100 devices", "unlink_devices")));
  EXPECT_EQ(status.code(), ErrorCode::kDeviceLimitReached);
  EXPECT_EQ(status.message(), "device_limit_reached: The profile already holds 100 devices");
  EXPECT_EQ(status.http_status(), 403);
  ASSERT_TRUE(status.server_error());
  EXPECT_EQ(status.server_error()->action, "unlink_devices");
}

TEST(StatusFromResponse, LinkDeniedIsItsOwnCode) {
  const Status status = status_from_response(answer(
      403, envelope(403, "link_denied", "The device that made this link code denied this device", "get_new_link_code")));
  EXPECT_EQ(status.code(), ErrorCode::kLinkDenied);
  EXPECT_EQ(status.message(), "link_denied: The device that made this link code denied this device");
  EXPECT_EQ(status.http_status(), 403);
  ASSERT_TRUE(status.server_error());
  EXPECT_EQ(status.server_error()->action, "get_new_link_code");
}

TEST(StatusFromResponse, TooManyWaitersIsAServerErrorWithRetryAfter) {
  const Status status = from_envelope(503, "too_many_waiters", {{"Retry-After", "1"}});
  EXPECT_EQ(status.code(), ErrorCode::kServerError);
  EXPECT_EQ(status.retry_after(), std::chrono::seconds(1));
  EXPECT_EQ(status.server_error()->code, "too_many_waiters");
}

TEST(StatusFromResponse, AWaitOutOfRangeIsABadRequest) {
  const Status status = from_envelope(400, "invalid_parameter_wait");
  EXPECT_EQ(status.code(), ErrorCode::kBadRequest);
  EXPECT_EQ(status.server_error()->code, "invalid_parameter_wait");
}

TEST(StatusFromResponse, TooManyRequestsOnTheClientRoutesIsRateLimitedWithRetryAfter) {
  // POST /o/client/register and /o/client/token answer OAuth-shaped errors, 429 included.
  const Status status = status_from_response(
      answer(429, R"({"error":"too_many_requests","error_description":"too many registrations from this address"})",
             {{"Retry-After", "30"}}));
  EXPECT_EQ(status.code(), ErrorCode::kRateLimited);
  EXPECT_EQ(status.retry_after(), std::chrono::seconds(30));
  EXPECT_EQ(status.message(), "too_many_requests: too many registrations from this address");
  ASSERT_TRUE(status.server_error());
  EXPECT_EQ(status.server_error()->code, "too_many_requests");
  EXPECT_EQ(status.server_error()->http_status, 429);
}

TEST(StatusFromResponse, OtherEnvelopeCodesFollowTheHttpStatus) {
  struct Case {
    int status;
    const char* code;
    ErrorCode expected;
  };
  const Case cases[] = {
      {400, "header_missing", ErrorCode::kBadRequest},
      {401, "header_missing", ErrorCode::kBadRequest},
      {400, "request_invalid", ErrorCode::kBadRequest},
      {400, "request_null", ErrorCode::kBadRequest},
      {400, "invalid_header_device_info", ErrorCode::kBadRequest},
      {400, "invalid_parameter_service_provider", ErrorCode::kBadRequest},
      {400, "invalid_parameter_mvpd", ErrorCode::kBadRequest},
      {404, "resource_not_found", ErrorCode::kBadRequest},
      {405, "method_not_allowed", ErrorCode::kBadRequest},
      {406, "not_acceptable", ErrorCode::kBadRequest},
      {413, "payload_too_large", ErrorCode::kBadRequest},
      {415, "media_type_unsupported", ErrorCode::kBadRequest},
      {431, "header_too_large", ErrorCode::kBadRequest},
      {429, "some_future_limit", ErrorCode::kRateLimited},
      {500, "internal_error", ErrorCode::kServerError},
      {503, "store_unavailable", ErrorCode::kServerError},
  };
  for (const Case& c : cases) {
    const Status status = from_envelope(c.status, c.code);
    EXPECT_EQ(status.code(), c.expected) << c.status << " " << c.code;
    EXPECT_EQ(status.http_status(), c.status);
    EXPECT_EQ(status.server_error()->code, c.code);
  }
}

TEST(StatusFromResponse, AnyFiveHundredIsAServerError) {
  for (int code : {500, 502, 503, 504, 599}) {
    EXPECT_EQ(status_from_response(answer(code, "")).code(), ErrorCode::kServerError) << code;
  }
}

TEST(StatusFromResponse, ABodyThatIsNotJsonStillGivesAStatusFromTheHttpStatus) {
  const Status gateway = status_from_response(
      answer(502, "<html><body><h1>502 Bad Gateway</h1><p>token eyJhbGciOi.eyJzdWIi.c2ln</p></body></html>"));
  EXPECT_EQ(gateway.code(), ErrorCode::kServerError);
  EXPECT_EQ(gateway.http_status(), 502);
  EXPECT_EQ(gateway.message(), "HTTP 502 without error details");
  ASSERT_TRUE(gateway.server_error());
  EXPECT_EQ(gateway.server_error()->code, "");

  const Status not_found = status_from_response(answer(404, "Not Found"));
  EXPECT_EQ(not_found.code(), ErrorCode::kBadRequest);
  EXPECT_EQ(not_found.http_status(), 404);

  const Status truncated = status_from_response(answer(400, R"({"status":"BAD_REQUEST","error":{"status":400,"co)"));
  EXPECT_EQ(truncated.code(), ErrorCode::kBadRequest);
  EXPECT_EQ(truncated.server_error()->code, "");
}

TEST(StatusFromResponse, Any429WithoutAnEnvelopeIsRateLimited) {
  for (const char* body : {"", "Too Many Requests", "{}", R"({"error":{}})", "[1,2]"}) {
    const Status status = status_from_response(answer(429, body, {{"Retry-After", "7"}}));
    EXPECT_EQ(status.code(), ErrorCode::kRateLimited) << body;
    EXPECT_EQ(status.retry_after(), std::chrono::seconds(7)) << body;
    EXPECT_EQ(status.http_status(), 429);
  }
}

TEST(StatusFromResponse, RetryAfterIsKeptOnOtherStatusesToo) {
  const Status status = from_envelope(503, "store_unavailable", {{"Retry-After", "2"}});
  EXPECT_EQ(status.code(), ErrorCode::kServerError);
  EXPECT_EQ(status.retry_after(), std::chrono::seconds(2));
}

TEST(StatusFromResponse, StatusesOutsideFourAndFiveHundredAreBadResponses) {
  for (int code : {0, 100, 200, 204, 301, 302, 304, 600, 999, -1}) {
    EXPECT_EQ(status_from_response(answer(code, "")).code(), ErrorCode::kBadResponse) << code;
  }
}

TEST(StatusFromResponse, EveryEnvelopeFieldIsKeptAsSentEvenWithOddTypes) {
  const Status status = status_from_response(
      answer(400, R"({"error":{"status":"400","code":"link_code_invalid","message":7,"action":null,"trace":"t"}})"));
  EXPECT_EQ(status.code(), ErrorCode::kLinkCodeInvalid);
  EXPECT_EQ(status.http_status(), 400);  // a status that is not a number: the status line's
  EXPECT_EQ(status.server_error()->message, "");
  EXPECT_EQ(status.server_error()->action, "");
  EXPECT_EQ(status.server_error()->trace, "t");
  EXPECT_EQ(status.message(), "link_code_invalid (HTTP 400)");

  // The envelope's own status is what the server sent.
  const Status mismatch = status_from_response(answer(400, envelope(409, "conflict", "m", "none")));
  EXPECT_EQ(mismatch.http_status(), 409);
  EXPECT_EQ(mismatch.code(), ErrorCode::kBadRequest);

  const Status no_code = status_from_response(answer(500, R"({"error":{"message":"boom"}})"));
  EXPECT_EQ(no_code.code(), ErrorCode::kServerError);
  EXPECT_EQ(no_code.message(), "HTTP 500: boom");
}

TEST(StatusFromResponse, TheMessageNeverCarriesATokenAndStaysOnOneLine) {
  const std::string jws = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.3q2-7w";
  const std::string secret = "OfjhjL-D3wClBPl85AISmvZQBNm9raeXAG-Lzdn6ZK4";
  const Status status = status_from_response(
      answer(401, envelope(401, "header_invalid", "bad token " + jws + " and secret=" + secret + "\\r\\nX-Injected: 1",
                           "get_new_token")));
  EXPECT_EQ(status.code(), ErrorCode::kTokenInvalid);
  EXPECT_EQ(status.message().find(jws), std::string::npos) << status.message();
  EXPECT_EQ(status.message().find("OfjhjL"), std::string::npos) << status.message();
  EXPECT_EQ(status.message().find('\n'), std::string::npos);
  EXPECT_EQ(status.message().find('\r'), std::string::npos);
  EXPECT_EQ(status.message(), "header_invalid: bad token [redacted] and [redacted]  X-Injected: 1");
  // The envelope itself is kept as it was sent.
  EXPECT_NE(status.server_error()->message.find(jws), std::string::npos);

  // Readable text is left alone: codes, UUIDs, URLs.
  const Status readable = status_from_response(
      answer(401, envelope(401, "invalid_access_token_client_application",
                           "see trace dd9975f8-886d-4964-9a10-89c5319603cd at http://127.0.0.1:8080/docs/errors",
                           "application-registration")));
  EXPECT_EQ(readable.message(),
            "invalid_access_token_client_application: see trace dd9975f8-886d-4964-9a10-89c5319603cd at "
            "http://127.0.0.1:8080/docs/errors");
}

TEST(StatusFromResponse, AVeryLongMessageIsCutOnACharacterBoundary) {
  std::string message = "x";                            // so that byte 300 falls inside a character
  for (int i = 0; i < 400; ++i) message += "\xc3\xa9";  // 800 bytes of "é"
  const Status status = status_from_response(answer(400, envelope(400, "request_invalid", message, "none")));
  const std::string& text = status.message();
  EXPECT_LT(text.size(), 340u);
  EXPECT_EQ(text.substr(text.size() - 3), "...");
  const std::string cut = text.substr(0, text.size() - 3);
  EXPECT_EQ((cut.size() - std::string("request_invalid: x").size()) % 2, 0u);  // whole two-byte characters
  EXPECT_EQ(status.server_error()->message, message);
}

}  // namespace
}  // namespace ssokit::wire
