#pragma once
// Local helpers of the operations tests: a raw TCP client (for malformed and partial requests),
// a runner with a time limit for the server binary, JSON/JWT/Prometheus/log helpers.
#include <chrono>
#include <map>
#include <optional>
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

// ---- the server binary ------------------------------------------------------------------

// The absolute path of the ssokit-server binary the harness runs (found from a running
// ServerProcess's /proc/PID/exe, started once per test process).
const std::string& server_binary();

struct TimedResult {
  int exit_code = -1;  // 128+N when killed by signal N
  bool timed_out = false;
  std::string out;
  std::string err;
};

// Runs ssokit-server with `args`; kills it (and reports timed_out) after `timeout`.
TimedResult run_server_timed(const std::vector<std::string>& args,
                             std::chrono::milliseconds timeout = std::chrono::milliseconds(8000));

// Number of lines in `text` (a last line without '\n' counts too).
std::size_t line_count(const std::string& text);

// ---- JSON, JWT, Prometheus, logs ------------------------------------------------------------

std::string base64url_decode(const std::string& text);
// The decoded JSON header of a compact JWS/JWT ("" when malformed).
std::string jwt_header_json(const std::string& compact);

// A string member of a JSON object text; nullopt when absent or not a string.
std::optional<std::string> json_string_member(const std::string& object_json, const std::string& name);

// The objects of the "keys" array of a JWKS, each printed as JSON text.
std::vector<std::string> jwks_keys(const std::string& jwks_json);
// Member names of a JSON object text.
std::vector<std::string> json_member_names(const std::string& object_json);

// The value of the Prometheus sample whose name-and-labels text is exactly `series`
// (e.g. `ssokit_http_requests_total{route="/x",status="200"}`); nullopt when absent.
std::optional<double> metric_value(const std::string& exposition, const std::string& series);

// The log lines (raw text) that are JSON objects with "trace" equal to `trace`.
std::vector<std::string> log_lines_with_trace(const std::string& log, const std::string& trace);

// True when `text` is an RFC 7231 IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT").
bool is_imf_fixdate(const std::string& text);
// Seconds since the epoch of an IMF-fixdate (only valid when is_imf_fixdate()).
long long imf_fixdate_epoch(const std::string& text);

std::string to_lower(std::string text);

}  // namespace ssokit::testing::ops
