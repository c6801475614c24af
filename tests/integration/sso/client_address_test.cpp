// SPEC §2, attack review item 3: what "a client address" is for the per-address limits.
// Before, an IPv6 host counted as 2^64 addresses (every address of its /64 had its own
// budget), and behind a load balancer every client shared the proxy's one address. Now
// IPv6 counts by its /64, and `--trusted-proxy CIDR` names the proxies whose
// X-Forwarded-For says who the client is. The tests play the proxy on 127.0.0.1 and reach
// other peers by binding to 127.0.0.2.
#include <string>

#include "sso_helpers.hpp"

namespace ssokit::testing::sso {
namespace {

class ClientAddressTest : public SsoTest {
 protected:
  std::vector<std::string> extra_args() const override {
    return {"--redeem-failures", "2/600",        "--redeem-budget", "100000/600",
            "--trusted-proxy",   "127.0.0.1/32", "--trusted-proxy", "10.0.0.0/8"};
  }
  void SetUp() override {
    SsoTest::SetUp();
    code_ = create_link_code(sign_in("phone", "alice"));
  }
  // A failed redemption by a fresh device id (so only the address limit can refuse), as
  // relayed with `forwarded_for`, from `peer`.
  HttpResponse guess(const std::string& forwarded_for, const std::string& peer = "127.0.0.1") {
    const std::string device = "guesser-" + std::to_string(++guesses_);
    Headers headers = {{"Authorization", "Bearer " + access_token()},
                       {"AP-Device-Identifier", fingerprint(device)},
                       {"X-SSO-LINK", code_ == "000000" ? "111111" : "000000"}};
    if (!forwarded_for.empty()) headers.emplace_back("X-Forwarded-For", forwarded_for);
    return send_from({"POST", server().base_url() + path("serviceToken"), headers, std::nullopt}, peer);
  }
  static void expect_invalid(const HttpResponse& r) { expect_error(r, 400, "link_code_invalid", "get_new_link_code"); }
  static void expect_limited(const HttpResponse& r) { expect_error(r, 429, "too_many_attempts", "retry"); }

  std::string code_;
  int guesses_ = 0;
};

TEST_F(ClientAddressTest, ClientsBehindATrustedProxyAreCountedByTheirOwnAddress) {
  // Six clients, one failure each, all through the proxy: nobody reaches the limit of 2.
  for (int i = 1; i <= 6; ++i) {
    SCOPED_TRACE("client " + std::to_string(i));
    expect_invalid(guess("203.0.113." + std::to_string(i)));
  }
  // One client, three failures: the third is over its own limit.
  expect_invalid(guess("198.51.100.7"));
  expect_invalid(guess("198.51.100.7"));
  expect_limited(guess("198.51.100.7"));
}

TEST_F(ClientAddressTest, AnIpv6HostCountsByItsSlash64) {
  expect_invalid(guess("2001:db8:1:2::1"));
  expect_invalid(guess("2001:db8:1:2:ffff:ffff:ffff:fffe"));
  expect_limited(guess("2001:db8:1:2:abcd::9"));    // a third address of the same /64
  expect_invalid(guess("2001:db8:1:3::1"));         // the next /64 is another client
  expect_invalid(guess("[2001:db8:1:4::1]:4711"));  // bracketed with a port, as some proxies write it
}

TEST_F(ClientAddressTest, TheClientIsTheNearestHopThatIsNotATrustedProxy) {
  // The client forged the left part; the proxy appended the address it saw.
  expect_invalid(guess("1.1.1.1, 198.51.100.9"));
  expect_invalid(guess("2.2.2.2, 198.51.100.9"));
  expect_limited(guess("3.3.3.3, 198.51.100.9"));
  // A chain of trusted proxies (10.0.0.0/8 behind 127.0.0.1) passes the word along.
  expect_invalid(guess("198.51.100.10, 10.1.2.3"));
  expect_invalid(guess("198.51.100.10, 10.9.9.9"));
  expect_limited(guess("198.51.100.10"));
  // The same across header lines.
  expect_invalid(guess("198.51.100.11"));
  expect_invalid(guess("198.51.100.11"));
  expect_limited(send_from({"POST",
                            server().base_url() + path("serviceToken"),
                            {{"Authorization", "Bearer " + access_token()},
                             {"AP-Device-Identifier", fingerprint("multi-line")},
                             {"X-SSO-LINK", "000001"},
                             {"X-Forwarded-For", "198.51.100.11"},
                             {"X-Forwarded-For", "10.0.0.1"}},
                            std::nullopt},
                           "127.0.0.1"));
}

TEST_F(ClientAddressTest, AnUntrustedPeerCannotChooseItsAddressWithAForwardedHeader) {
  // 127.0.0.2 is no trusted proxy: its X-Forwarded-For is ignored, whatever it says.
  expect_invalid(guess("203.0.113.1", "127.0.0.2"));
  expect_invalid(guess("203.0.113.2", "127.0.0.2"));
  expect_limited(guess("203.0.113.3", "127.0.0.2"));
}

TEST(TrustedProxyFlagTest, RefusesWhatIsNotAnAddressOrABlock) {
  for (const char* bad : {"", "10.0.0.0/33", "fd00::/129", "example.com", "10.0.0.0/", "10.0.0/8"}) {
    const CommandResult result = run_server_command({"serve", "--trusted-proxy", bad}, std::chrono::seconds(10));
    EXPECT_EQ(result.exit_code, 2) << bad;
    EXPECT_NE(result.err.find("--trusted-proxy"), std::string::npos) << result.err;
  }
}

}  // namespace
}  // namespace ssokit::testing::sso
