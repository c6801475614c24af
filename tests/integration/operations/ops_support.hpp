#pragma once
// Local helpers of the operations tests: a raw TCP client (for malformed and partial requests),
// log lines by trace, and HTTP dates.
#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace ssokit::testing::ops {

// ---- raw TCP --------------------------------------------------------------------------

// "http://127.0.0.1:PORT" -> PORT.
int port_of(const std::string& base_url);

// A blocking loopback TCP connection. Throws std::runtime_error when connect() fails.
class RawConnection {
 public:
  explicit RawConnection(int port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  void send_all(const std::string& bytes);
  // Reads until `marker` has been seen or the peer closes or `timeout` passes; returns all
  // bytes read so far (also those read by earlier calls).
  std::string read_until(const std::string& marker, std::chrono::milliseconds timeout);
  // Reads until the peer closes (true) or `timeout` passes (false). received() holds the bytes.
  bool read_to_eof(std::chrono::milliseconds timeout);
  const std::string& received() const { return received_; }

 private:
  // One recv() with the remaining time; 0 on EOF, -1 on timeout/error, else bytes read.
  long read_some(std::chrono::steady_clock::time_point deadline);
  int fd_ = -1;
  bool eof_ = false;
  std::string received_;
};

// True when a TCP connect to 127.0.0.1:port is refused (or otherwise fails) right now.
bool connect_refused(int port);

struct RawResponse {
  bool complete = false;  // status line, headers and exactly Content-Length body bytes
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string header(const std::string& lower_name) const;
};

// Parses one HTTP/1.1 response (with Content-Length framing) from raw bytes.
RawResponse parse_raw_response(const std::string& bytes);

// ---- logs and dates -------------------------------------------------------------------

// The log lines (raw text) that are JSON objects with "trace" equal to `trace`.
std::vector<std::string> log_lines_with_trace(const std::string& log, const std::string& trace);

// True when `text` is an RFC 7231 IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT").
bool is_imf_fixdate(const std::string& text);
// Seconds since the epoch of an IMF-fixdate (only valid when is_imf_fixdate()).
long long imf_fixdate_epoch(const std::string& text);

}  // namespace ssokit::testing::ops
