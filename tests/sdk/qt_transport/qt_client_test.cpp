// A real SsoClient on the Qt transport, against a local server answering the three calls of a
// first sign-in with the seed's bodies: the transport as the SDK uses it.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <mutex>
#include <string>
#include <vector>

#include "ssokit/qt_transport.hpp"
#include "ssokit/ssokit.hpp"
#include "ssokit/testing/fake_platform.hpp"
#include "ssokit/testing/loopback_servers.hpp"

namespace ssokit {
namespace {

std::string fixture(const std::string& name) {
  std::ifstream file(std::string(SSOKIT_FIXTURES) + "/" + name);
  return std::string(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
}

TEST(QtTransportClient, SignInGoesThroughTheQtTransport) {
  const std::string service_token = fixture("service-token-created.json");
  ASSERT_FALSE(service_token.empty()) << "missing fixture";
  std::mutex mutex;
  std::vector<testing::ServerRequest> seen;
  testing::LocalHttpServer server([&](const testing::ServerRequest& request) {
    {
      std::lock_guard lock(mutex);
      seen.push_back(request);
    }
    testing::ServerResponse response;
    response.status = 201;
    response.headers = {{"Content-Type", "application/json"}};
    if (request.method == "POST" && request.path == "/o/client/register") {
      response.body = R"({"client_id":"cid","client_secret":"secret","client_id_issued_at":1,)"
                      R"("grant_types":["client_credentials"],"scopes":["api:client:v2"]})";
    } else if (request.method == "POST" && request.path == "/o/client/token") {
      response.body = R"({"access_token":"access-1","token_type":"bearer","expires_in":86400,"created_at":1})";
    } else if (request.method == "POST" && request.path == "/api/demo/serviceToken") {
      response.body = service_token;
    } else {
      response.status = 404;
      response.body = R"({"status":"X","error":{"status":404,"code":"not_found","message":"m","action":"a",)"
                      R"("helpUrl":"h","trace":"t"}})";
    }
    return response;
  });

  testing::FakePlatform platform;
  ClientOptions options;
  options.server = server.url("");
  options.service_provider = "demo";
  options.software_statement = "statement.jwt";
  options.platform = platform.services();
  options.transport = make_qt_transport();
  auto client = SsoClient::create(std::move(options));
  ASSERT_TRUE(client.ok()) << client.status().message();

  const Result<ServiceToken> token = client->sign_in("alice");
  ASSERT_TRUE(token.ok()) << token.status().message();
  EXPECT_EQ(token->value, "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...");
  EXPECT_TRUE(client->signed_in());

  std::lock_guard lock(mutex);
  ASSERT_EQ(seen.size(), 3U);
  EXPECT_EQ(seen[0].path, "/o/client/register");
  ASSERT_NE(seen[0].header("Content-Type"), nullptr);
  EXPECT_EQ(*seen[0].header("Content-Type"), "application/json");
  EXPECT_NE(seen[0].body.find("statement.jwt"), std::string::npos);
  EXPECT_EQ(seen[1].path, "/o/client/token");
  EXPECT_NE(seen[1].body.find("grant_type=client_credentials"), std::string::npos);
  EXPECT_EQ(seen[2].path, "/api/demo/serviceToken");
  ASSERT_NE(seen[2].header("X-SSO-ID"), nullptr);
  EXPECT_EQ(*seen[2].header("X-SSO-ID"), "alice");
  ASSERT_NE(seen[2].header("Authorization"), nullptr);
  EXPECT_EQ(*seen[2].header("Authorization"), "Bearer access-1");
  ASSERT_NE(seen[2].header("User-Agent"), nullptr);
  EXPECT_EQ(*seen[2].header("User-Agent"), "ssokit-sdk/0.1") << "the SDK's, not Qt's";
}

}  // namespace
}  // namespace ssokit
