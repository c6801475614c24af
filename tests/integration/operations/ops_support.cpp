#include "ops_support.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "json_text.hpp"
#include "text.hpp"

namespace ssokit::testing::ops {
namespace {

sockaddr_in loopback(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

}  // namespace

int port_of(const std::string& base_url) {
  const auto colon = base_url.rfind(':');
  if (colon == std::string::npos) throw std::runtime_error("no port in " + base_url);
  return std::stoi(base_url.substr(colon + 1));
}

RawConnection::RawConnection(int port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw std::runtime_error("socket() failed");
  const sockaddr_in address = loopback(port);
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    const std::string why = std::strerror(errno);
    ::close(fd_);
    fd_ = -1;
    throw std::runtime_error("connect failed: " + why);
  }
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}

void RawConnection::send_all(const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(std::string("send failed: ") + std::strerror(errno));
    }
    sent += static_cast<std::size_t>(n);
  }
}

long RawConnection::read_some(std::chrono::steady_clock::time_point deadline) {
  if (eof_) return 0;
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  if (left.count() <= 0) return -1;
  pollfd p{fd_, POLLIN, 0};
  const int ready = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), INT_MAX)));
  if (ready <= 0) return -1;
  char buffer[8192];
  const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
  if (n == 0) {
    eof_ = true;
    return 0;
  }
  if (n < 0) {
    // A reset counts as the end of the connection too.
    eof_ = true;
    return 0;
  }
  received_.append(buffer, static_cast<std::size_t>(n));
  return static_cast<long>(n);
}

std::string RawConnection::read_until(const std::string& marker, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (received_.find(marker) == std::string::npos) {
    if (read_some(deadline) <= 0) break;
  }
  return received_;
}

bool RawConnection::read_to_eof(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const long n = read_some(deadline);
    if (n == 0) return true;
    if (n < 0) return false;
  }
}

bool connect_refused(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  const sockaddr_in address = loopback(port);
  const bool refused = ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0;
  ::close(fd);
  return refused;
}

std::string RawResponse::header(const std::string& lower_name) const {
  const auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

RawResponse parse_raw_response(const std::string& bytes) {
  RawResponse response;
  const auto head_end = bytes.find("\r\n\r\n");
  if (head_end == std::string::npos || bytes.rfind("HTTP/1.", 0) != 0) return response;
  std::istringstream head(bytes.substr(0, head_end));
  std::string line;
  std::getline(head, line);
  if (line.size() < 12) return response;
  response.status = std::atoi(line.substr(9, 3).c_str());
  while (std::getline(head, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(value.begin());
    response.headers[to_lower(line.substr(0, colon))] = value;
  }
  const std::string rest = bytes.substr(head_end + 4);
  const std::string length = response.header("content-length");
  if (length.empty()) return response;
  const auto expected = static_cast<std::size_t>(std::stoull(length));
  response.body = rest.substr(0, expected);
  response.complete = rest.size() >= expected;
  return response;
}

std::vector<std::string> log_lines_with_trace(const std::string& log, const std::string& trace) {
  std::vector<std::string> lines;
  std::istringstream in(log);
  std::string line;
  while (std::getline(in, line)) {
    if (json_string_member(line, "trace") == trace) lines.push_back(line);
  }
  return lines;
}

bool is_imf_fixdate(const std::string& text) {
  static const std::regex pattern(
      "^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-3][0-9] (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} "
      "[0-2][0-9]:[0-5][0-9]:[0-6][0-9] GMT$");
  return std::regex_match(text, pattern);
}

long long imf_fixdate_epoch(const std::string& text) {
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::tm tm{};
  tm.tm_mday = std::atoi(text.substr(5, 2).c_str());
  const std::string month = text.substr(8, 3);
  for (int i = 0; i < 12; ++i) {
    if (month == kMonths[i]) tm.tm_mon = i;
  }
  tm.tm_year = std::atoi(text.substr(12, 4).c_str()) - 1900;
  tm.tm_hour = std::atoi(text.substr(17, 2).c_str());
  tm.tm_min = std::atoi(text.substr(20, 2).c_str());
  tm.tm_sec = std::atoi(text.substr(23, 2).c_str());
  return static_cast<long long>(timegm(&tm));
}

}  // namespace ssokit::testing::ops
