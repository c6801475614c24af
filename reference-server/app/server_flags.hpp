#pragma once
// The command line of ssokit-server (SPEC §4), parsed into plain values.
#include <optional>
#include <string>
#include <vector>

#include "api/request_log.hpp"
#include "core/client_address.hpp"
#include "core/service_config.hpp"
#include "store/postgres_store.hpp"

namespace ssokit::app {

// --platform-issuer NAME=KEY.pem[,aud-required][,max-lifetime=SECONDS]
struct PlatformIssuerFlag {
  std::string name;
  std::string pem_path;
  bool audience_required = false;
  long long max_lifetime_seconds = 86400;  // longest exp - iat accepted
};

// --mvpd-password-file NAME=USER:PATH: the mock MVPD's test user, its password read from a
// file (0600) instead of the command line, where every local user can read it.
struct MvpdPasswordFileFlag {
  std::string name;
  std::string user;
  std::string path;
};

struct ServeFlags {
  std::string listen_host = "127.0.0.1";
  std::uint16_t listen_port = 8080;
  std::string data_dir = "./ssokit-data";
  std::string store_url;  // "" = SQLite under data_dir
  std::size_t store_pool = store::kDefaultPostgresPoolSize;  // PostgreSQL connections of this instance
  std::vector<PlatformIssuerFlag> platform_issuers;
  std::vector<MvpdPasswordFileFlag> mvpd_password_files;
  std::vector<server::IpNetwork> trusted_proxies;
  server::ServiceConfig config;
  api::LogLevel log_level = api::LogLevel::kInfo;
  int threads = 8;
  int waiting_threads = 64;  // requests that wait for a durable commit (http::ServerOptions::waits)
  std::size_t max_connections = 10000;
  std::size_t max_waiters = 10000;  // requests held until a link code changes (SPEC §6.1)
  std::string public_url;  // "" = http://<listen>
  std::string ready_file;  // written with "host:port" once listening (for scripts and tests)
  bool test_control = false;  // --test-control: the /test/ routes of SPEC §6.4 (loopback only)
};

struct SoftwareStatementFlags {
  std::string data_dir = "./ssokit-data";
  std::string store_url;
  std::string service_provider;
  std::optional<long long> ttl_seconds;  // --ttl: the statement expires (no expiry without it)
};

struct RevokeStatementFlags {
  std::string data_dir = "./ssokit-data";
  std::string store_url;
  std::string statement_path;  // --statement FILE ("-" for stdin), or
  std::string statement_id;    // --id JTI
};

struct RotateKeysFlags {
  std::string data_dir = "./ssokit-data";
  std::string store_url;
  std::string purpose;  // service-token, software-statement, encryption or all
};

// Parse the arguments after the subcommand. On error returns nullopt and sets `error` to one
// line naming the flag and what was wrong.
std::optional<ServeFlags> parse_serve_flags(const std::vector<std::string>& args, std::string& error);
std::optional<SoftwareStatementFlags> parse_software_statement_flags(const std::vector<std::string>& args,
                                                                     std::string& error);

std::optional<RotateKeysFlags> parse_rotate_keys_flags(const std::vector<std::string>& args, std::string& error);
std::optional<RevokeStatementFlags> parse_revoke_statement_flags(const std::vector<std::string>& args,
                                                                 std::string& error);

const char* usage_text();

}  // namespace ssokit::app
