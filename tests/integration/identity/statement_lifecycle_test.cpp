// Software statements ship inside apps and can be extracted (attack review item 6): they
// can carry an expiry (`software-statement --ttl`), and a leaked one is revoked for good
// (`revoke-statement`): it registers nobody, and clients registered with it get no new
// access token. Before, a statement registered clients for ever.
#include <chrono>
#include <thread>

#include "api_test.hpp"
#include "clock.hpp"
#include "files.hpp"
#include "json_text.hpp"
#include "jwt.hpp"

namespace ssokit::testing {
namespace {

class StatementLifecycleTest : public ApiTest {
 protected:
  HttpResponse register_statement(const std::string& statement) {
    return send({"POST", server().base_url() + "/o/client/register", {{"Content-Type", "application/json"}},
                 "{\"software_statement\":\"" + statement + "\"}"});
  }
  std::string statement(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args =
        with_store({"software-statement", "--data", data_dir(), "--service-provider", "demo"}, data_dir());
    args.insert(args.end(), extra.begin(), extra.end());
    const CommandResult result = run_server_command(args, std::chrono::seconds(15));
    EXPECT_EQ(result.exit_code, 0) << result.err;
    std::string text = result.out;
    while (!text.empty() && text.back() == '\n') text.pop_back();
    return text;
  }
  CommandResult revoke(const std::vector<std::string>& how) {
    std::vector<std::string> args = with_store({"revoke-statement", "--data", data_dir()}, data_dir());
    args.insert(args.end(), how.begin(), how.end());
    return run_server_command(args, std::chrono::seconds(15));
  }
  static void expect_refused(const HttpResponse& response, const std::string& why) {
    EXPECT_EQ(response.status, 400) << response.body;
    EXPECT_EQ(response.json("error"), "invalid_software_statement") << response.body;
    EXPECT_NE(response.json("error_description").value_or("").find(why), std::string::npos) << response.body;
  }
};

TEST_F(StatementLifecycleTest, AStatementWithATtlCarriesExpAndRegistersNobodyAfterIt) {
  const std::string lasting = statement();
  EXPECT_FALSE(as_json(jwt_payload_json(lasting)).has_json("exp")) << "no --ttl, no expiry";

  const std::string brief = statement({"--ttl", "2"});
  const HttpResponse claims = as_json(jwt_payload_json(brief));
  ASSERT_EQ(json_type(claims.body, "exp"), "integer") << claims.body;
  EXPECT_NEAR(json_number(claims.body, "exp").value_or(0), static_cast<double>(now_seconds() + 2), 3.0);
  EXPECT_EQ(register_statement(brief).status, 201);
  std::this_thread::sleep_until(std::chrono::system_clock::time_point(
      std::chrono::seconds(static_cast<long long>(json_number(claims.body, "exp").value_or(0)) + 1)));
  expect_refused(register_statement(brief), "expired");
  EXPECT_EQ(register_statement(lasting).status, 201);
}

TEST_F(StatementLifecycleTest, ARevokedStatementRegistersNobodyAndItsClientsGetNoNewToken) {
  const std::string leaked = statement();
  const std::string other = statement();
  const HttpResponse registered = register_statement(leaked);
  ASSERT_EQ(registered.status, 201) << registered.body;
  ASSERT_EQ(request_access_token(registered).status, 201);

  const std::string path = data_dir() + "/../leaked.jwt";
  write_file(path, leaked + "\n");
  const CommandResult revoked = revoke({"--statement", path});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
  const std::string jti = as_json(jwt_payload_json(leaked)).json("jti").value_or("");
  EXPECT_EQ(revoked.out, "revoked " + jti + "\n");

  expect_refused(register_statement(leaked), "revoked");
  const HttpResponse token = request_access_token(registered);
  EXPECT_EQ(token.status, 401) << token.body;
  EXPECT_EQ(token.json("error"), "invalid_client") << token.body;
  // Other statements of the same service provider are unaffected.
  EXPECT_EQ(register_statement(other).status, 201);
  // Revoking again, by id this time, is no error.
  EXPECT_EQ(revoke({"--id", jti}).exit_code, 0);
}

TEST_F(StatementLifecycleTest, RevokeRefusesWhatIsNotOneOfOurStatements) {
  const std::string path = data_dir() + "/../forged.jwt";
  write_file(path, "eyJhbGciOiJFUzI1NiJ9.eyJqdGkiOiJ4In0.c2ln\n");
  const CommandResult forged = revoke({"--statement", path});
  EXPECT_EQ(forged.exit_code, 1) << forged.out;
  EXPECT_NE(forged.err.find("does not verify"), std::string::npos) << forged.err;
  const CommandResult neither = revoke({});
  EXPECT_EQ(neither.exit_code, 2);
  EXPECT_NE(neither.err.find("--statement"), std::string::npos) << neither.err;
  EXPECT_EQ(run_server_command({"software-statement", "--data", data_dir(), "--service-provider", "demo", "--ttl", "0"},
                               std::chrono::seconds(10))
                .exit_code,
            2);
}

}  // namespace
}  // namespace ssokit::testing
