#pragma once
// Servers on loopback for tests of transports (ssokit::transport_contract): a small HTTP
// server (local_http_server.hpp), a raw socket server for answers no correct server gives, a
// relay that counts TCP connections, a port that never answers and one where nothing listens.
// Their constructors throw std::runtime_error when the loopback interface cannot be used.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "ssokit/testing/local_http_server.hpp"

namespace ssokit::testing {

// A latch the slow handlers wait on; opened by the test (or when its owner goes).
class Gate {
 public:
  void open();
  // True when opened within `limit`.
  bool wait(std::chrono::milliseconds limit = std::chrono::seconds(10));

 private:
  std::mutex mutex_;
  std::condition_variable opened_;
  bool open_ = false;
};

// Accepts connections on 127.0.0.1 one after another and hands each to `serve` (on the
// server's thread), then closes it.
class RawServer {
 public:
  using Serve = std::function<void(int socket)>;
  explicit RawServer(Serve serve);
  ~RawServer();
  RawServer(const RawServer&) = delete;
  RawServer& operator=(const RawServer&) = delete;

  std::uint16_t port() const { return port_; }
  std::string url(const std::string& target) const;

  // Reads a request's head (up to the blank line); "" on timeout or close.
  static std::string read_head(int socket);
  // Writes all of `data`; false when the peer is gone.
  static bool send_all(int socket, std::string_view data);

 private:
  void accept_loop();

  Serve serve_;
  int listener_ = -1;
  int wake_[2] = {-1, -1};
  std::uint16_t port_ = 0;
  std::thread thread_;
};

// A TCP relay to 127.0.0.1:upstream_port that counts the connections it accepts: what the
// transport's connection reuse is measured with.
class CountingRelay {
 public:
  explicit CountingRelay(std::uint16_t upstream_port);
  ~CountingRelay();
  CountingRelay(const CountingRelay&) = delete;
  CountingRelay& operator=(const CountingRelay&) = delete;

  std::uint16_t port() const { return port_; }
  std::string url(const std::string& target) const;
  int connections() const { return connections_.load(); }

 private:
  void accept_loop();
  void pump(int client, int upstream);

  std::uint16_t upstream_port_;
  int listener_ = -1;
  int wake_[2] = {-1, -1};
  std::uint16_t port_ = 0;
  std::atomic<int> connections_{0};
  std::mutex mutex_;
  std::vector<std::thread> pumps_;
  std::thread thread_;
};

// A listening port whose accept queue is full and never drained: a new connection attempt
// gets no answer at all, like a server behind a black hole.
class StalledListener {
 public:
  StalledListener();
  ~StalledListener();
  StalledListener(const StalledListener&) = delete;
  StalledListener& operator=(const StalledListener&) = delete;

  std::string url(const std::string& target) const;

 private:
  int listener_ = -1;
  std::vector<int> fillers_;
  std::uint16_t port_ = 0;
};

// A port on 127.0.0.1 that is bound but not listening: connecting to it is refused.
class RefusingPort {
 public:
  RefusingPort();
  ~RefusingPort();
  RefusingPort(const RefusingPort&) = delete;
  RefusingPort& operator=(const RefusingPort&) = delete;

  std::string url(const std::string& target) const;

 private:
  int socket_ = -1;
  std::uint16_t port_ = 0;
};

}  // namespace ssokit::testing
