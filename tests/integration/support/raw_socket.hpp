#pragma once
// A loopback TCP client for attack tests (floods, smuggled framing, connection caps): unlike
// ops::RawConnection it never blocks for long on send() and never throws when the server
// answers early or closes, so a test can push megabytes in pieces and stop the moment the
// server refuses.
#include <chrono>
#include <string>
#include <string_view>

namespace ssokit::testing {

class RawSocket {
 public:
  enum class SendResult { kSent, kClosed, kTimeout };

  // Connects to 127.0.0.1:port; throws std::runtime_error when connect() fails.
  explicit RawSocket(int port);
  ~RawSocket();
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;

  // Sends all of `bytes`; kClosed when the peer closed or reset the connection first,
  // kTimeout when its receive window stayed full for `timeout`.
  SendResult send(std::string_view bytes, std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));
  // Appends what has arrived to received(), waiting up to `wait` (0: not at all) when nothing
  // has; returns false once the peer has closed (EOF or reset).
  bool poll_input(std::chrono::milliseconds wait);
  // Reads until the peer closes (true) or `timeout` passes (false).
  bool wait_closed(std::chrono::milliseconds timeout);
  // Closes our side now.
  void close();

  const std::string& received() const { return received_; }
  bool peer_closed() const { return peer_closed_; }

 private:
  int fd_ = -1;
  bool peer_closed_ = false;
  std::string received_;
};

}  // namespace ssokit::testing
