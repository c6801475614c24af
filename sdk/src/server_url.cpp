#include "server_url.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace ssokit::internal {
namespace {

Status invalid(const std::string& problem) {
  return Status(ErrorCode::kInvalidArgument, "ClientOptions::server " + problem);
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

bool all_digits(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Dotted decimal as people write it: four parts of 1 to 3 digits, no leading zeros, each at
// most 255. Other forms that resolvers also take ("127.1", "0x7f.0.0.1", "0177.0.0.1") are
// not recognized, so they count as not loopback: the safe side.
bool is_loopback_ipv4(std::string_view host) {
  int parts = 0;
  int first = -1;
  std::size_t start = 0;
  for (;;) {
    const auto dot = host.find('.', start);
    const std::string_view part =
        host.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (part.empty() || part.size() > 3 || !all_digits(part) || (part.size() > 1 && part[0] == '0')) return false;
    int value = 0;
    for (const char c : part) value = value * 10 + (c - '0');
    if (value > 255) return false;
    if (first < 0) first = value;
    ++parts;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return parts == 4 && first == 127;
}

bool is_loopback_ipv6(std::string_view bracketed) {
  if (bracketed.size() < 3 || bracketed.front() != '[' || bracketed.back() != ']') return false;
  const std::string address(bracketed.substr(1, bracketed.size() - 2));
  in6_addr parsed{};
  return ::inet_pton(AF_INET6, address.c_str(), &parsed) == 1 &&
         std::memcmp(&parsed, &in6addr_loopback, sizeof parsed) == 0;
}

}  // namespace

Result<ServerUrl> parse_server_url(std::string_view url) {
  ServerUrl out;
  std::string_view rest;
  if (url.rfind("https://", 0) == 0) {
    out.https = true;
    rest = url.substr(8);
  } else if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
  } else {
    return invalid("must be an http:// or https:// URL");
  }
  for (const char c : url) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7f || c == '\\') {
      return invalid("may not hold spaces, control characters or a backslash");
    }
  }
  if (url.find_first_of("?#") != std::string_view::npos) {
    return invalid("may not have a query or a fragment: the SDK appends the API's paths to it");
  }
  // The authority ends at the path; the host follows the last '@' (userinfo) in it.
  std::string_view authority = rest.substr(0, rest.find('/'));
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return invalid("has an IPv6 address without its closing ']'");
    out.host = std::string(authority.substr(0, close + 1));
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty() && after.front() != ':') return invalid("has text after the IPv6 address's ']'");
    port = after.empty() ? after : after.substr(1);
  } else {
    const auto colon = authority.find(':');
    out.host = std::string(authority.substr(0, colon));
    port = colon == std::string_view::npos ? std::string_view() : authority.substr(colon + 1);
  }
  if (out.host.empty() || out.host == "[]") return invalid("has no host");
  if (!all_digits(port) || port.size() > 5) return invalid("has a port that is not a number");
  return out;
}

bool is_loopback_host(std::string_view host) {
  return equals_ignoring_case(host, "localhost") || equals_ignoring_case(host, "localhost.") ||
         is_loopback_ipv4(host) || is_loopback_ipv6(host);
}

}  // namespace ssokit::internal
