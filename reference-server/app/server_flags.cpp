#include "app/server_flags.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cctype>
#include <charconv>
#include <limits>
#include <set>

namespace ssokit::app {
namespace {

// Largest TTL accepted by any flag: ten years, far beyond any sensible setting, and safe
// from overflow when turned into milliseconds.
constexpr long long kMaxSeconds = 10LL * 365 * 24 * 3600;

bool parse_integer(const std::string& text, long long min, long long max, long long& out) {
  if (text.empty()) return false;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end && out >= min && out <= max;
}

bool parse_host_port(const std::string& text, std::string& host, std::uint16_t& port) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  long long value = 0;
  if (!parse_integer(text.substr(colon + 1), 0, 65535, value)) return false;
  host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host == "localhost") host = "127.0.0.1";
  // The listener binds an address, not a name: check it here so the error names the flag.
  unsigned char address[sizeof(in6_addr)];
  if (inet_pton(AF_INET, host.c_str(), address) != 1 && inet_pton(AF_INET6, host.c_str(), address) != 1) return false;
  port = static_cast<std::uint16_t>(value);
  return true;
}

// 127.0.0.0/8 or ::1 (parse_host_port has read "localhost" as 127.0.0.1 already).
bool is_loopback(const std::string& host) {
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  return inet_pton(AF_INET6, host.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

// "N/W": N events per W seconds.
bool parse_rate(const std::string& text, server::RateLimit& out) {
  const auto slash = text.find('/');
  if (slash == std::string::npos) return false;
  long long events = 0;
  long long window = 0;
  if (!parse_integer(text.substr(0, slash), 1, 1'000'000'000, events)) return false;
  if (!parse_integer(text.substr(slash + 1), 1, kMaxSeconds, window)) return false;
  out = server::RateLimit::per_window(events, window);
  return true;
}

// NAME=KEY.pem[,aud-required][,max-lifetime=SECONDS]
std::optional<PlatformIssuerFlag> parse_platform_issuer(const std::string& value) {
  const auto eq = value.find('=');
  if (eq == std::string::npos || eq == 0) return std::nullopt;
  PlatformIssuerFlag issuer;
  issuer.name = value.substr(0, eq);
  std::size_t start = eq + 1;
  for (bool first = true;; first = false) {
    const auto comma = value.find(',', start);
    const std::string part = value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (first) {
      issuer.pem_path = part;
      if (part.empty()) return std::nullopt;
    } else if (part == "aud-required") {
      issuer.audience_required = true;
    } else if (part.rfind("max-lifetime=", 0) != 0 ||
               !parse_integer(part.substr(13), 1, kMaxSeconds, issuer.max_lifetime_seconds)) {
      return std::nullopt;
    }
    if (comma == std::string::npos) return issuer;
    start = comma + 1;
  }
}

// Reads "--flag value" or "--flag=value".
class ArgReader {
 public:
  explicit ArgReader(const std::vector<std::string>& args) : args_(args) {}
  bool next() {
    if (index_ >= args_.size()) return false;
    const std::string& arg = args_[index_++];
    const auto eq = arg.find('=');
    if (arg.rfind("--", 0) == 0 && eq != std::string::npos) {
      flag_ = arg.substr(0, eq);
      inline_value_ = arg.substr(eq + 1);
    } else {
      flag_ = arg;
      inline_value_.reset();
    }
    return true;
  }
  const std::string& flag() const { return flag_; }
  bool value(std::string& out, std::string& error) {
    if (inline_value_) {
      out = *inline_value_;
      return true;
    }
    if (index_ >= args_.size()) {
      error = flag_ + " needs a value";
      return false;
    }
    out = args_[index_++];
    return true;
  }

 private:
  const std::vector<std::string>& args_;
  std::size_t index_ = 0;
  std::string flag_;
  std::optional<std::string> inline_value_;
};

}  // namespace

std::optional<ServeFlags> parse_serve_flags(const std::vector<std::string>& args, std::string& error) {
  ServeFlags flags;
  bool store_pool_given = false;
  ArgReader reader(args);
  std::string value;
  const auto seconds = [&](const char* what, long long min, server::Millis& out) {
    long long parsed = 0;
    if (!parse_integer(value, min, kMaxSeconds, parsed)) {
      error = std::string(what) + " takes whole seconds from " + std::to_string(min) + ", not '" + value + "'";
      return false;
    }
    out = parsed * 1000;
    return true;
  };
  static const std::set<std::string> kValueFlags = {"--listen",
                                                    "--data",
                                                    "--store",
                                                    "--store-pool",
                                                    "--platform-issuer",
                                                    "--service-token-ttl",
                                                    "--link-code-ttl",
                                                    "--refresh-grace",
                                                    "--access-token-ttl",
                                                    "--mvpd-profile-ttl",
                                                    "--device-rate",
                                                    "--mvpd",
                                                    "--service-token-alg",
                                                    "--link-code-format",
                                                    "--max-live-codes",
                                                    "--redeem-failures",
                                                    "--redeem-budget",
                                                    "--log-level",
                                                    "--threads",
                                                    "--waiting-threads",
                                                    "--public-url",
                                                    "--ready-file",
                                                    "--max-connections",
                                                    "--max-waiters",
                                                    "--link-approval",
                                                    "--trusted-proxy",
                                                    "--address-rate",
                                                    "--max-devices",
                                                    "--mvpd-password-file"};
  while (reader.next()) {
    const std::string flag = reader.flag();
    if (flag == "--require-sso-id") {
      flags.config.require_sso_id = true;
      continue;
    }
    if (flag == "--test-control") {
      flags.test_control = true;
      continue;
    }
    if (kValueFlags.count(flag) == 0) {
      error = "unknown flag '" + flag + "' for serve (see --help)";
      return std::nullopt;
    }
    if (!reader.value(value, error)) return std::nullopt;
    if (flag == "--listen") {
      if (!parse_host_port(value, flags.listen_host, flags.listen_port)) {
        error = "--listen takes IP:PORT (e.g. 127.0.0.1:8080 or [::1]:8080), not '" + value + "'";
        return std::nullopt;
      }
    } else if (flag == "--data") {
      flags.data_dir = value;
    } else if (flag == "--store") {
      flags.store_url = value;
    } else if (flag == "--platform-issuer") {
      auto issuer = parse_platform_issuer(value);
      if (!issuer) {
        error = "--platform-issuer takes NAME=KEY.pem[,aud-required][,max-lifetime=SECONDS], not '" + value + "'";
        return std::nullopt;
      }
      flags.platform_issuers.push_back(std::move(*issuer));
    } else if (flag == "--trusted-proxy") {
      auto network = server::IpNetwork::parse(value);
      if (!network) {
        error = "--trusted-proxy takes an address or CIDR block (e.g. 10.0.0.0/8 or fd00::/8), not '" + value + "'";
        return std::nullopt;
      }
      flags.trusted_proxies.push_back(*network);
    } else if (flag == "--address-rate") {
      if (value == "off") {
        flags.config.address_rate.reset();
      } else {
        server::RateLimit limit;
        if (!parse_rate(value, limit)) {
          error = "--address-rate takes CREATIONS/SECONDS (e.g. 10000/3600) or off, not '" + value + "'";
          return std::nullopt;
        }
        flags.config.address_rate = limit;
      }
    } else if (flag == "--max-devices") {
      long long parsed = 0;
      if (value == "off") {
        flags.config.max_devices.reset();
      } else if (parse_integer(value, 1, 1'000'000, parsed)) {
        flags.config.max_devices = static_cast<int>(parsed);
      } else {
        error = "--max-devices takes a number from 1 to 1000000 or off, not '" + value + "'";
        return std::nullopt;
      }
    } else if (flag == "--mvpd-password-file") {
      const auto eq = value.find('=');
      const auto colon = value.find(':', eq == std::string::npos ? 0 : eq);
      if (eq == std::string::npos || eq == 0 || colon == std::string::npos || colon == eq + 1 ||
          colon + 1 == value.size()) {
        error = "--mvpd-password-file takes NAME=USER:PATH, not '" + value + "'";
        return std::nullopt;
      }
      flags.mvpd_password_files.push_back(
          {value.substr(0, eq), value.substr(eq + 1, colon - eq - 1), value.substr(colon + 1)});
    } else if (flag == "--service-token-ttl") {
      if (!seconds("--service-token-ttl", 1, flags.config.service_token_ttl_ms)) return std::nullopt;
    } else if (flag == "--link-code-ttl") {
      if (!seconds("--link-code-ttl", 1, flags.config.link_code_ttl_ms)) return std::nullopt;
    } else if (flag == "--refresh-grace") {
      if (!seconds("--refresh-grace", 0, flags.config.refresh_grace_ms)) return std::nullopt;
    } else if (flag == "--access-token-ttl") {
      if (!seconds("--access-token-ttl", 1, flags.config.access_token_ttl_ms)) return std::nullopt;
    } else if (flag == "--mvpd-profile-ttl") {
      if (!seconds("--mvpd-profile-ttl", 1, flags.config.mvpd_profile_ttl_ms)) return std::nullopt;
    } else if (flag == "--device-rate") {
      if (value == "off") {
        flags.config.device_rate.reset();
      } else {
        // "B/R": a burst of B, then R per second.
        const auto slash = value.find('/');
        long long burst = 0;
        long long per_second = 0;
        if (slash == std::string::npos || !parse_integer(value.substr(0, slash), 1, 1'000'000, burst) ||
            !parse_integer(value.substr(slash + 1), 1, 1'000'000, per_second)) {
          error = "--device-rate takes BURST/PER_SECOND (e.g. 10/1) or off, not '" + value + "'";
          return std::nullopt;
        }
        flags.config.device_rate = server::RateLimit{std::max<server::Millis>(1, 1000 / per_second), burst};
      }
    } else if (flag == "--mvpd") {
      const auto eq = value.find('=');
      const auto colon = value.find(':', eq == std::string::npos ? 0 : eq);
      if (eq == std::string::npos || eq == 0 || colon == std::string::npos || colon == eq + 1) {
        error = "--mvpd takes NAME=USER:PASSWORD, not '" + value.substr(0, eq) + "=...'";
        return std::nullopt;
      }
      flags.config.mvpds[value.substr(0, eq)] = {value.substr(eq + 1, colon - eq - 1), value.substr(colon + 1)};
    } else if (flag == "--service-token-alg") {
      if (value != "HS256" && value != "ES256") {
        error = "--service-token-alg takes HS256 or ES256, not '" + value + "'";
        return std::nullopt;
      }
      flags.config.service_token_alg = value;
    } else if (flag == "--link-code-format") {
      const auto format = server::LinkCodeFormat::parse(value);
      if (!format) {
        error = "--link-code-format takes digits:N or base20:N with N from 4 to 16, not '" + value + "'";
        return std::nullopt;
      }
      flags.config.link_code_format = *format;
    } else if (flag == "--max-live-codes") {
      long long parsed = 0;
      if (!parse_integer(value, 1, 1000, parsed)) {
        error = "--max-live-codes takes a number from 1 to 1000, not '" + value + "'";
        return std::nullopt;
      }
      flags.config.max_live_codes = static_cast<int>(parsed);
    } else if (flag == "--redeem-failures") {
      if (!parse_rate(value, flags.config.redeem_failures)) {
        error = "--redeem-failures takes FAILURES/SECONDS (e.g. 5/600), not '" + value + "'";
        return std::nullopt;
      }
    } else if (flag == "--redeem-budget") {
      if (!parse_rate(value, flags.config.redeem_budget)) {
        error = "--redeem-budget takes FAILURES/SECONDS (e.g. 1000/600), not '" + value + "'";
        return std::nullopt;
      }
    } else if (flag == "--log-level") {
      if (!api::parse_log_level(value, flags.log_level)) {
        error = "--log-level takes debug, info, warn, error or off, not '" + value + "'";
        return std::nullopt;
      }
    } else if (flag == "--threads") {
      long long parsed = 0;
      if (!parse_integer(value, 1, 256, parsed)) {
        error = "--threads takes a number from 1 to 256, not '" + value + "'";
        return std::nullopt;
      }
      flags.threads = static_cast<int>(parsed);
    } else if (flag == "--waiting-threads") {
      long long parsed = 0;
      if (!parse_integer(value, 0, 1024, parsed)) {
        error = "--waiting-threads takes a number from 0 to 1024, not '" + value + "'";
        return std::nullopt;
      }
      flags.waiting_threads = static_cast<int>(parsed);
    } else if (flag == "--store-pool") {
      long long parsed = 0;
      if (!parse_integer(value, 1, 1000, parsed)) {
        error = "--store-pool takes a number of connections from 1 to 1000, not '" + value + "'";
        return std::nullopt;
      }
      flags.store_pool = static_cast<std::size_t>(parsed);
      store_pool_given = true;
    } else if (flag == "--max-connections") {
      long long parsed = 0;
      if (!parse_integer(value, 1, 1'000'000, parsed)) {
        error = "--max-connections takes a number from 1 to 1000000, not '" + value + "'";
        return std::nullopt;
      }
      flags.max_connections = static_cast<std::size_t>(parsed);
    } else if (flag == "--max-waiters") {
      long long parsed = 0;
      if (!parse_integer(value, 0, 1'000'000, parsed)) {
        error = "--max-waiters takes a number from 0 to 1000000, not '" + value + "'";
        return std::nullopt;
      }
      flags.max_waiters = static_cast<std::size_t>(parsed);
    } else if (flag == "--link-approval") {
      if (value != "required" && value != "optional") {
        error = "--link-approval takes 'required' or 'optional', not '" + value + "'";
        return std::nullopt;
      }
      flags.config.link_approval_required = value == "required";
    } else if (flag == "--public-url") {
      if (value.rfind("http://", 0) != 0 && value.rfind("https://", 0) != 0) {
        error = "--public-url takes an http:// or https:// URL, not '" + value + "'";
        return std::nullopt;
      }
      while (!value.empty() && value.back() == '/') value.pop_back();
      flags.public_url = value;
    } else if (flag == "--ready-file") {
      flags.ready_file = value;
    }
  }
  if (store_pool_given && flags.store_url.rfind("postgresql://", 0) != 0 && flags.store_url.rfind("postgres://", 0) != 0) {
    error = "--store-pool sizes the PostgreSQL connection pool; it needs --store postgresql://...";
    return std::nullopt;
  }
  // Its routes move the clock and hand out link codes: never reachable from another host.
  if (flags.test_control && !is_loopback(flags.listen_host)) {
    error = "--test-control needs a loopback --listen (127.0.0.0/8, ::1 or localhost), not '" + flags.listen_host +
            "': its /test/ routes move the clock and show link codes";
    return std::nullopt;
  }
  return flags;
}

std::optional<SoftwareStatementFlags> parse_software_statement_flags(const std::vector<std::string>& args,
                                                                     std::string& error) {
  SoftwareStatementFlags flags;
  ArgReader reader(args);
  std::string value;
  while (reader.next()) {
    const std::string flag = reader.flag();
    if (!reader.value(value, error)) return std::nullopt;
    if (flag == "--data") {
      flags.data_dir = value;
    } else if (flag == "--store") {
      flags.store_url = value;
    } else if (flag == "--service-provider") {
      flags.service_provider = value;
    } else if (flag == "--ttl") {
      long long ttl = 0;
      if (!parse_integer(value, 1, kMaxSeconds, ttl)) {
        error = "--ttl takes whole seconds from 1, not '" + value + "'";
        return std::nullopt;
      }
      flags.ttl_seconds = ttl;
    } else {
      error = "unknown flag '" + flag + "' for software-statement (see --help)";
      return std::nullopt;
    }
  }
  if (flags.service_provider.empty()) {
    error = "software-statement needs --service-provider SP";
    return std::nullopt;
  }
  for (char c : flags.service_provider) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') {
      error = "--service-provider takes letters, digits, '-', '_' and '.', not '" + flags.service_provider + "'";
      return std::nullopt;
    }
  }
  return flags;
}

std::optional<RotateKeysFlags> parse_rotate_keys_flags(const std::vector<std::string>& args, std::string& error) {
  RotateKeysFlags flags;
  ArgReader reader(args);
  std::string value;
  while (reader.next()) {
    const std::string flag = reader.flag();
    if (flag != "--data" && flag != "--store" && flag != "--purpose") {
      error = "unknown flag '" + flag + "' for rotate-keys (see --help)";
      return std::nullopt;
    }
    if (!reader.value(value, error)) return std::nullopt;
    if (flag == "--data") flags.data_dir = value;
    if (flag == "--store") flags.store_url = value;
    if (flag == "--purpose") flags.purpose = value;
  }
  if (flags.purpose != "service-token" && flags.purpose != "software-statement" && flags.purpose != "encryption" &&
      flags.purpose != "all") {
    error = "rotate-keys needs --purpose service-token, software-statement, encryption or all";
    return std::nullopt;
  }
  return flags;
}

std::optional<RevokeStatementFlags> parse_revoke_statement_flags(const std::vector<std::string>& args,
                                                                 std::string& error) {
  RevokeStatementFlags flags;
  ArgReader reader(args);
  std::string value;
  while (reader.next()) {
    const std::string flag = reader.flag();
    if (flag != "--data" && flag != "--store" && flag != "--statement" && flag != "--id") {
      error = "unknown flag '" + flag + "' for revoke-statement (see --help)";
      return std::nullopt;
    }
    if (!reader.value(value, error)) return std::nullopt;
    if (flag == "--data") flags.data_dir = value;
    if (flag == "--store") flags.store_url = value;
    if (flag == "--statement") flags.statement_path = value;
    if (flag == "--id") flags.statement_id = value;
  }
  if (flags.statement_path.empty() == flags.statement_id.empty()) {
    error = "revoke-statement needs --statement FILE (the JWT; - for stdin) or --id JTI";
    return std::nullopt;
  }
  return flags;
}

const char* usage_text() {
  return R"(ssokit-server: the ssokit reference SSO server

usage:
  ssokit-server serve [flags]
  ssokit-server software-statement --data DIR --service-provider SP [--ttl SECONDS] [--store URL]
  ssokit-server revoke-statement --data DIR --statement FILE|--id JTI [--store URL]
  ssokit-server rotate-keys --data DIR --purpose service-token|software-statement|encryption|all [--store URL]
  ssokit-server --help | --version

serve flags (defaults in brackets):
  --listen HOST:PORT            address to listen on [127.0.0.1:8080]; port 0 picks a free one
  --data DIR                    keys, pepper and the SQLite store [./ssokit-data]
  --store URL                   sqlite:PATH, or postgresql://USER@HOST:PORT/DB [SQLite in --data]
  --store-pool N                PostgreSQL connections of this instance [16]
  --platform-issuer NAME=PEM[,aud-required][,max-lifetime=SECONDS]
                                trust platform identity tokens of NAME signed by the key in PEM (repeatable);
                                aud-required refuses tokens without aud; lifetime exp - iat at most [86400]
  --service-token-ttl SECONDS   service token lifetime [3600]
  --link-code-ttl SECONDS       link code lifetime [600]
  --refresh-grace SECONDS       how long after expiry a token may still be refreshed [86400]
  --access-token-ttl SECONDS    client access token lifetime [86400]
  --require-sso-id              refuse POST serviceToken without X-SSO-ID, X-SSO-LINK or platform identity
  --device-rate BURST/PER_SEC   per-device throttle, or off [10/1]
  --mvpd NAME=USER:PASSWORD     a mock MVPD and its test user (repeatable) [demo-mvpd=demo:demo]
  --mvpd-password-file NAME=USER:PATH  the same, the password read from PATH (mode 0600)
  --mvpd-profile-ttl SECONDS    MVPD profile lifetime [86400]
  --service-token-alg ALG       HS256 or ES256 [HS256]
  --link-code-format FORMAT     digits:N or base20:N, N in 4..16 [digits:6]
  --max-live-codes N            live link codes per profile [5]
  --redeem-failures F/W         failed redemptions per device and per address per W seconds [5/600]
  --redeem-budget N/W           failed redemptions per service provider per W seconds [1000/600]
  --trusted-proxy CIDR          a proxy whose X-Forwarded-For names the client (repeatable) [none]
  --address-rate N/W            registrations, access tokens and new devices per client address, or off [10000/3600]
  --max-devices N               devices per profile, or off [100]
  --log-level LEVEL             debug, info, warn, error or off [info]
  --threads N                   HTTP worker threads [8]
  --waiting-threads N           threads for writes waiting for their commit, 0: none [64]
  --max-connections N           open connections at most; more are closed at once [10000]
  --max-waiters N               requests held until a link code changes, at most; more
                                answer 503 too_many_waiters [10000]
  --link-approval required|optional
                                required: every link code needs its issuing device's
                                approval; optional: POST link's body decides [optional]
  --public-url URL              base URL for links the server hands out [http://LISTEN]
  --ready-file PATH             write HOST:PORT to PATH once listening
  --test-control                add the /test/ routes for CI (clock, link codes, faults); loopback --listen only
)";
}

}  // namespace ssokit::app
