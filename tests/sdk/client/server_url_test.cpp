// ClientOptions::server: http:// only to this machine unless allow_insecure_http says
// otherwise, with the host found as the transport will find it.
#include "server_url.hpp"

#include <gtest/gtest.h>

#include "ssokit/ssokit.hpp"
#include "ssokit/testing/fake_platform.hpp"
#include "ssokit/testing/fake_transport.hpp"

namespace ssokit::testing {
namespace {

using internal::is_loopback_host;
using internal::parse_server_url;

std::string host_of(const std::string& url) {
  auto parsed = parse_server_url(url);
  EXPECT_TRUE(parsed.ok()) << url << ": " << parsed.status().message();
  return parsed.ok() ? parsed->host : std::string();
}

TEST(ServerUrl, FindsTheHostBehindUserinfoPortsAndBrackets) {
  EXPECT_EQ(host_of("https://sso.example.com"), "sso.example.com");
  EXPECT_EQ(host_of("http://127.0.0.1:8080/prefix/"), "127.0.0.1");
  EXPECT_EQ(host_of("http://user:pw@127.0.0.1:8080"), "127.0.0.1");
  EXPECT_EQ(host_of("http://localhost@evil.com"), "evil.com");
  EXPECT_EQ(host_of("http://127.0.0.1:80@evil.com/"), "evil.com");
  EXPECT_EQ(host_of("http://a@b@evil.com"), "evil.com");
  EXPECT_EQ(host_of("http://evil.com/@127.0.0.1"), "evil.com");
  EXPECT_EQ(host_of("http://[::1]:8080/"), "[::1]");
  EXPECT_EQ(host_of("http://[::1]"), "[::1]");
  EXPECT_EQ(parse_server_url("https://sso.example.com")->https, true);
  EXPECT_EQ(parse_server_url("http://sso.example.com")->https, false);
}

TEST(ServerUrl, RefusesWhatNoBaseUrlShouldHold) {
  for (const char* url :
       {"", "sso.example.com", "ftp://h", "HTTP://h", "http://", "http:///api", "http://:80", "http://user@",
        "http://[::1", "http://[::1]x", "http://[]", "http://h:8o", "http://h:123456", "http://h /x", "http://h\t",
        "http://127.0.0.1\\@evil.com", "http://h?x=1", "http://h#f", "http://127.0.0.1#@evil.com"}) {
    const auto parsed = parse_server_url(url);
    ASSERT_FALSE(parsed.ok()) << url;
    EXPECT_EQ(parsed.status().code(), ErrorCode::kInvalidArgument) << url;
    EXPECT_NE(parsed.status().message().find("ClientOptions::server"), std::string::npos) << url;
  }
}

TEST(ServerUrl, LoopbackIsLocalhostThe127NetworkAndIpv6Loopback) {
  for (const char* host : {"localhost", "LocalHost", "localhost.", "127.0.0.1", "127.1.2.3", "127.255.255.255", "[::1]",
                           "[0:0:0:0:0:0:0:1]", "[0000::0001]"}) {
    EXPECT_TRUE(is_loopback_host(host)) << host;
  }
  for (const char* host : {"127.0.0.1.evil.com",
                           "localhost.evil.com",
                           "evil-localhost",
                           "localhostx",
                           "128.0.0.1",
                           "10.0.0.1",
                           "127.0.0",
                           "127.0.0.1.",
                           "127.0.0.256",
                           "127.000.000.001",
                           "0177.0.0.1",
                           "0x7f.0.0.1",
                           "127.1",
                           "2130706433",
                           "[::2]",
                           "[::]",
                           "[::ffff:8.8.8.8]",
                           "[fe80::1%25lo]",
                           "::1",
                           "sso.test",
                           ""}) {
    EXPECT_FALSE(is_loopback_host(host)) << host;
  }
}

class InsecureHttpTest : public ::testing::Test {
 protected:
  Result<SsoClient> create(const std::string& server, bool allow_insecure_http = false) {
    ClientOptions options;
    options.server = server;
    options.allow_insecure_http = allow_insecure_http;
    options.service_provider = "demo";
    options.software_statement = "statement.jwt";
    options.platform = platform_.services();
    options.transport = std::make_shared<FakeTransport>();  // never used: create() is under test
    return SsoClient::create(std::move(options));
  }
  FakePlatform platform_;
};

TEST_F(InsecureHttpTest, HttpToAnotherMachineIsRefusedNamingTheOption) {
  for (const char* server : {"http://sso.example.com", "http://127.0.0.1.evil.com", "http://localhost.evil.com",
                             "http://localhost@evil.com:8080", "http://10.0.0.5:8080/sso", "http://[::2]:80"}) {
    const auto client = create(server);
    ASSERT_FALSE(client.ok()) << server;
    EXPECT_EQ(client.status().code(), ErrorCode::kInvalidArgument) << server;
    EXPECT_NE(client.status().message().find("allow_insecure_http"), std::string::npos) << client.status().message();
    EXPECT_NE(client.status().message().find("https://"), std::string::npos) << client.status().message();
  }
}

TEST_F(InsecureHttpTest, HttpToThisMachineHttpsAnywhereAndTheOptInAreAccepted) {
  for (const char* server : {"http://localhost:8080", "http://127.0.0.1:18100/", "http://127.9.9.9",
                             "http://[::1]:8080", "https://sso.example.com", "https://10.0.0.5/sso"}) {
    const auto client = create(server);
    EXPECT_TRUE(client.ok()) << server << ": " << client.status().message();
  }
  const auto opted_in = create("http://sso.example.com", true);
  EXPECT_TRUE(opted_in.ok()) << opted_in.status().message();
}

}  // namespace
}  // namespace ssokit::testing
