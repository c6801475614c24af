#include "cli_runner.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <thread>

#include "files.hpp"
#include "json_text.hpp"

namespace ssokit::testing {
namespace {

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

CommandResult run_cli(const std::vector<std::string>& args) {
  TempDir scratch;
  const std::string out_path = scratch.path() + "/out";
  const std::string err_path = scratch.path() + "/err";
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int in = ::open("/dev/null", O_RDONLY);
    if (out < 0 || err < 0 || in < 0) _exit(126);
    dup2(in, STDIN_FILENO);
    dup2(out, STDOUT_FILENO);
    dup2(err, STDERR_FILENO);
    std::string binary = SSOKIT_CLI_BIN;
    std::vector<std::string> copy = args;
    std::vector<char*> argv;
    argv.push_back(binary.data());
    for (std::string& arg : copy) argv.push_back(arg.data());
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  CommandResult result;
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (waitpid(pid, &status, WNOHANG) != pid) {
    if (std::chrono::steady_clock::now() >= deadline) {
      ::kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      result.timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  result.exit_code = decode_status(status);
  result.out = read_file(out_path);
  result.err = read_file(err_path);
  return result;
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
