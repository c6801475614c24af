#pragma once
// The command line of ssokit-server (SPEC §4), parsed into plain values.
#include <optional>
#include <string>
#include <vector>

#include "api/request_log.hpp"
#include "core/service_config.hpp"

namespace ssokit::app {

struct PlatformIssuerFlag {
  std::string name;
  std::string pem_path;
};

struct ServeFlags {
  std::string listen_host = "127.0.0.1";
  std::uint16_t listen_port = 8080;
  std::string data_dir = "./ssokit-data";
  std::string store_url;  // "" = SQLite under data_dir
  std::vector<PlatformIssuerFlag> platform_issuers;
  server::ServiceConfig config;
  api::LogLevel log_level = api::LogLevel::kInfo;
  int threads = 8;
  std::string public_url;  // "" = http://<listen>
  std::string ready_file;  // written with "host:port" once listening (for scripts and tests)
};

struct SoftwareStatementFlags {
  std::string data_dir = "./ssokit-data";
  std::string store_url;
  std::string service_provider;
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

const char* usage_text();

}  // namespace ssokit::app
