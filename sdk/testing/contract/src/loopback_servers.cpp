#include "ssokit/testing/loopback_servers.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

#include "loopback.hpp"

namespace ssokit::testing {

void Gate::open() {
  {
    std::lock_guard lock(mutex_);
    open_ = true;
  }
  opened_.notify_all();
}

bool Gate::wait(std::chrono::milliseconds limit) {
  std::unique_lock lock(mutex_);
  return opened_.wait_for(lock, limit, [this] { return open_; });
}

RawServer::RawServer(Serve serve) : serve_(std::move(serve)) {
  listener_ = loopback::bound_socket(true, port_);
  loopback::make_pipe(wake_);
  thread_ = std::thread([this] { accept_loop(); });
}

RawServer::~RawServer() {
  (void)!::write(wake_[1], "x", 1);
  thread_.join();
  ::close(listener_);
  ::close(wake_[0]);
  ::close(wake_[1]);
}

std::string RawServer::url(const std::string& target) const {
  return loopback::url(port_, target);
}

void RawServer::accept_loop() {
  while (loopback::wait_readable(listener_, wake_[0])) {
    const int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    serve_(fd);
    ::close(fd);
  }
}

std::string RawServer::read_head(int socket) {
  std::string head;
  while (head.find("\r\n\r\n") == std::string::npos) {
    pollfd fd{socket, POLLIN, 0};
    if (::poll(&fd, 1, 5000) <= 0) return "";
    char buffer[4096];
    const ssize_t got = ::recv(socket, buffer, sizeof buffer, 0);
    if (got <= 0) return "";
    head.append(buffer, static_cast<std::size_t>(got));
  }
  return head;
}

bool RawServer::send_all(int socket, std::string_view data) { return loopback::send_all(socket, data); }

CountingRelay::CountingRelay(std::uint16_t upstream_port) : upstream_port_(upstream_port) {
  listener_ = loopback::bound_socket(true, port_);
  loopback::make_pipe(wake_);
  thread_ = std::thread([this] { accept_loop(); });
}

CountingRelay::~CountingRelay() {
  (void)!::write(wake_[1], "x", 1);  // never read: wakes the acceptor and every pump for good
  thread_.join();
  std::vector<std::thread> pumps;
  {
    std::lock_guard lock(mutex_);
    pumps.swap(pumps_);
  }
  for (std::thread& pump : pumps) pump.join();
  ::close(listener_);
  ::close(wake_[0]);
  ::close(wake_[1]);
}

std::string CountingRelay::url(const std::string& target) const {
  return loopback::url(port_, target);
}

void CountingRelay::accept_loop() {
  while (loopback::wait_readable(listener_, wake_[0])) {
    const int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    connections_.fetch_add(1);
    const int upstream = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address = loopback::address(upstream_port_);
    if (upstream < 0 || ::connect(upstream, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      if (upstream >= 0) ::close(upstream);
      ::close(client);
      continue;
    }
    std::lock_guard lock(mutex_);
    pumps_.emplace_back([this, client, upstream] { pump(client, upstream); });
  }
}

// Copies bytes both ways until either side closes or the relay stops.
void CountingRelay::pump(int client, int upstream) {
  pollfd fds[3] = {{client, POLLIN, 0}, {upstream, POLLIN, 0}, {wake_[0], POLLIN, 0}};
  char buffer[16384];
  for (bool open = true; open;) {
    const int ready = ::poll(fds, 3, -1);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0 || fds[2].revents != 0) break;
    for (int side = 0; side < 2 && open; ++side) {
      if (fds[side].revents == 0) continue;
      const ssize_t got = ::recv(fds[side].fd, buffer, sizeof buffer, 0);
      open = got > 0 && RawServer::send_all(fds[1 - side].fd, std::string_view(buffer, static_cast<std::size_t>(got)));
    }
  }
  ::close(client);
  ::close(upstream);
}

StalledListener::StalledListener() {
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address = loopback::address(0);
  if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listener_, 0) != 0) {
    throw std::runtime_error("bind()/listen() on loopback failed");
  }
  socklen_t length = sizeof address;
  ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  // Linux queues backlog + 1 connections; these fill the queue (a connect beyond it would
  // hang, hence non-blocking), and later SYNs are dropped.
  for (int i = 0; i < 2; ++i) {
    const int filler = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (filler < 0) throw std::runtime_error("socket() failed");
    fillers_.push_back(filler);
    if (::connect(filler, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 && errno != EINPROGRESS) {
      throw std::runtime_error("could not fill the accept queue");
    }
  }
}

StalledListener::~StalledListener() {
  for (int filler : fillers_) ::close(filler);
  ::close(listener_);
}

std::string StalledListener::url(const std::string& target) const {
  return loopback::url(port_, target);
}

RefusingPort::RefusingPort() {
  socket_ = loopback::bound_socket(false, port_);
}

RefusingPort::~RefusingPort() {
  ::close(socket_);
}

std::string RefusingPort::url(const std::string& target) const {
  return loopback::url(port_, target);
}

}  // namespace ssokit::testing
