#pragma once
// The real ssokit-server binary, started on a free loopback port with its own data folder
// and store (a real SQLite file, or a real PostgreSQL schema: test_store.hpp), for
// integration tests.
#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ssokit::testing {

// A fresh temporary folder, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct CommandResult {
  int exit_code = -1;  // 128+N when killed by signal N
  bool timed_out = false;
  std::string out;
  std::string err;
};

// A waitpid() status as an exit code: the code of a normal exit, 128+N when killed by signal N.
int exit_code_of(int wait_status);

// Runs ssokit-server with `args` to completion (for software-statement and flag errors);
// with a `timeout`, kills it (and reports timed_out) when it runs longer.
CommandResult run_server_command(const std::vector<std::string>& args,
                                 std::optional<std::chrono::milliseconds> timeout = std::nullopt);
// Runs any program (for example ssokit-cli) the same way.
CommandResult run_program(const std::string& program, const std::vector<std::string>& args,
                          std::optional<std::chrono::milliseconds> timeout = std::nullopt);

class ServerProcess {
 public:
  // Starts `ssokit-server serve --data DATA --listen 127.0.0.1:0 <store> <extra args>` and
  // waits until it listens; <store> is store_args(DATA) unless `extra_args` has a --store. Throws std::runtime_error (with the server's stderr) if it does not.
  ServerProcess(std::string data_dir, std::vector<std::string> extra_args = {});
  ~ServerProcess();  // SIGKILL if still running
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  const std::string& base_url() const { return base_url_; }  // http://127.0.0.1:PORT
  const std::string& data_dir() const { return data_dir_; }
  // {"--store", URL} when the server was started on a store named by URL, else nothing.
  const std::vector<std::string>& store_flags() const { return store_args_; }
  pid_t pid() const { return pid_; }

  // Sends SIGTERM and waits (up to `timeout_ms`); returns the exit status (-1 on timeout,
  // 128+N when killed by signal N).
  int terminate(int timeout_ms = 15000);
  // SIGKILL: a crash, nothing drained.
  void kill_hard();
  // Everything the server printed on stdout so far (its JSON log lines).
  std::string log() const;
  std::string stderr_text() const;

  // A software statement for `sp`, made with the same data folder and store (works while
  // running).
  std::string software_statement(const std::string& sp) const;

 private:
  std::string data_dir_;
  std::vector<std::string> store_args_;  // the --store the server was started with, if any
  std::string log_path_;
  std::string err_path_;
  std::string base_url_;
  pid_t pid_ = -1;
};

// Another instance on the same store as `first`, as an operator adds one: a copy of first's
// data folder (the pepper) at `data_dir`, started with first's --store and `args`. Only
// meaningful on PostgreSQL.
std::unique_ptr<ServerProcess> start_another_instance(const ServerProcess& first, const std::string& data_dir,
                                                      std::vector<std::string> args);

}  // namespace ssokit::testing
