#pragma once
// The client address every per-address limit counts (SPEC §2): the TCP peer, unless the peer
// is a proxy named by --trusted-proxy, whose X-Forwarded-For then says who the client is.
// IPv6 clients count by their /64: one host's address block is one address.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ssokit::server {

// An IPv4 or IPv6 address; IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are IPv4.
struct IpAddress {
  bool v6 = false;
  std::array<std::uint8_t, 16> bytes{};  // IPv4 uses the first 4

  static std::optional<IpAddress> parse(std::string_view text);
};

// An address block in CIDR notation ("10.0.0.0/8", "2001:db8::/32"); a bare address is a
// block of one ("/32" or "/128").
class IpNetwork {
 public:
  static std::optional<IpNetwork> parse(std::string_view text);
  bool contains(const IpAddress& address) const;

 private:
  IpAddress base_;
  int prefix_ = 0;
};

class ClientAddresses {
 public:
  explicit ClientAddresses(std::vector<IpNetwork> trusted_proxies = {});

  // `peer` is the TCP peer's address text; `forwarded_for` the X-Forwarded-For header lines
  // in the order received (each a comma-separated list, the nearest hop last). Read from the
  // right, each hop that is a trusted proxy passes the word to the one before it; the first
  // hop that is not a trusted proxy is the client. An unreadable entry ends the walk at the
  // last readable hop. The result is the address text, IPv6 as its /64
  // ("2001:db8:1:2::/64"); a peer that is not an IP address is returned as it is.
  std::string limit_key(std::string_view peer, const std::vector<std::string_view>& forwarded_for) const;

 private:
  bool trusted(const IpAddress& address) const;
  std::vector<IpNetwork> trusted_proxies_;
};

}  // namespace ssokit::server
