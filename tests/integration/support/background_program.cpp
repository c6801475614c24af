#include "background_program.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>
#include <thread>

#include "files.hpp"
#include "server_process.hpp"

namespace ssokit::testing {
namespace {

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

}  // namespace

BackgroundProgram::BackgroundProgram(const std::string& program, const std::vector<std::string>& args)
    : err_path_(scratch_.path() + "/err") {
  // A write to the stdin of a program that has exited must fail, not kill the test.
  ::signal(SIGPIPE, SIG_IGN);
  // Close-on-exec, so that other children (the TV demo started meanwhile) do not inherit the
  // test's ends of the pipes and keep them open.
  int in[2];
  int out[2];
  if (::pipe2(in, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  if (::pipe2(out, O_CLOEXEC) != 0) {
    ::close(in[0]);
    ::close(in[1]);
    throw std::runtime_error("pipe failed");
  }
  const pid_t pid = ::fork();
  if (pid < 0) {
    for (int fd : {in[0], in[1], out[0], out[1]}) ::close(fd);
    throw std::runtime_error("fork failed");
  }
  if (pid == 0) {
    const int err = ::open(err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (err < 0) _exit(126);
    ::dup2(in[0], STDIN_FILENO);  // dup2 clears close-on-exec on the copy
    ::dup2(out[1], STDOUT_FILENO);
    ::dup2(err, STDERR_FILENO);
    std::vector<char*> argv;
    std::string binary = program;
    argv.push_back(binary.data());
    std::vector<std::string> copy = args;
    for (std::string& arg : copy) argv.push_back(arg.data());
    argv.push_back(nullptr);
    ::execv(binary.c_str(), argv.data());
    _exit(127);
  }
  pid_ = pid;
  ::close(in[0]);
  ::close(out[1]);
  stdin_fd_ = in[1];
  stdout_fd_ = out[0];
}

BackgroundProgram::~BackgroundProgram() {
  kill_and_reap();
  close_fd(stdin_fd_);
  close_fd(stdout_fd_);
}

void BackgroundProgram::kill_and_reap() {
  if (pid_ < 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

bool BackgroundProgram::read_some(std::chrono::milliseconds timeout) {
  if (stdout_ended_) return false;
  pollfd fd{stdout_fd_, POLLIN, 0};
  const int ready = ::poll(&fd, 1, static_cast<int>(timeout.count()));
  if (ready < 0 && errno == EINTR) return true;
  if (ready <= 0) return true;  // nothing yet
  char buffer[4096];
  const ssize_t got = ::read(stdout_fd_, buffer, sizeof buffer);
  if (got < 0 && (errno == EINTR || errno == EAGAIN)) return true;
  if (got <= 0) {
    stdout_ended_ = true;
    return false;
  }
  out_.append(buffer, static_cast<std::size_t>(got));
  return true;
}

std::optional<std::string> BackgroundProgram::wait_for_line(const std::string& prefix,
                                                            std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    // Search the whole lines not searched yet.
    while (true) {
      const std::size_t end = out_.find('\n', scanned_);
      if (end == std::string::npos) break;
      std::string line = out_.substr(scanned_, end - scanned_);
      scanned_ = end + 1;
      if (line.rfind(prefix, 0) == 0) return line;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    if (!read_some(std::min(left, std::chrono::milliseconds(50)))) return std::nullopt;
  }
}

bool BackgroundProgram::write_stdin(const std::string& text) {
  std::size_t written = 0;
  while (stdin_fd_ >= 0 && written < text.size()) {
    const ssize_t wrote = ::write(stdin_fd_, text.data() + written, text.size() - written);
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote <= 0) return false;
    written += static_cast<std::size_t>(wrote);
  }
  return stdin_fd_ >= 0;
}

void BackgroundProgram::close_stdin() { close_fd(stdin_fd_); }

CommandResult BackgroundProgram::wait(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (pid_ >= 0) {
    read_some(std::chrono::milliseconds(20));  // keep the pipe drained so the program never blocks on it
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      exit_code_ = exit_code_of(status);
    } else if (std::chrono::steady_clock::now() >= deadline) {
      kill_and_reap();
      timed_out_ = true;
      exit_code_ = 128 + SIGKILL;
    }
  }
  // The program is gone: what is left in the pipe ends with end of file (bounded, in case
  // something else still holds the pipe open).
  const auto drain_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (read_some(std::chrono::milliseconds(100)) && std::chrono::steady_clock::now() < drain_deadline) {
  }
  CommandResult result;
  result.exit_code = exit_code_;
  result.timed_out = timed_out_;
  result.out = out_;
  result.err = err_so_far();
  return result;
}

std::string BackgroundProgram::err_so_far() const { return read_file(err_path_); }

}  // namespace ssokit::testing
