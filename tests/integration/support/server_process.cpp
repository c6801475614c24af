#include "server_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "files.hpp"
#include "test_store.hpp"

namespace ssokit::testing {
namespace {

// fork + exec of `binary` with stdin from /dev/null and stdout/stderr sent to files.
pid_t spawn(const std::string& program, const std::vector<std::string>& args, const std::string& out_path,
            const std::string& err_path) {
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    const int in = ::open("/dev/null", O_RDONLY);
    const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (in < 0 || out < 0 || err < 0) _exit(126);
    dup2(in, STDIN_FILENO);
    dup2(out, STDOUT_FILENO);
    dup2(err, STDERR_FILENO);
    std::vector<char*> argv;
    std::string binary = program;
    argv.push_back(binary.data());
    std::vector<std::string> copy = args;
    for (std::string& arg : copy) argv.push_back(arg.data());
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

}  // namespace

int exit_code_of(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return -1;
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "ssokit-it-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

CommandResult run_server_command(const std::vector<std::string>& args,
                                 std::optional<std::chrono::milliseconds> timeout) {
  return run_program(SSOKIT_SERVER_BIN, args, timeout);
}

CommandResult run_program(const std::string& program, const std::vector<std::string>& args,
                          std::optional<std::chrono::milliseconds> timeout) {
  TempDir scratch;
  const std::string out_path = scratch.path() + "/out";
  const std::string err_path = scratch.path() + "/err";
  const pid_t pid = spawn(program, args, out_path, err_path);
  CommandResult result;
  int status = 0;
  if (!timeout) {
    waitpid(pid, &status, 0);
  } else {
    const auto deadline = std::chrono::steady_clock::now() + *timeout;
    while (waitpid(pid, &status, WNOHANG) != pid) {
      if (std::chrono::steady_clock::now() >= deadline) {
        ::kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        result.timed_out = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  result.exit_code = exit_code_of(status);
  result.out = read_file(out_path);
  result.err = read_file(err_path);
  return result;
}

ServerProcess::ServerProcess(std::string data_dir, std::vector<std::string> extra_args)
    : data_dir_(std::move(data_dir)) {
  std::filesystem::create_directories(data_dir_);
  static int counter = 0;
  const std::string tag = std::to_string(getpid()) + "-" + std::to_string(++counter);
  log_path_ = data_dir_ + "/../server-" + tag + ".log";
  err_path_ = data_dir_ + "/../server-" + tag + ".err";
  const std::string ready_path = data_dir_ + "/../ready-" + tag;
  std::vector<std::string> args = {"serve", "--data", data_dir_, "--listen", "127.0.0.1:0", "--ready-file", ready_path};
  // The store under test (test_store.hpp), unless the test names one itself.
  const auto named = std::find(extra_args.begin(), extra_args.end(), "--store");
  if (named == extra_args.end()) {
    store_args_ = store_args(data_dir_);
    args.insert(args.end(), store_args_.begin(), store_args_.end());
  } else if (named + 1 != extra_args.end()) {
    store_args_ = {"--store", *(named + 1)};
  }
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  pid_ = spawn(SSOKIT_SERVER_BIN, args, log_path_, err_path_);

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream ready(ready_path);
    std::string address;
    if (ready && std::getline(ready, address) && !address.empty()) {
      base_url_ = "http://" + address;
      std::filesystem::remove(ready_path);
      return;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("ssokit-server exited early: " + read_file(err_path_));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill_hard();
  throw std::runtime_error("ssokit-server did not listen within 20 s: " + read_file(err_path_));
}

ServerProcess::~ServerProcess() { kill_hard(); }

int ServerProcess::terminate(int timeout_ms) {
  if (pid_ < 0) return -1;
  ::kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return exit_code_of(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return -1;
}

void ServerProcess::kill_hard() {
  if (pid_ < 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::string ServerProcess::log() const { return read_file(log_path_); }
std::string ServerProcess::stderr_text() const { return read_file(err_path_); }

std::string ServerProcess::software_statement(const std::string& sp) const {
  std::vector<std::string> args = {"software-statement", "--data", data_dir_, "--service-provider", sp};
  args.insert(args.end(), store_args_.begin(), store_args_.end());
  const CommandResult result = run_server_command(args);
  if (result.exit_code != 0) throw std::runtime_error("software-statement failed: " + result.err);
  std::string statement = result.out;
  while (!statement.empty() && (statement.back() == '\n' || statement.back() == '\r')) statement.pop_back();
  return statement;
}

std::unique_ptr<ServerProcess> start_another_instance(const ServerProcess& first, const std::string& data_dir,
                                                      std::vector<std::string> args) {
  std::filesystem::copy(first.data_dir(), data_dir, std::filesystem::copy_options::recursive);
  std::filesystem::permissions(data_dir, std::filesystem::perms::owner_all);
  args.insert(args.end(), first.store_flags().begin(), first.store_flags().end());
  return std::make_unique<ServerProcess>(data_dir, std::move(args));
}

}  // namespace ssokit::testing
