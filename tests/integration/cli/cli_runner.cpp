#include "cli_runner.hpp"

#include <chrono>
#include <stdexcept>

#include "files.hpp"
#include "json_text.hpp"

namespace ssokit::testing {

CommandResult run_cli(const std::vector<std::string>& args) {
  return run_program(SSOKIT_CLI_BIN, args, std::chrono::seconds(60));
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

void CliTest::SetUp() {
  ApiTest::SetUp();
  devices_ = std::make_unique<TempDir>();
  statement_file_ = devices_->path() + "/statement.jwt";
  write_file(statement_file_, server().software_statement("demo") + "\n");
  base_url_ = server().base_url();
}

void CliTest::TearDown() {
  devices_.reset();
  ApiTest::TearDown();
}

std::vector<std::string> CliTest::base_flags() const {
  return {"--server", base_url_, "--service-provider", "demo", "--software-statement", statement_file_};
}

CommandResult CliTest::cli(const std::string& device, const std::vector<std::string>& args,
                           const std::string& platform) {
  std::vector<std::string> all = base_flags();
  all.insert(all.end(), {"--state", state_dir(device), "--platform", platform});
  all.insert(all.end(), args.begin(), args.end());
  return run_cli(all);
}

std::unique_ptr<BackgroundProgram> CliTest::cli_in_background(const std::string& device,
                                                              const std::vector<std::string>& args,
                                                              const std::string& platform) {
  std::vector<std::string> all = base_flags();
  all.insert(all.end(), {"--state", state_dir(device), "--platform", platform});
  all.insert(all.end(), args.begin(), args.end());
  return std::make_unique<BackgroundProgram>(SSOKIT_CLI_BIN, all);
}

void CliTest::sign_in(const std::string& device, const std::string& sso_id, const std::string& platform) {
  const CommandResult result = cli(device, {"sign-in", "--sso-id", sso_id}, platform);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");
}

std::string CliTest::link(const std::string& device) {
  const CommandResult result = cli(device, {"link"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return trimmed(result.out);
}

std::string CliTest::current_id(const std::string& device, const std::string& platform) {
  const CommandResult result = cli(device, {"devices", "--json"}, platform);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  const JsonPtr root(cJSON_Parse(result.out.c_str()));
  const cJSON* devices = json_at(root.get(), "devices");
  const cJSON* item = nullptr;
  cJSON_ArrayForEach(item, devices) {
    const cJSON* current = cJSON_GetObjectItemCaseSensitive(item, "current");
    const cJSON* id = cJSON_GetObjectItemCaseSensitive(item, "id");
    if (cJSON_IsTrue(current) && cJSON_IsString(id)) return id->valuestring;
  }
  ADD_FAILURE() << "no current device in " << result.out;
  return "";
}

}  // namespace ssokit::testing
