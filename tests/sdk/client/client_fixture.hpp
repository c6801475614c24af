#pragma once
// An SsoClient on a scripted transport, a fake clock and an in-memory store: every branch of
// the token logic without a server or a sleep.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "ssokit/ssokit.hpp"
#include "ssokit/testing/fake_platform.hpp"
#include "ssokit/testing/fake_transport.hpp"

namespace ssokit::testing {

class ClientTest : public ::testing::Test {
 protected:
  // Times as the fake clock sees them: the server's clock agrees with it unless a test says not.
  static std::int64_t now_ms(const FakeClock& clock) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(clock.system_now().time_since_epoch()).count();
  }

  void SetUp() override { client_.emplace(make_client()); }

  SsoClient make_client() {
    ClientOptions options;
    options.server = "https://sso.test";
    options.service_provider = "demo";
    options.software_statement = "statement.jwt";
    options.platform = platform_.services();
    options.transport = transport_;
    options.retry.initial_backoff = std::chrono::milliseconds(100);
    options.retry.max_backoff = std::chrono::milliseconds(1000);
    options.random = [this] { return random_value_; };
    options.log = [this](LogLevel, std::string_view line) { log_ += std::string(line) + "\n"; };
    auto client = SsoClient::create(std::move(options));
    EXPECT_TRUE(client.ok()) << client.status().message();
    return std::move(client).value();
  }

  // The answers of a first call: registration and an access token.
  void script_registration(std::int64_t expires_in = 86400) {
    transport_->respond("POST", "/o/client/register", 201,
                        R"({"client_id":"cid","client_secret":"secret","client_id_issued_at":1,)"
                        R"("grant_types":["client_credentials"],"scopes":["api:client:v2"]})");
    script_access_token("access-1", expires_in);
  }
  void script_access_token(const std::string& token, std::int64_t expires_in = 86400) {
    transport_->respond("POST", "/o/client/token", 201,
                        R"({"access_token":")" + token + R"(","token_type":"bearer","expires_in":)" +
                            std::to_string(expires_in) + R"(,"created_at":1})");
  }
  // A service-token answer valid for `lifetime_ms` from the server's now.
  void script_service_token(const std::string& method, const std::string& token, std::int64_t server_now,
                            std::int64_t lifetime_ms = 3'600'000, std::vector<HttpHeader> headers = {}) {
    transport_->respond(method, "/serviceToken", method == "POST" ? 201 : 200,
                        R"({"status":"OK","serviceToken":")" + token + R"(","notBefore":)" +
                            std::to_string(server_now) + R"(,"notAfter":)" + std::to_string(server_now + lifetime_ms) +
                            "}",
                        std::move(headers));
  }
  static std::string error_body(int status, const std::string& code, const std::string& action) {
    return R"({"status":"X","error":{"status":)" + std::to_string(status) + R"(,"code":")" + code +
           R"(","message":"m","action":")" + action + R"(","helpUrl":"h","trace":"t"}})";
  }

  // Signs in as "alice" with a token living `lifetime_ms`.
  void signed_in(std::int64_t lifetime_ms = 3'600'000) {
    script_registration();
    script_service_token("POST", "token-1", now_ms(*platform_.clock), lifetime_ms);
    auto token = client().sign_in("alice");
    ASSERT_TRUE(token.ok()) << token.status().message();
  }

  FakePlatform platform_;
  std::shared_ptr<FakeTransport> transport_ = std::make_shared<FakeTransport>();
  // r % 101, r % 201 and r % 401 are 100, 200 and 400: the top of the first three jitter
  // ranges (100, 200, 400 ms), so waits are exact.
  std::uint64_t random_value_ = 101ull * 201 * 401 - 1;
  std::string log_;
  std::optional<SsoClient> client_;
  SsoClient& client() { return *client_; }
};

}  // namespace ssokit::testing
