#pragma once
// Structured logging: one JSON object per line on stdout. Callers pass only values that are
// safe to log (route patterns, statuses, codes of errors, reasons); never tokens, link codes,
// device ids, secrets or request bodies.
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ssokit::api {

enum class LogLevel { kDebug, kInfo, kWarn, kError, kOff };

bool parse_log_level(std::string_view text, LogLevel& out);

struct LogField {
  std::string key;
  std::string value;
  bool is_number = false;
};

// Writes one JSON line per event to stdout. Lines from many threads never interleave, and no
// thread waits for another's write: a thread that finds a write in progress leaves its line
// to the writing thread, which writes whatever piled up in one more write() before it
// returns. Alone, a line is written at once; under load, many lines share one system call.
// The lines waiting are bounded (kMaxPendingBytes): when stdout stalls (a log collector that
// stopped reading), a thread with a line to add waits for the writer instead of growing the
// server's memory without end, as it would have waited in write() itself.
class Logger {
 public:
  static constexpr std::size_t kMaxPendingBytes = std::size_t{4} * 1024 * 1024;

  // `fd`: where the lines go (stdout; tests give a pipe).
  explicit Logger(LogLevel level = LogLevel::kInfo, int fd = 1) : level_(level), fd_(fd) {}
  Logger(const Logger&) = delete;
  Logger& operator=(const Logger&) = delete;
  bool enabled(LogLevel level) const { return level >= level_ && level_ != LogLevel::kOff; }
  void log(LogLevel level, std::string_view message, const std::vector<LogField>& fields = {}) const;
  // Bytes of lines waiting for the writing thread (for tests).
  std::size_t pending_bytes() const;

 private:
  void write_line(std::string line) const;

  LogLevel level_;
  int fd_;
  mutable std::mutex mutex_;
  mutable std::condition_variable drained_;  // pending_ was taken by the writer, or it stopped
  mutable std::string pending_;  // lines waiting for the writing thread; guarded by mutex_
  mutable bool writing_ = false;  // a thread is writing; guarded by mutex_
};

LogField field(std::string key, std::string_view value);
LogField field(std::string key, double value);
LogField field(std::string key, long long value);

}  // namespace ssokit::api
