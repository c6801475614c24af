#include "api/request_log.hpp"

#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace ssokit::api {
namespace {

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
          out += escaped;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

const char* level_name(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarn: return "warn";
    case LogLevel::kError: return "error";
    case LogLevel::kOff: return "off";
  }
  return "info";
}

std::string utc_timestamp() {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const std::time_t seconds = system_clock::to_time_t(now);
  const auto millis = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[96];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(millis));
  return text;
}

}  // namespace

bool parse_log_level(std::string_view text, LogLevel& out) {
  for (LogLevel level : {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarn, LogLevel::kError, LogLevel::kOff}) {
    if (text == level_name(level)) {
      out = level;
      return true;
    }
  }
  return false;
}

void Logger::log(LogLevel level, std::string_view message, const std::vector<LogField>& fields) const {
  if (!enabled(level)) return;
  std::string line = "{\"ts\":\"" + utc_timestamp() + "\",\"level\":\"" + level_name(level) + "\",\"msg\":";
  append_json_string(line, message);
  for (const LogField& f : fields) {
    line += ',';
    append_json_string(line, f.key);
    line += ':';
    if (f.is_number) {
      line += f.value;
    } else {
      append_json_string(line, f.value);
    }
  }
  line += "}\n";
  write_line(std::move(line));
}

std::size_t Logger::pending_bytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return pending_.size();
}

void Logger::write_line(std::string line) const {
  std::unique_lock<std::mutex> lock(mutex_);
  drained_.wait(lock, [this] { return !writing_ || pending_.size() < kMaxPendingBytes; });
  pending_ += line;
  if (writing_) return;  // the thread writing now writes this line too, before it returns
  writing_ = true;
  std::string batch;
  while (!pending_.empty()) {
    batch.clear();
    batch.swap(pending_);
    drained_.notify_all();
    lock.unlock();
    const char* data = batch.data();
    std::size_t left = batch.size();
    while (left > 0) {
      const ssize_t written = ::write(fd_, data, left);
      if (written < 0 && errno == EINTR) continue;
      if (written <= 0) break;  // stdout closed or full disk: the log is best effort
      data += written;
      left -= static_cast<std::size_t>(written);
    }
    lock.lock();
  }
  writing_ = false;
  drained_.notify_all();
}

LogField field(std::string key, std::string_view value) { return {std::move(key), std::string(value), false}; }

LogField field(std::string key, double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", value);
  return {std::move(key), text, true};
}

LogField field(std::string key, long long value) { return {std::move(key), std::to_string(value), true}; }

}  // namespace ssokit::api
