#pragma once
// A TCP relay between a client and a server, counting the connections it accepts: how many
// TCP connections the SDK opens is read off here, on loopback, in the benchmark process.
#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ssokit::bench {

class TcpRelay {
 public:
  // Relays 127.0.0.1:<ephemeral> to target_host:target_port.
  TcpRelay(std::string target_host, int target_port);
  ~TcpRelay();
  TcpRelay(const TcpRelay&) = delete;
  TcpRelay& operator=(const TcpRelay&) = delete;

  bool ok() const { return listener_ >= 0; }
  int port() const { return port_; }
  std::int64_t accepted() const { return accepted_.load(); }

 private:
  void accept_loop();
  void pipe(int client, int server);

  std::string target_host_;
  int target_port_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<std::int64_t> accepted_{0};
  std::thread acceptor_;
  std::mutex mutex_;
  std::vector<std::thread> pipes_;
};

}  // namespace ssokit::bench
