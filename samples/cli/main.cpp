// ssokit-cli: one simulated device of an app, with its state in --state DIR (see docs/cli.md).
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli_args.hpp"
#include "commands.hpp"
#include "ssokit/platform/connect_token.hpp"
#include "ssokit/platform/linux_services.hpp"

int main(int argc, char** argv) {
  using namespace ssokit;
  const std::vector<std::string> raw(argv + 1, argv + argc);
  if (raw.size() == 1 && (raw[0] == "--help" || raw[0] == "-h")) {
    std::cout << cli::cli_usage();
    return 0;
  }
  std::string error;
  const auto args = cli::parse_cli_args(raw, error);
  if (!args) {
    std::cerr << "error: usage: " << error << "\n";
    return 2;
  }
  std::ifstream statement_file(args->software_statement_file);
  if (!statement_file) {
    std::cerr << "error: invalid_argument: cannot read the software statement " << args->software_statement_file
              << "\n";
    return 2;
  }
  std::stringstream statement;
  statement << statement_file.rdbuf();
  std::string software_statement = statement.str();
  while (!software_statement.empty() && std::isspace(static_cast<unsigned char>(software_statement.back()))) {
    software_statement.pop_back();
  }

  auto services = platform::linux_services(args->state_dir, args->platform);
  if (!services) {
    cli::print_error(services.status(), std::cerr);
    return 1;
  }
  if (!args->platform_token_file.empty()) {
    auto provider = std::make_shared<platform::FileConnectTokenProvider>(args->platform_token_file);
    if (auto token = provider->read(); !token) {
      cli::print_error(token.status(), std::cerr);
      return 1;
    }
    services->platform_identity = provider;
  }

  ClientOptions options;
  options.server = args->server;
  options.allow_insecure_http = args->allow_insecure_http;
  options.service_provider = args->service_provider;
  options.software_statement = software_statement;
  options.platform = std::move(*services);
  options.user_agent = "ssokit-cli/0.1";
  options.link_uri_template = args->link_uri_template;
  auto client = SsoClient::create(std::move(options));
  if (!client) {
    cli::print_error(client.status(), std::cerr);
    return 1;
  }
  return cli::run_command(*args, client.value(), std::cout, std::cerr);
}
