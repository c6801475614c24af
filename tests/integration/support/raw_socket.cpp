#include "raw_socket.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstring>
#include <stdexcept>

namespace ssokit::testing {
namespace {

using Clock = std::chrono::steady_clock;

int millis_left(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::clamp<long long>(left, 0, INT_MAX));
}

}  // namespace

RawSocket::RawSocket(int port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw std::runtime_error(std::string("socket() failed: ") + std::strerror(errno));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    const std::string why = std::strerror(errno);
    ::close(fd_);
    fd_ = -1;
    throw std::runtime_error("connect failed: " + why);
  }
  // Non-blocking from here on: every wait is a poll() with a deadline.
  ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_NONBLOCK);
}

RawSocket::~RawSocket() {
  close();
}

void RawSocket::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

RawSocket::SendResult RawSocket::send(std::string_view bytes, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!bytes.empty()) {
    if (fd_ < 0) return SendResult::kClosed;
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      pollfd p{fd_, POLLOUT, 0};
      const int wait = millis_left(deadline);
      if (wait == 0 || ::poll(&p, 1, wait) <= 0) return SendResult::kTimeout;
      continue;
    }
    return SendResult::kClosed;  // EPIPE, ECONNRESET: the server has closed
  }
  return SendResult::kSent;
}

bool RawSocket::poll_input(std::chrono::milliseconds wait) {
  const auto deadline = Clock::now() + wait;
  bool waited = false;
  bool got_some = false;
  while (!peer_closed_ && fd_ >= 0) {
    char buffer[16384];
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n > 0) {
      received_.append(buffer, static_cast<std::size_t>(n));
      got_some = true;
      continue;
    }
    if (n == 0) {
      peer_closed_ = true;
      break;
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
      peer_closed_ = true;  // a reset ends the connection too
      break;
    }
    if (waited || got_some) break;  // wait only while nothing has arrived
    const int left = millis_left(deadline);
    if (left == 0) break;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, left) <= 0) break;
    waited = true;
  }
  return !peer_closed_;
}

bool RawSocket::wait_closed(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (poll_input(std::chrono::milliseconds(millis_left(deadline)))) {
    if (millis_left(deadline) == 0) return false;
  }
  return true;
}

}  // namespace ssokit::testing
