// The redaction of log lines: secrets of a recognizable shape are masked wherever they
// appear (tokens, long base64, digit codes, base20 codes in any case and grouping), values the
// client knows to be private are masked whatever their shape (a short device id), and the
// rest of a line stays readable.
#include "redaction.hpp"

#include <gtest/gtest.h>

#include "client_fixture.hpp"

namespace ssokit::testing {
namespace {

using internal::redact;

TEST(RedactionTest, LinesWithoutSecretsStayReadable) {
  for (const char* line : {
           "GET /api/demo/list -> 200 (3 ms)",
           "POST /o/client/token -> 201 (12 ms)",
           "POST /api/demo/serviceToken -> 429 (2 ms)",
           "GET /api/v2/demo/logout/demo-mvpd -> 200 (1 ms)",
           "GET /api/v2/demo/profiles -> 200 (1 ms)",
           "rate limited; retrying in 250 ms",
           "registered the application with the server",
           "service token refresh failed (HTTP 503 without error details); the cached token is kept while it is valid",
           "service token refresh failed (header_invalid (HTTP 401)); the cached token is kept while it is valid",
           "the server ended this device's SSO (device_unlinked); local tokens cleared",
           "GET /api/demo/list failed: could not connect to the server",
       }) {
    EXPECT_EQ(redact(line), line);
  }
}

TEST(RedactionTest, TokensSecretsAndDigitCodesAreMasked) {
  EXPECT_EQ(redact("code 228128 issued"), "code [redacted] issued");
  EXPECT_EQ(redact("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.sig"), "token [redacted]");
  EXPECT_EQ(redact("GET /api/v2/demo/profiles/code/BCDFGHJK -> 200"),
            "GET /api/v2/demo/profiles/code/[redacted] -> 200");
  EXPECT_EQ(redact("device ZmFrZS1kZXZpY2UtaWQtaGFzaA=="), "device [redacted]");
}

TEST(RedactionTest, Base20CodesOfEveryLengthCaseAndGroupingAreMasked) {
  // --link-code-format base20:N, N in 4..16: BCDFGHJKLMNPQRSTVWXZ, read in any case, shown
  // grouped with '-' or spaces.
  EXPECT_EQ(redact("code BCDF issued"), "code [redacted] issued");
  EXPECT_EQ(redact("code bcdfghjk issued"), "code [redacted] issued");
  EXPECT_EQ(redact("code BCDF-GHJK issued"), "code [redacted] issued");
  EXPECT_EQ(redact("code bcdf-ghjk issued"), "code [redacted] issued");
  EXPECT_EQ(redact("code BCDF GHJK issued"), "code [redacted] issued");
  EXPECT_EQ(redact("code BCD FGH JKL MNP QRS T"), "code [redacted]");
  EXPECT_EQ(redact("code ZXWVTSRQPNMLKJH."), "code [redacted].");
  EXPECT_EQ(redact("GET /api/v2/demo/profiles/code/bcdfg -> 200"), "GET /api/v2/demo/profiles/code/[redacted] -> 200");
  EXPECT_EQ(redact("GET /api/v2/demo/profiles/code/BCDF -> 200"), "GET /api/v2/demo/profiles/code/[redacted] -> 200");
}

TEST(RedactionTest, DigitCodesGroupedWithSpacesAreMasked) {
  EXPECT_EQ(redact("code 025 605 issued"), "code [redacted] issued");
  EXPECT_EQ(redact("code 02 56 05 issued"), "code [redacted] issued");
  EXPECT_EQ(redact("code 0256-05 issued"), "code [redacted] issued");
}

TEST(RedactionTest, Base64IdsWithSlashesAreMaskedWhole) {
  // A device id is base64 of a SHA-256: '/' in it does not make it a path.
  EXPECT_EQ(redact("device mgSbUqAKAnStsfW0VSmWQ/1K4WH6vCX/pWfYglsaGv8= unlinked"), "device [redacted] unlinked");
  EXPECT_EQ(redact("device Kmi2fWAGES/dnqP8JbkScYgDK3KGEkUyJOeJ9PvgPII= unlinked"), "device [redacted] unlinked");
  // One in 64 starts with '/' and reads as a path: each part of it is masked.
  EXPECT_EQ(redact("device /gSbUqAKAnStsfW0VSmWQ1K4WH6vCX+pWfYglsaGv8= unlinked"), "device /[redacted] unlinked");
}

TEST(RedactionTest, PathsKeepTheirRouteAndLoseTheirSecrets) {
  EXPECT_EQ(redact("GET /api/v2/demo/profiles/code/bcdf-ghjk -> 200"),
            "GET /api/v2/demo/profiles/code/[redacted] -> 200");
  EXPECT_EQ(redact("GET /api/v2/demo/profiles/code/1K4WH6vCX -> 200"),
            "GET /api/v2/demo/profiles/code/[redacted] -> 200");
  EXPECT_EQ(redact("secure store: cannot write '/home/tv/state/.tmp-service_token-0a1b2c3d4e5f6a7b': No space"),
            "secure store: cannot write '/home/tv/state/[redacted]': No space");
}

TEST(RedactionTest, KnownPrivateValuesAreMaskedWhateverTheirShape) {
  EXPECT_EQ(redact("device dHYtc2Rr is not linked", {"dHYtc2Rr"}), "device [redacted] is not linked");
  EXPECT_EQ(redact("the sso id alice is unknown", {"alice"}), "the sso id [redacted] is unknown");
  // Only whole words: a value inside a longer word is not a match.
  EXPECT_EQ(redact("malice and alice", {"alice"}), "malice and [redacted]");
  EXPECT_EQ(redact("nothing to hide", {""}), "nothing to hide");
}

// ---- the client's own log lines ---------------------------------------------------------

class ClientLogTest : public ClientTest {
 protected:
  static constexpr const char* kShortDeviceId = "dHYtc2Rr";  // base64 of "tv-sdk": shorter than any rule
  void SetUp() override {
    platform_.device_id = kShortDeviceId;
    ClientTest::SetUp();
  }
  void expect_not_logged(const std::string& secret) {
    EXPECT_EQ(log_.find(secret), std::string::npos) << secret << " in\n" << log_;
  }
};

TEST_F(ClientLogTest, AServerMessageNamingAShortDeviceIdOrACodeDoesNotReachTheLog) {
  signed_in();
  platform_.clock->advance(std::chrono::minutes(57));  // inside the refresh margin
  transport_->respond("GET", "/serviceToken", 500,
                      R"({"error":{"code":"internal_error","message":"device dHYtc2Rr and code bcdf-ghjk broke"}})");
  ASSERT_EQ(client().service_token()->value, "token-1");  // the cached token, served
  EXPECT_NE(log_.find("service token refresh failed"), std::string::npos) << log_;
  expect_not_logged(kShortDeviceId);
  expect_not_logged("bcdf");
}

TEST_F(ClientLogTest, AnMvpdCodeInThePathIsMaskedInAnyCase) {
  signed_in();
  transport_->respond("GET", "/profiles/code/bcdfg", 200, R"({"profiles":{}})");
  ASSERT_TRUE(client().mvpd_profiles_for_code("bcdfg").ok());
  EXPECT_NE(log_.find("GET /api/v2/demo/profiles/code/[redacted] -> 200"), std::string::npos) << log_;
  expect_not_logged("bcdfg");
}

TEST_F(ClientLogTest, TheSsoIdAndUnlinkedIdsInAFailureMessageDoNotReachTheLog) {
  // A transport's failure text is logged as it is: it may quote the request.
  script_registration();
  transport_->fail("POST", "/serviceToken", Status(ErrorCode::kNetworkError, "refused X-SSO-ID alice-42"), true);
  script_service_token("POST", "token-1", now_ms(*platform_.clock));
  ASSERT_TRUE(client().sign_in("alice-42").ok());
  transport_->fail("POST", "/unlink", Status(ErrorCode::kNetworkError, "reset sending devices Zm9v, YmFy"), true);
  transport_->respond("POST", "/unlink", 200, R"({"unlinkedDevices":["Zm9v"]})");
  ASSERT_TRUE(client().unlink_devices({"Zm9v", "YmFy"}).ok());
  EXPECT_NE(log_.find("failed: reset sending devices"), std::string::npos) << log_;
  expect_not_logged("alice-42");
  expect_not_logged("Zm9v");
  expect_not_logged("YmFy");
}

}  // namespace
}  // namespace ssokit::testing
