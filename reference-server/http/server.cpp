// GCC 12+ warns that ThreadSanitizer does not model the std::atomic_thread_fence Asio's
// fenced_block uses (Asio's queues are mutex-protected, which TSan does model). Before any
// include: the warning is reported at the fence inside libstdc++.
#if defined(__SANITIZE_THREAD__) && defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
#pragma GCC diagnostic ignored "-Wtsan"
#endif

#include "http/server.hpp"
#include "http/ascii.hpp"
#include "http/open_files_limit.hpp"
#include "http/request_reader.hpp"

// The only translation unit that sees Beast and Asio: everything they instantiate is compiled
// once, here.
//
// Shape (after Beast's "advanced server" example): one io_context run by `threads` threads; an
// acceptor; one Session per connection, serialized by its own strand, reading into a
// beast::tcp_stream whose expiry bounds every phase:
//
//   waiting  (no byte of the next request yet)  idle_timeout; for a connection's first request
//                                                the read deadline below already applies
//   reading  (header, optional 100-continue, body) one deadline, read_timeout from the first
//                                                byte (from accept for the first request); the
//                                                bytes go through a RequestReader, which bounds
//                                                the buffer and the framing (request_reader.hpp)
//   responding (the handler, then the write)     write_timeout for the write
//   closing  (send side shut, unread input drained briefly so the peer sees our answer and not a
//             reset)                             at most kLingerTime / kLingerBytes
//
// stop(): closes the acceptor at once (under a mutex, so even with every io thread busy in a
// handler new connections are refused), asks every session to finish (waiting ones close now,
// busy ones after their current response) and arms the drain timer; when the last session is
// gone the io_context is stopped and run() joins its threads.
//
// At most max_connections sessions exist: a connection accepted beyond that is closed at once,
// without a session or an answer, and accepting goes on.

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace ssokit::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using beast::error_code;
using SteadyClock = std::chrono::steady_clock;

// After an answer that closes the connection, unread input is drained for at most this long /
// this much, so that the peer reads our answer instead of a TCP reset.
constexpr std::chrono::milliseconds kLingerTime{1000};
constexpr std::size_t kLingerBytes = 256 * 1024;
// Accept errors such as EMFILE repeat at once; wait a little before trying again.
constexpr std::chrono::milliseconds kAcceptRetryDelay{20};
constexpr std::string_view kServerName = "ssokit-server";
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

// True when the comma-separated list `value` holds `token` (case-insensitively).
bool has_token(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    const std::size_t comma = value.find(',');
    if (iequals(trim_ows(value.substr(0, comma)), token)) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

beast::string_view bview(std::string_view s) { return beast::string_view(s.data(), s.size()); }

bool is_token_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// Handler headers are copied as given, except ones that could not be sent safely.
bool sendable(const Header& h) {
  if (h.name.empty()) return false;
  if (!std::all_of(h.name.begin(), h.name.end(), is_token_char)) return false;
  return h.value.find_first_of(std::string_view("\r\n\0", 3)) == std::string::npos;
}

std::string address_text(const net::ip::address& address) {
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return net::ip::make_address_v4(net::ip::v4_mapped, address.to_v6()).to_string();
  }
  return address.to_string();
}

std::string endpoint_text(const std::string& address, std::uint16_t port) {
  const bool v6 = address.find(':') != std::string::npos;
  return (v6 ? "[" + address + "]" : address) + ":" + std::to_string(port);
}

Response plain_response(int status, std::string body) {
  Response r;
  r.status = status;
  r.set_header("Content-Type", "text/plain; charset=utf-8");
  r.body = std::move(body);
  return r;
}

// The answer when the handler throws.
Response fallback_response(RequestProblem problem) {
  switch (problem) {
    case RequestProblem::kBodyTooLarge:
      return plain_response(413, "Payload Too Large\n");
    case RequestProblem::kHeaderTooLarge:
      return plain_response(431, "Request Header Fields Too Large\n");
    case RequestProblem::kMalformed:
      return plain_response(400, "Bad Request\n");
    case RequestProblem::kNone:
      break;
  }
  return plain_response(500, "Internal Server Error\n");
}

std::chrono::milliseconds at_least_1ms(std::chrono::milliseconds d) {
  return std::max(d, std::chrono::milliseconds(1));
}

ServerOptions normalized(ServerOptions o) {
  o.threads = std::max(o.threads, 1);
  o.read_timeout = at_least_1ms(o.read_timeout);
  o.idle_timeout = at_least_1ms(o.idle_timeout);
  o.drain_timeout = at_least_1ms(o.drain_timeout);
  o.write_timeout = at_least_1ms(o.write_timeout);
  o.max_header_bytes = std::max<std::size_t>(o.max_header_bytes, 1);
  o.max_connections = std::max<std::size_t>(o.max_connections, 1);
  o.waiting_threads = std::max(o.waiting_threads, 0);
  if (o.waiting_threads == 0) o.waits = nullptr;
  return o;
}

class Session;

// Everything the server owns. Server::Impl is this; it is a separate class so that sessions
// (in this anonymous namespace) can name it.
class Core {
 public:
  Core(ServerOptions options, Handler handler)
      : options_(normalized(std::move(options))),
        handler_(std::move(handler)),
        ioc_(options_.threads),
        acceptor_(ioc_),
        accept_retry_timer_(ioc_),
        drain_timer_(ioc_) {
    if (options_.waits) waiting_pool_.emplace(static_cast<std::size_t>(options_.waiting_threads));
  }

  ~Core();
  Core(const Core&) = delete;
  Core& operator=(const Core&) = delete;

  void listen();
  std::uint16_t port() const { return port_.load(); }
  void run();
  void stop();

  const ServerOptions& options() const { return options_; }
  bool stopping() const { return stopping_.load(); }
  Response handle(const Request& request) const { return handler_(request); }
  net::io_context& io() { return ioc_; }
  // The pool for requests that wait (ServerOptions::waits), or nullptr when they run inline.
  net::thread_pool* waiting_pool(const Request& request) {
    return waiting_pool_ && options_.waits(request) ? &*waiting_pool_ : nullptr;
  }
  void session_gone(const Session* session);

 private:
  void do_accept_locked();
  void on_accept(error_code ec, tcp::socket socket);
  void on_drain_timeout(error_code ec);
  std::vector<std::shared_ptr<Session>> live_sessions();
  void run_loop();
  void finish_run();

  const ServerOptions options_;
  const Handler handler_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> destroying_{false};
  std::atomic<std::uint16_t> port_{0};

  // Declared before ioc_: handlers the io_context still holds when it is destroyed may own
  // sessions, whose destructors unregister here.
  std::mutex sessions_mutex_;
  std::unordered_map<const Session*, std::weak_ptr<Session>> sessions_;

  std::mutex run_mutex_;
  std::condition_variable run_cv_;
  bool running_ = false;

  net::io_context ioc_;
  // After ioc_: run() joins it once the io threads are done, before anything else goes.
  std::optional<net::thread_pool> waiting_pool_;

  // Guards acceptor_, accept_retry_timer_ and drain_timer_: they are used from stop() (any
  // thread) as well as from io threads.
  std::mutex control_mutex_;
  tcp::acceptor acceptor_;
  net::steady_timer accept_retry_timer_;
  net::steady_timer drain_timer_;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Core& core, std::string remote_address)
      : core_(core),
        stream_(std::move(socket)),
        reader_(ReaderLimits{core.options().max_header_bytes, core.options().max_body_bytes}),
        remote_address_(std::move(remote_address)),
        first_deadline_(SteadyClock::now() + core.options().read_timeout) {
    error_code ec;
    stream_.socket().set_option(tcp::no_delay(true), ec);  // best effort
  }

  ~Session() { core_.session_gone(this); }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void start() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::next_request, shared_from_this()));
  }

  // Both thread-safe: they hop onto the session's strand.
  void request_stop() {
    net::post(stream_.get_executor(),
              beast::bind_front_handler(&Session::on_stop_requested, shared_from_this()));
  }
  void force_close() {
    net::post(stream_.get_executor(),
              beast::bind_front_handler(&Session::close_now, shared_from_this()));
  }

 private:
  enum class Phase { kWaiting, kReading, kResponding, kClosing, kClosed };

  void next_request() {
    if (phase_ == Phase::kClosed) return;
    if (stop_requested_ || core_.stopping()) {
      // A stopping server takes no further request; one already (partly) received is dropped.
      if (reader_.buffered() == 0) {
        close_now();
      } else {
        close_gracefully();
      }
      return;
    }
    reader_.start_next();
    if (reader_.buffered() > 0) {  // pipelined: the next request has started arriving already
      start_reading();
      return;
    }
    reader_.release_memory();  // an idle connection holds no read buffer
    phase_ = Phase::kWaiting;
    if (first_request_) {
      stream_.expires_at(first_deadline_);
    } else {
      stream_.expires_after(core_.options().idle_timeout);
    }
    const RequestReader::Space space = reader_.read_space();
    stream_.async_read_some(net::buffer(space.data, space.size),
                            beast::bind_front_handler(&Session::on_first_bytes, shared_from_this()));
  }

  void on_first_bytes(error_code ec, std::size_t n) {
    if (ec || phase_ != Phase::kWaiting) {  // idle timeout, peer closed, or stop()
      close_now();
      return;
    }
    reader_.commit(n);
    start_reading();
  }

  void start_reading() {
    phase_ = Phase::kReading;
    if (first_request_) {
      stream_.expires_at(first_deadline_);
    } else {
      stream_.expires_after(core_.options().read_timeout);
    }
    // One deadline covers the header, the 100-continue and the body: no per-read refresh, so a
    // client trickling bytes is cut off all the same.
    parse();
  }

  // Feeds the reader until it has a request or a problem, or needs bytes from the socket.
  void parse() {
    switch (reader_.advance()) {
      case RequestReader::Step::kNeedMore:
        read_more();
        return;
      case RequestReader::Step::kHeaderDone:
        if (reader_.expects_continue()) {
          net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                           beast::bind_front_handler(&Session::on_continue_sent, shared_from_this()));
          return;
        }
        parse();  // recurses once at most: kHeaderDone comes once per request
        return;
      case RequestReader::Step::kComplete:
        respond(RequestProblem::kNone);
        return;
      case RequestReader::Step::kFailed:
        respond(reader_.problem());
        return;
    }
  }

  void read_more() {
    const RequestReader::Space space = reader_.read_space();
    if (space.size == 0) {  // cannot happen: the reader fails over-long framing first
      respond(RequestProblem::kHeaderTooLarge);
      return;
    }
    stream_.async_read_some(net::buffer(space.data, space.size),
                            beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  void on_read(error_code ec, std::size_t n) {
    if (ec || phase_ != Phase::kReading) {
      // Timeout, peer gone in the middle of a request, drain timeout: nobody to answer.
      close_now();
      return;
    }
    reader_.commit(n);
    parse();
  }

  void on_continue_sent(error_code ec, std::size_t) {
    if (ec) {
      close_now();
      return;
    }
    parse();
  }

  struct Answering {
    unsigned version = 11;
    bool keep_alive = false;
    bool head = false;
    RequestProblem problem = RequestProblem::kNone;
  };

  void respond(RequestProblem problem) {
    phase_ = Phase::kResponding;
    Answering answering;
    answering.version = reader_.version();
    answering.keep_alive = problem == RequestProblem::kNone && reader_.keep_alive();
    answering.problem = problem;
    Request request = reader_.take_request();
    request.remote_address = remote_address_;
    answering.head = problem == RequestProblem::kNone && request.method == "HEAD";
    net::thread_pool* pool = problem == RequestProblem::kNone ? core_.waiting_pool(request) : nullptr;
    if (pool == nullptr) {
      deliver(answering, handled(core_, request, problem));
      return;
    }
    // The handler may wait for the store: on the waiting pool, and the answer comes back to
    // this session's strand. Only the request and core_ (thread-safe) go to the pool.
    // The work guard keeps the io threads running until the answer is back.
    net::post(*pool, [self = shared_from_this(), request = std::move(request), answering,
                      work = net::make_work_guard(core_.io())]() {
      Response out = handled(self->core_, request, answering.problem);
      net::post(self->stream_.get_executor(), [self, answering, out = std::move(out)]() mutable {
        self->deliver(answering, std::move(out));
      });
    });
  }

  // On the strand: send the answer, or hold the connection until a held answer completes.
  void deliver(const Answering& answering, Response out) {
    if (!out.later) {
      send(answering, std::move(out));
      return;
    }
    // No thread waits: the continuation (holding this session and the io_context's work)
    // is all a held request costs until it completes or the connection closes (close_now()
    // abandons it).
    held_ = std::move(out.later);
    reader_.release_memory();  // held for up to a minute: keep no read buffer meanwhile
    watch_for_hang_up();
    held_->then([self = shared_from_this(), answering, work = net::make_work_guard(core_.io())](Response done) {
      net::post(self->stream_.get_executor(), [self, answering, done = std::move(done)]() mutable {
        self->held_.reset();
        error_code ignored;
        self->stream_.socket().cancel(ignored);  // the hang-up watch, if still waiting
        if (done.later) done = fallback_response(RequestProblem::kNone);  // a held answer holds no further
        self->send(answering, std::move(done));
      });
    });
  }

  // While held, nobody reads the socket: a client that gives up would keep its place (and
  // its waiter's) until the answer. Waiting for readability, without reading, tells a
  // hang-up (readable with nothing to read) from a pipelined next request (bytes that stay
  // for next_request()).
  void watch_for_hang_up() {
    stream_.socket().async_wait(tcp::socket::wait_read, [self = shared_from_this()](error_code ec) {
      if (ec || !self->held_ || self->phase_ != Phase::kResponding) return;  // answered, or closed
      error_code available_ec;
      if (self->stream_.socket().available(available_ec) == 0 || available_ec) self->close_now();
    });
  }

  static Response handled(Core& core, const Request& request, RequestProblem problem) {
    Response out;
    try {
      out = core.handle(request);
    } catch (...) {
      out = fallback_response(problem);
    }
    if (out.status < 200 || out.status > 599) out = fallback_response(RequestProblem::kNone);
    return out;
  }

  void send(const Answering& answering, Response out) {
    if (phase_ != Phase::kResponding) return;  // closed meanwhile (drain timeout, stop)
    if (out.drop) {  // asked to vanish without an answer
      close_now();
      return;
    }
    bool keep_alive = answering.keep_alive;
    response_.emplace();
    auto& res = *response_;
    res.version(answering.version);
    res.result(static_cast<unsigned>(out.status));
    bool has_date = false;
    bool has_server = false;
    for (const Header& h : out.headers) {
      if (!sendable(h)) continue;
      // Framing belongs to the server; a handler can still ask for the connection to close.
      if (iequals(h.name, "Connection")) {
        if (has_token(h.value, "close")) keep_alive = false;
        continue;
      }
      if (iequals(h.name, "Content-Length") || iequals(h.name, "Transfer-Encoding")) continue;
      has_date = has_date || iequals(h.name, "Date");
      has_server = has_server || iequals(h.name, "Server");
      res.insert(bview(h.name), bview(h.value));
    }
    if (!has_date) res.set(bhttp::field::date, http_date(std::chrono::system_clock::now()));
    if (!has_server) res.set(bhttp::field::server, bview(kServerName));
    const bool bodiless_status = out.status == 204 || out.status == 304;
    if (!bodiless_status) {
      res.content_length(static_cast<std::uint64_t>(out.body.size()));
      if (!answering.head) res.body() = std::move(out.body);
    }
    if (stop_requested_ || core_.stopping()) keep_alive = false;
    if (keep_alive) {
      res.keep_alive(true);  // adds "Connection: keep-alive" for HTTP/1.0
    } else {
      res.set(bhttp::field::connection, "close");  // explicit, whatever the version
    }

    stream_.expires_after(core_.options().write_timeout);
    bhttp::async_write(stream_, res,
                       beast::bind_front_handler(&Session::on_written, shared_from_this(), keep_alive));
  }

  void on_written(bool keep_alive, error_code ec, std::size_t) {
    response_.reset();
    if (ec) {
      close_now();
    } else if (!keep_alive) {
      close_gracefully();
    } else {
      first_request_ = false;
      next_request();
    }
  }

  void on_stop_requested() {
    stop_requested_ = true;
    // A connection waiting for its next request closes now; a busy one after its response
    // (next_request() sees stop_requested_).
    if (phase_ == Phase::kWaiting) close_now();
  }

  void close_gracefully() {
    if (phase_ == Phase::kClosed) return;
    phase_ = Phase::kClosing;
    error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) {
      close_now();
      return;
    }
    stream_.expires_after(std::min(kLingerTime, core_.options().read_timeout));
    linger();
  }

  void linger() {
    if (!linger_buffer_) linger_buffer_ = std::make_unique<std::array<char, 4096>>();
    stream_.async_read_some(net::buffer(*linger_buffer_),
                            beast::bind_front_handler(&Session::on_linger, shared_from_this()));
  }

  void on_linger(error_code ec, std::size_t n) {
    lingered_ += n;
    if (ec || lingered_ > kLingerBytes || phase_ != Phase::kClosing) {
      close_now();
      return;
    }
    linger();
  }

  void close_now() {
    phase_ = Phase::kClosed;
    if (held_) {  // nobody to answer any more: release the held answer's continuation
      held_->abandon();
      held_.reset();
    }
    error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();  // cancels whatever is pending; its handler then ends the session
  }

  Core& core_;
  beast::tcp_stream stream_;
  RequestReader reader_;
  std::optional<bhttp::response<bhttp::string_body>> response_;
  std::shared_ptr<LaterResponse> held_;  // the answer this connection waits for, while held
  const std::string remote_address_;
  const SteadyClock::time_point first_deadline_;
  Phase phase_ = Phase::kWaiting;
  bool first_request_ = true;
  bool stop_requested_ = false;
  std::size_t lingered_ = 0;
  // Only a closing connection needs it: 4 KiB less for each of the others (idle, held).
  std::unique_ptr<std::array<char, 4096>> linger_buffer_;
};

Core::~Core() {
  stop();
  {
    std::unique_lock<std::mutex> lock(run_mutex_);
    run_cv_.wait(lock, [this] { return !running_; });
  }
  destroying_.store(true);
}

void Core::listen() {
  raise_open_files_limit(options_.max_connections + kSpareDescriptors);
  std::lock_guard<std::mutex> lock(control_mutex_);
  const std::string where = endpoint_text(options_.address, options_.port);
  if (acceptor_.is_open()) throw std::runtime_error("ssokit http: already listening on " + where);
  error_code ec;
  net::ip::address address = net::ip::make_address(options_.address, ec);
  if (ec && options_.address == "localhost") {
    address = net::ip::make_address_v4("127.0.0.1");
  } else if (ec) {
    throw std::runtime_error("ssokit http: cannot listen on " + where +
                             ": the address is not an IP address");
  }
  const tcp::endpoint endpoint(address, options_.port);
  auto fail = [&](const char* what, const error_code& error) {
    error_code ignored;
    acceptor_.close(ignored);
    throw std::runtime_error("ssokit http: cannot " + std::string(what) + " " + where + ": " +
                             error.message());
  };
  acceptor_.open(endpoint.protocol(), ec);
  if (ec) fail("open a socket for", ec);
  acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (ec) fail("set SO_REUSEADDR for", ec);
  acceptor_.bind(endpoint, ec);
  if (ec) fail("bind", ec);
  acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) fail("listen on", ec);
  const tcp::endpoint bound = acceptor_.local_endpoint(ec);
  if (ec) fail("read the bound port of", ec);
  port_.store(bound.port());
}

void Core::do_accept_locked() {
  if (stopping_.load() || !acceptor_.is_open()) return;
  acceptor_.async_accept(net::make_strand(ioc_), [this](error_code ec, tcp::socket socket) {
    on_accept(ec, std::move(socket));
  });
}

void Core::on_accept(error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || stopping_.load()) return;  // `socket` closes itself
  if (ec) {
    std::lock_guard<std::mutex> lock(control_mutex_);
    if (stopping_.load()) return;
    accept_retry_timer_.expires_after(kAcceptRetryDelay);
    accept_retry_timer_.async_wait([this](error_code wait_ec) {
      if (wait_ec) return;
      std::lock_guard<std::mutex> retry_lock(control_mutex_);
      do_accept_locked();
    });
    return;
  }
  error_code peer_ec;
  const tcp::endpoint peer = socket.remote_endpoint(peer_ec);
  std::string remote = peer_ec ? std::string() : address_text(peer.address());
  std::shared_ptr<Session> session;
  {
    // Checked under the lock stop() snapshots sessions with: a session is either seen by
    // stop() or never created. Sessions still closing count: their sockets are still open.
    std::lock_guard<std::mutex> lock(sessions_mutex_);
    if (!stopping_.load() && sessions_.size() < options_.max_connections) {
      session = std::make_shared<Session>(std::move(socket), *this, std::move(remote));
      sessions_.emplace(session.get(), session);
    }
  }
  if (session) {
    session->start();
  } else {
    error_code ignored;
    socket.close(ignored);  // over the cap (or stopping): no session, no answer
  }
  std::lock_guard<std::mutex> lock(control_mutex_);
  do_accept_locked();
}

std::vector<std::shared_ptr<Session>> Core::live_sessions() {
  std::vector<std::shared_ptr<Session>> live;
  std::lock_guard<std::mutex> lock(sessions_mutex_);
  live.reserve(sessions_.size());
  for (const auto& entry : sessions_) {
    if (auto session = entry.second.lock()) live.push_back(std::move(session));
  }
  return live;
}

void Core::session_gone(const Session* session) {
  bool none_left = false;
  {
    std::lock_guard<std::mutex> lock(sessions_mutex_);
    sessions_.erase(session);
    none_left = sessions_.empty();
  }
  if (none_left && stopping_.load() && !destroying_.load()) ioc_.stop();
}

void Core::stop() {
  if (stopping_.exchange(true)) return;
  {
    std::lock_guard<std::mutex> lock(control_mutex_);
    error_code ignored;
    acceptor_.close(ignored);  // from now on connection attempts are refused
    accept_retry_timer_.cancel();
  }
  std::vector<std::shared_ptr<Session>> sessions;
  {
    std::lock_guard<std::mutex> lock(sessions_mutex_);
    if (sessions_.empty()) {
      ioc_.stop();
      return;
    }
    for (const auto& entry : sessions_) {
      if (auto session = entry.second.lock()) sessions.push_back(std::move(session));
    }
  }
  // Entries that could not be locked are being destroyed; their destructors call
  // session_gone(), which stops the io_context when they were the last ones.
  {
    std::lock_guard<std::mutex> lock(control_mutex_);
    drain_timer_.expires_after(options_.drain_timeout);
    drain_timer_.async_wait([this](error_code ec) { on_drain_timeout(ec); });
  }
  for (const auto& session : sessions) session->request_stop();
}

void Core::on_drain_timeout(error_code ec) {
  if (ec) return;
  // Whatever is still running is cut off. A handler that is blocked right now is not
  // interrupted; its session closes as soon as it returns.
  for (const auto& session : live_sessions()) session->force_close();
}

void Core::run_loop() {
  for (;;) {
    try {
      ioc_.run();
      return;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "ssokit http: unexpected exception on a server thread: %s\n", e.what());
    } catch (...) {
      std::fprintf(stderr, "ssokit http: unexpected exception on a server thread\n");
    }
  }
}

void Core::finish_run() {
  {
    std::lock_guard<std::mutex> lock(control_mutex_);
    error_code ignored;
    acceptor_.close(ignored);
    accept_retry_timer_.cancel();
  }
  // Notified under the lock: a destructor waiting for run() may destroy the condition
  // variable as soon as it can observe running_ == false.
  std::lock_guard<std::mutex> lock(run_mutex_);
  running_ = false;
  run_cv_.notify_all();
}

void Core::run() {
  {
    std::lock_guard<std::mutex> lock(run_mutex_);
    if (running_) throw std::logic_error("ssokit http: Server::run() is already running");
    running_ = true;
  }
  {
    std::lock_guard<std::mutex> lock(control_mutex_);
    if (!acceptor_.is_open() && !stopping_.load()) {
      {
        std::lock_guard<std::mutex> run_lock(run_mutex_);
        running_ = false;
        run_cv_.notify_all();
      }
      throw std::logic_error("ssokit http: Server::run() called before listen()");
    }
    do_accept_locked();
  }
  std::vector<std::thread> workers;
  try {
    for (int i = 1; i < options_.threads; ++i) workers.emplace_back([this] { run_loop(); });
  } catch (...) {
    stop();
    for (auto& worker : workers) worker.join();
    finish_run();
    throw;
  }
  run_loop();
  for (auto& worker : workers) worker.join();
  // A handler still running on the waiting pool finishes; its answer has no io thread left
  // to go to and is dropped with its session.
  if (waiting_pool_) waiting_pool_->join();
  finish_run();
}

}  // namespace

struct Server::Impl : Core {
  using Core::Core;
};

Server::Server(ServerOptions options, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

Server::~Server() = default;

void Server::listen() { impl_->listen(); }

std::uint16_t Server::port() const { return impl_->port(); }

void Server::run() { impl_->run(); }

void Server::stop() { impl_->stop(); }

}  // namespace ssokit::http
