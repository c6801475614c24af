#pragma once
// Structured logging: one JSON object per line on stdout. Callers pass only values that are
// safe to log (route patterns, statuses, codes of errors, reasons); never tokens, link codes,
// device ids, secrets or request bodies.
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

class Logger {
 public:
  explicit Logger(LogLevel level = LogLevel::kInfo) : level_(level) {}
  bool enabled(LogLevel level) const { return level >= level_ && level_ != LogLevel::kOff; }
  void log(LogLevel level, std::string_view message, const std::vector<LogField>& fields = {}) const;

 private:
  LogLevel level_;
};

LogField field(std::string key, std::string_view value);
LogField field(std::string key, double value);
LogField field(std::string key, long long value);

}  // namespace ssokit::api
