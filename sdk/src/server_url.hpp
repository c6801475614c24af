#pragma once
// ClientOptions::server, read once at SsoClient::create: its scheme and host, found as RFC
// 3986 reads an authority (userinfo before the last '@', a port after the host, IPv6 in
// brackets), so "http://127.0.0.1.evil.com" or "http://localhost@evil.com" names the host the
// transport will really connect to.
#include <string>
#include <string_view>

#include "ssokit/result.hpp"

namespace ssokit::internal {

struct ServerUrl {
  bool https = false;
  std::string host;  // as written: "sso.example.com", "127.0.0.1", "[::1]"
};

// kInvalidArgument naming ClientOptions::server when `url` is not an http:// or https:// URL
// with a host, or holds what no base URL should: spaces, control characters, a backslash, a
// query or a fragment.
Result<ServerUrl> parse_server_url(std::string_view url);

// Whether `host` (as ServerUrl::host has it) can only be this machine: localhost, an IPv4
// address of 127.0.0.0/8 in plain dotted decimal, or the IPv6 loopback [::1] in any spelling.
bool is_loopback_host(std::string_view host);

}  // namespace ssokit::internal
