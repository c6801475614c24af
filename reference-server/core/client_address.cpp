#include "core/client_address.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace ssokit::server {
namespace {

constexpr int kIpv6ClientPrefix = 64;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Proxies write "a.b.c.d", "a.b.c.d:port", "v6", "[v6]" or "[v6]:port".
std::optional<IpAddress> parse_hop(std::string_view entry) {
  entry = trim(entry);
  if (!entry.empty() && entry.front() == '[') {
    const auto close = entry.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    return IpAddress::parse(entry.substr(1, close - 1));
  }
  if (auto address = IpAddress::parse(entry)) return address;
  const auto colon = entry.find(':');
  if (colon != std::string_view::npos && entry.find(':', colon + 1) == std::string_view::npos) {
    return IpAddress::parse(entry.substr(0, colon));  // IPv4 with a port
  }
  return std::nullopt;
}

std::string key_of(const IpAddress& address) {
  char text[INET6_ADDRSTRLEN] = {};
  if (!address.v6) {
    inet_ntop(AF_INET, address.bytes.data(), text, sizeof text);
    return text;
  }
  std::array<std::uint8_t, 16> block{};
  std::copy_n(address.bytes.begin(), kIpv6ClientPrefix / 8, block.begin());
  inet_ntop(AF_INET6, block.data(), text, sizeof text);
  return std::string(text) + "/" + std::to_string(kIpv6ClientPrefix);
}

}  // namespace

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  const std::string copy(text);
  IpAddress address;
  if (inet_pton(AF_INET, copy.c_str(), address.bytes.data()) == 1) return address;
  if (inet_pton(AF_INET6, copy.c_str(), address.bytes.data()) != 1) return std::nullopt;
  static constexpr std::uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(address.bytes.data(), kMappedPrefix, sizeof kMappedPrefix) == 0) {
    std::memmove(address.bytes.data(), address.bytes.data() + 12, 4);
    std::fill(address.bytes.begin() + 4, address.bytes.end(), 0);
    return address;
  }
  address.v6 = true;
  return address;
}

std::optional<IpNetwork> IpNetwork::parse(std::string_view text) {
  const auto slash = text.find('/');
  const auto base = IpAddress::parse(text.substr(0, slash));
  if (!base) return std::nullopt;
  const int max_prefix = base->v6 ? 128 : 32;
  int prefix = max_prefix;
  if (slash != std::string_view::npos) {
    const std::string_view digits = text.substr(slash + 1);
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() || prefix < 0 ||
        prefix > max_prefix) {
      return std::nullopt;
    }
  }
  IpNetwork network;
  network.base_ = *base;
  network.prefix_ = prefix;
  return network;
}

bool IpNetwork::contains(const IpAddress& address) const {
  if (address.v6 != base_.v6) return false;
  const int full_bytes = prefix_ / 8;
  if (!std::equal(base_.bytes.begin(), base_.bytes.begin() + full_bytes, address.bytes.begin())) return false;
  const int rest = prefix_ % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xFF << (8 - rest));
  return (base_.bytes[full_bytes] & mask) == (address.bytes[full_bytes] & mask);
}

ClientAddresses::ClientAddresses(std::vector<IpNetwork> trusted_proxies)
    : trusted_proxies_(std::move(trusted_proxies)) {}

bool ClientAddresses::trusted(const IpAddress& address) const {
  return std::any_of(trusted_proxies_.begin(), trusted_proxies_.end(),
                     [&](const IpNetwork& network) { return network.contains(address); });
}

std::string ClientAddresses::limit_key(std::string_view peer,
                                       const std::vector<std::string_view>& forwarded_for) const {
  std::optional<IpAddress> client = IpAddress::parse(peer);
  if (!client) return std::string(peer);
  // Walk the hops from the nearest (the last entry of the last line) outwards.
  for (auto line = forwarded_for.rbegin(); line != forwarded_for.rend() && trusted(*client); ++line) {
    std::string_view rest = *line;
    while (trusted(*client)) {
      const auto comma = rest.rfind(',');
      const std::string_view entry = comma == std::string_view::npos ? rest : rest.substr(comma + 1);
      const std::optional<IpAddress> hop = parse_hop(entry);
      if (!hop) return key_of(*client);
      client = hop;
      if (comma == std::string_view::npos) break;
      rest = rest.substr(0, comma);
    }
  }
  return key_of(*client);
}

}  // namespace ssokit::server
