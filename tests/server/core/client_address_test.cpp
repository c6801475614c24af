// core/client_address: what the per-address limits count (SPEC §2).
#include "core/client_address.hpp"

#include <gtest/gtest.h>

namespace ssokit::server {
namespace {

ClientAddresses behind(std::initializer_list<const char*> proxies) {
  std::vector<IpNetwork> networks;
  for (const char* proxy : proxies) networks.push_back(*IpNetwork::parse(proxy));
  return ClientAddresses(networks);
}

TEST(IpNetworkTest, ParsesAddressesAndBlocks) {
  EXPECT_TRUE(IpNetwork::parse("10.0.0.0/8"));
  EXPECT_TRUE(IpNetwork::parse("127.0.0.1"));
  EXPECT_TRUE(IpNetwork::parse("fd00::/8"));
  EXPECT_TRUE(IpNetwork::parse("::1"));
  for (const char* bad :
       {"", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/", "10.0.0.0/8x", "fd00::/129", "host", "10.0.0/8", "1.2.3.4/ 8"}) {
    EXPECT_FALSE(IpNetwork::parse(bad)) << bad;
  }
}

TEST(IpNetworkTest, ContainsByPrefixAndFamily) {
  const IpNetwork ten = *IpNetwork::parse("10.0.0.0/8");
  EXPECT_TRUE(ten.contains(*IpAddress::parse("10.255.1.2")));
  EXPECT_FALSE(ten.contains(*IpAddress::parse("11.0.0.1")));
  EXPECT_TRUE(ten.contains(*IpAddress::parse("::ffff:10.1.2.3")));  // IPv4-mapped is IPv4
  const IpNetwork odd = *IpNetwork::parse("192.168.0.0/23");
  EXPECT_TRUE(odd.contains(*IpAddress::parse("192.168.1.255")));
  EXPECT_FALSE(odd.contains(*IpAddress::parse("192.168.2.0")));
  const IpNetwork v6 = *IpNetwork::parse("2001:db8::/32");
  EXPECT_TRUE(v6.contains(*IpAddress::parse("2001:db8:ffff::1")));
  EXPECT_FALSE(v6.contains(*IpAddress::parse("2001:db9::1")));
  EXPECT_FALSE(v6.contains(*IpAddress::parse("10.0.0.1")));
  EXPECT_TRUE(IpNetwork::parse("0.0.0.0/0")->contains(*IpAddress::parse("8.8.8.8")));
}

TEST(ClientAddressesTest, WithoutTrustedProxiesThePeerCounts) {
  const ClientAddresses direct;
  EXPECT_EQ(direct.limit_key("192.0.2.7", {"203.0.113.9"}), "192.0.2.7");
  EXPECT_EQ(direct.limit_key("::ffff:192.0.2.7", {}), "192.0.2.7");
  EXPECT_EQ(direct.limit_key("not-an-address", {}), "not-an-address");
}

TEST(ClientAddressesTest, Ipv6CountsByItsSlash64) {
  const ClientAddresses direct;
  EXPECT_EQ(direct.limit_key("2001:db8:1:2:3:4:5:6", {}), "2001:db8:1:2::/64");
  EXPECT_EQ(direct.limit_key("2001:db8:1:2::ffff", {}), "2001:db8:1:2::/64");
  EXPECT_EQ(direct.limit_key("::1", {}), "::/64");
}

TEST(ClientAddressesTest, TrustedProxiesPassTheWordFromRightToLeft) {
  const ClientAddresses lb = behind({"127.0.0.1", "10.0.0.0/8"});
  EXPECT_EQ(lb.limit_key("127.0.0.1", {"203.0.113.9"}), "203.0.113.9");
  EXPECT_EQ(lb.limit_key("127.0.0.1", {"6.6.6.6, 203.0.113.9"}), "203.0.113.9");     // forged left part ignored
  EXPECT_EQ(lb.limit_key("127.0.0.1", {"203.0.113.9, 10.1.1.1"}), "203.0.113.9");    // a chain of proxies
  EXPECT_EQ(lb.limit_key("127.0.0.1", {"203.0.113.9", "10.1.1.1"}), "203.0.113.9");  // over two lines
  EXPECT_EQ(lb.limit_key("127.0.0.1", {" 2001:db8::1 "}), "2001:db8::/64");
  EXPECT_EQ(lb.limit_key("127.0.0.1", {"[2001:db8::1]:443"}), "2001:db8::/64");
  EXPECT_EQ(lb.limit_key("127.0.0.1", {"203.0.113.9:5000"}), "203.0.113.9");
  EXPECT_EQ(lb.limit_key("127.0.0.1", {}), "127.0.0.1");               // the proxy itself, with nothing forwarded
  EXPECT_EQ(lb.limit_key("192.0.2.1", {"203.0.113.9"}), "192.0.2.1");  // not a trusted peer
}

TEST(ClientAddressesTest, AnUnreadableHopEndsTheWalkAtTheLastReadableOne) {
  const ClientAddresses lb = behind({"127.0.0.1", "10.0.0.0/8"});
  EXPECT_EQ(lb.limit_key("127.0.0.1", {"unknown"}), "127.0.0.1");
  EXPECT_EQ(lb.limit_key("127.0.0.1", {"garbage, 10.2.2.2"}), "10.2.2.2");
  EXPECT_EQ(lb.limit_key("127.0.0.1", {"203.0.113.9, "}), "127.0.0.1");
}

}  // namespace
}  // namespace ssokit::server
