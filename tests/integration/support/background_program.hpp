#pragma once
// A program running next to the test (the phone demo waiting for a TV, the TV demo reading
// its code from stdin, ssokit-cli waiting on the server): its stdin and stdout are pipes the
// test writes and reads line by line; stderr goes to a file. Killed (SIGKILL) and reaped on
// destruction if still running, so a failed assertion never leaves a child behind.
#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "server_process.hpp"

namespace ssokit::testing {

class BackgroundProgram {
 public:
  // Starts `program` with `args`; throws std::runtime_error when it cannot.
  BackgroundProgram(const std::string& program, const std::vector<std::string>& args);
  ~BackgroundProgram();
  BackgroundProgram(const BackgroundProgram&) = delete;
  BackgroundProgram& operator=(const BackgroundProgram&) = delete;

  // Reads stdout until a whole line that starts with `prefix` arrives and returns it (without
  // its '\n'); nullopt when stdout ends or `timeout` passes first. Lines before it are kept
  // in the output (out_so_far), and the search goes on after it next time.
  std::optional<std::string> wait_for_line(const std::string& prefix, std::chrono::milliseconds timeout);

  // Writes `text` to the program's stdin (false when it has closed it), or closes stdin.
  bool write_stdin(const std::string& text);
  void close_stdin();

  // Waits until the program exits, reading the rest of stdout; SIGKILL (timed_out) after
  // `timeout`. `out` is all of stdout, `err` all of stderr. May be called again.
  CommandResult wait(std::chrono::milliseconds timeout);

  const std::string& out_so_far() const { return out_; }
  std::string err_so_far() const;
  pid_t pid() const { return pid_; }

 private:
  // Reads what stdout has within `timeout`; false at end of file.
  bool read_some(std::chrono::milliseconds timeout);
  void kill_and_reap();

  TempDir scratch_;
  std::string err_path_;
  pid_t pid_ = -1;
  int exit_code_ = -1;
  bool timed_out_ = false;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
  bool stdout_ended_ = false;
  std::string out_;
  std::size_t scanned_ = 0;  // out_ up to here was already searched by wait_for_line
};

}  // namespace ssokit::testing
