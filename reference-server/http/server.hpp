#pragma once
// The HTTP/1.1 server of ssokit-server, on Boost.Beast: several threads, keep-alive,
// bounded header and body sizes, read and idle timeouts, and a graceful drain.
// Beast types never leave http/*.cpp.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "http/message.hpp"

namespace ssokit::http {

// Called on a server thread for every request; may block (the store is synchronous).
// Must not throw; the server answers a bare 500 if it does.
using Handler = std::function<Response(const Request&)>;

// Which requests run on the waiting pool instead of an io thread (ServerOptions::waits).
using WaitPredicate = std::function<bool(const Request&)>;

struct ServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: pick a free port (see Server::port())
  int threads = 4;
  // Requests for which `waits` is true (those that wait for a durable commit) run on a pool
  // of `waiting_threads` threads, and their answer goes back to the io threads: io threads
  // keep serving other requests meanwhile, and as many requests as the pool holds wait for
  // the same group commit. Without `waits` (or with 0 threads) every request runs on an io
  // thread.
  WaitPredicate waits;
  int waiting_threads = 0;
  // The framing budget of one request: request line, headers, chunk-size lines with their
  // extensions, CRLFs between chunks and trailers together (SPEC §2; see request_reader.hpp).
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 64 * 1024;
  // Open connections at most; beyond it a new connection is closed at once (SPEC §2). listen()
  // raises the soft RLIMIT_NOFILE toward the hard limit so that this many fit.
  std::size_t max_connections = 10000;
  std::chrono::milliseconds read_timeout{15000};   // a whole request must arrive within this
  std::chrono::milliseconds idle_timeout{60000};   // keep-alive connections idle longer are closed
  std::chrono::milliseconds drain_timeout{10000};  // in-flight requests get this long on stop()
  std::chrono::milliseconds write_timeout{15000};  // a whole response must be sent within this
};

class Server {
 public:
  Server(ServerOptions options, Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens; throws std::runtime_error with a clear message when it cannot.
  void listen();
  // The bound port (after listen()).
  std::uint16_t port() const;
  // Serves on `threads` threads (the calling one included) until stop() completes the drain;
  // returns then, with every thread joined. Throws std::logic_error before listen().
  void run();
  // Thread-safe and async-signal-free: stops accepting, lets in-flight requests finish
  // (up to drain_timeout), closes idle keep-alive connections, then run() returns.
  // Not async-signal-safe (it locks and allocates): call it from an ordinary thread, e.g. one
  // waiting in sigwait(), never from inside a signal handler. Idempotent; may precede run().
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ssokit::http
