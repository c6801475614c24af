// The transport a client gets when ClientOptions::transport is left null: libcurl's, or, in an
// SDK built without libcurl (SSOKIT_WITH_CURL=OFF), a clear refusal that names the option.
#include <gtest/gtest.h>

#include "ssokit/ssokit.hpp"
#include "ssokit/testing/fake_platform.hpp"
#include "ssokit/testing/fake_transport.hpp"

namespace ssokit::testing {
namespace {

ClientOptions options_for(const FakePlatform& platform) {
  ClientOptions options;
  options.server = "https://sso.example.com";
  options.service_provider = "demo";
  options.software_statement = "statement.jwt";
  options.platform = platform.services();
  return options;
}

TEST(DefaultTransport, ANullTransportIsLibcurlsOrRefusedWhenTheSdkHasNone) {
  FakePlatform platform;
  const auto client = SsoClient::create(options_for(platform));
#if SSOKIT_HAS_CURL_TRANSPORT
  EXPECT_TRUE(client.ok()) << client.status().message();
#else
  ASSERT_FALSE(client.ok());
  EXPECT_EQ(client.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(client.status().message().find("ClientOptions::transport"), std::string::npos) << client.status().message();
  EXPECT_NE(client.status().message().find("SSOKIT_WITH_CURL=OFF"), std::string::npos) << client.status().message();
#endif
}

TEST(DefaultTransport, AGivenTransportIsUsedWithOrWithoutLibcurl) {
  FakePlatform platform;
  ClientOptions options = options_for(platform);
  auto transport = std::make_shared<FakeTransport>();
  options.transport = transport;
  options.retry.max_attempts = 1;  // the fake answers "not sent": one try is enough to see it
  auto client = SsoClient::create(std::move(options));
  ASSERT_TRUE(client.ok()) << client.status().message();
  (void)client->sign_in("alice");
  EXPECT_GE(transport->requests().size(), 1u) << "the client's calls go through the transport it was given";
}

}  // namespace
}  // namespace ssokit::testing
