// make_socket_transport (socket_transport.hpp). Each call is one connection, opened, used and
// closed inside send(), so the transport object holds nothing: calls from many threads share
// nothing, and a call in flight needs nothing of the object (the SDK may drop its last
// reference meanwhile). Every wait is a poll() of at most kCancelPollInterval, so the cancel
// flag is looked at that often and the deadline is kept.
#include "socket_transport.hpp"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <ssokit/transport_support.hpp>

namespace consumer {
namespace {

using ssokit::ErrorCode;
using ssokit::HttpRequest;
using ssokit::HttpResponse;
using ssokit::Status;
using ssokit::TransportCall;
using ssokit::TransportResult;
using Clock = std::chrono::steady_clock;

TransportResult failure(Status status, bool not_sent) {
  TransportResult result;
  result.status = std::move(status);
  result.not_sent = not_sent;
  return result;
}

// The connection, closed however the call ends.
class Socket {
 public:
  Socket() = default;
  ~Socket() { reset(-1); }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;

  int fd() const { return fd_; }
  void reset(int fd) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

struct Target {
  std::string host;
  std::string port;
  std::string path;  // with the query
};

// http://host[:port][/path][?query] and nothing else (no https, no user info, no IPv6
// literal); false for any other URL, which this transport cannot reach.
bool parse_url(const std::string& url, Target& target) {
  constexpr std::string_view kScheme = "http://";
  if (url.compare(0, kScheme.size(), kScheme) != 0) return false;
  const std::string rest = url.substr(kScheme.size());
  const std::size_t path_start = rest.find_first_of("/?");
  const std::string authority = rest.substr(0, path_start);
  target.path = path_start == std::string::npos ? "/" : rest.substr(path_start);
  if (target.path.front() == '?') target.path.insert(0, "/");
  const std::size_t colon = authority.find(':');
  target.host = authority.substr(0, colon);
  target.port = colon == std::string::npos ? "80" : authority.substr(colon + 1);
  return !target.host.empty() && authority.find('@') == std::string::npos && !target.port.empty() &&
         target.port.find_first_not_of("0123456789") == std::string::npos;
}

// Why the call must stop now (its cancel flag is set, its deadline passed), or OK.
Status interruption(const TransportCall& call) {
  if (call.cancelled && call.cancelled->load()) return Status(ErrorCode::kCancelled, "the call was cancelled");
  if (Clock::now() >= call.deadline) return Status(ErrorCode::kTimeout, "the deadline passed");
  return Status();
}

// Waits until the socket is ready for `events`: OK, or why the call must stop first.
Status wait_for(int fd, short events, const TransportCall& call) {
  for (;;) {
    if (Status stop = interruption(call); !stop.ok()) return stop;
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(call.deadline - Clock::now());
    const auto slice = std::min(left, std::chrono::milliseconds(ssokit::kCancelPollInterval));
    pollfd ready{fd, events, 0};
    const int count = ::poll(&ready, 1, static_cast<int>(slice.count()));
    if (count > 0) return Status();
    if (count < 0 && errno != EINTR) return Status(ErrorCode::kNetworkError, "poll() failed");
  }
}

// Connects within the call's deadline. Whatever fails here, the request was not sent.
Status connect_to(const Target& target, const TransportCall& call, Socket& socket) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* addresses = nullptr;
  // Blocking and deaf to the deadline: a real transport resolves with its platform's
  // asynchronous resolver (the contract's servers are all on 127.0.0.1).
  if (::getaddrinfo(target.host.c_str(), target.port.c_str(), &hints, &addresses) != 0) {
    return Status(ErrorCode::kNetworkError, "could not resolve the server's host name");
  }
  Status outcome(ErrorCode::kNetworkError, "could not connect to the server");
  for (const addrinfo* address = addresses; address != nullptr; address = address->ai_next) {
    socket.reset(::socket(address->ai_family, address->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                          address->ai_protocol));
    if (socket.fd() < 0) continue;
    if (::connect(socket.fd(), address->ai_addr, address->ai_addrlen) == 0) {
      outcome = Status();
      break;
    }
    if (errno != EINPROGRESS) continue;
    if (Status waited = wait_for(socket.fd(), POLLOUT, call); !waited.ok()) {
      outcome = std::move(waited);
      break;
    }
    int error = 0;
    socklen_t length = sizeof error;
    if (::getsockopt(socket.fd(), SOL_SOCKET, SO_ERROR, &error, &length) == 0 && error == 0) {
      outcome = Status();
      break;
    }
  }
  ::freeaddrinfo(addresses);
  return outcome;
}

// The request as it goes on the wire. check_request has refused anything that would not go
// out as given (line breaks in values, names that are not tokens).
std::string request_text(const HttpRequest& request, const Target& target) {
  std::string text = request.method + " " + target.path + " HTTP/1.1\r\n";
  text += "Host: " + target.host + ":" + target.port + "\r\n";
  text += "Connection: close\r\n";  // one connection per call
  for (const ssokit::HttpHeader& header : request.headers) text += header.name + ": " + header.value + "\r\n";
  if (!request.body.empty() || (request.method != "GET" && request.method != "HEAD")) {
    text += "Content-Length: " + std::to_string(request.body.size()) + "\r\n";
  }
  return text + "\r\n" + request.body;
}

Status send_all(int fd, std::string_view data, const TransportCall& call) {
  while (!data.empty()) {
    if (Status waited = wait_for(fd, POLLOUT, call); !waited.ok()) return waited;
    const ssize_t sent = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (sent < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (sent <= 0) return Status(ErrorCode::kNetworkError, "the connection broke while sending the request");
    data.remove_prefix(static_cast<std::size_t>(sent));
  }
  return Status();
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// The status line and header lines (without the blank line) into `response`; false when
// they are not HTTP/1.x.
bool parse_head(std::string_view head, HttpResponse& response) {
  const std::size_t line_end = std::min(head.find("\r\n"), head.size());
  const std::string_view status_line = head.substr(0, line_end);
  if (status_line.size() < 12 || status_line.substr(0, 7) != "HTTP/1." || status_line[8] != ' ') return false;
  const std::string_view code = status_line.substr(9, 3);
  if (code.find_first_not_of("0123456789") != std::string_view::npos) return false;
  response.status = std::stoi(std::string(code));
  head.remove_prefix(std::min(line_end + 2, head.size()));
  while (!head.empty()) {
    const std::size_t end = std::min(head.find("\r\n"), head.size());
    const std::string_view line = head.substr(0, end);
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return false;
    response.headers.push_back({std::string(line.substr(0, colon)), std::string(trim(line.substr(colon + 1)))});
    head.remove_prefix(std::min(end + 2, head.size()));
  }
  return true;
}

Status too_large() {
  return Status(ErrorCode::kNetworkError, "response too large (over " +
                                              std::to_string(ssokit::kMaxResponseBytes / (1024 * 1024)) + " MiB)");
}

// Reads the answer: the head, then the body up to its Content-Length or, without one, up to
// the end of the connection. No more than kMaxResponseBytes in all.
TransportResult receive(int fd, bool head_request, const TransportCall& call) {
  TransportResult result;
  HttpResponse& response = result.response;
  std::string bytes;
  std::size_t head_size = 0;  // up to and with the blank line, once it is here
  std::optional<std::size_t> body_size;
  char buffer[16 * 1024];
  for (;;) {
    // The request may have reached the server: every failure from here on is not_sent = false.
    if (Status waited = wait_for(fd, POLLIN, call); !waited.ok()) return failure(std::move(waited), false);
    const ssize_t got = ::recv(fd, buffer, sizeof buffer, 0);
    if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (got < 0) return failure(Status(ErrorCode::kNetworkError, "the connection broke during the answer"), false);
    bytes.append(buffer, static_cast<std::size_t>(got));
    if (bytes.size() > ssokit::kMaxResponseBytes) return failure(too_large(), false);

    if (head_size == 0) {
      const std::size_t blank = bytes.find("\r\n\r\n");
      if (blank != std::string::npos) {
        head_size = blank + 4;
        if (!parse_head(std::string_view(bytes).substr(0, blank), response) || response.status < 200) {
          return failure(Status(ErrorCode::kNetworkError, "the answer is not an HTTP/1.x answer this transport reads"),
                         false);
        }
        if (!response.header("Transfer-Encoding").empty()) {
          return failure(Status(ErrorCode::kNetworkError, "chunked answers are not supported"), false);
        }
        const std::string length = response.header("Content-Length");
        if (head_request || response.status == 204 || response.status == 304) {
          body_size = 0;
        } else if (!length.empty()) {
          if (length.find_first_not_of("0123456789") != std::string::npos || length.size() > 12) {
            return failure(Status(ErrorCode::kNetworkError, "the answer's Content-Length is not a number"), false);
          }
          body_size = static_cast<std::size_t>(std::stoull(length));
          // Refused as soon as it is announced, before the body arrives.
          if (*body_size > ssokit::kMaxResponseBytes - head_size) return failure(too_large(), false);
        }
      }
    }
    if (head_size != 0 && body_size && bytes.size() >= head_size + *body_size) {
      response.body = bytes.substr(head_size, *body_size);
      return result;
    }
    if (got == 0) {  // the server closed the connection
      if (head_size == 0 || body_size) {
        response = HttpResponse();  // a partial answer is no answer
        return failure(Status(ErrorCode::kNetworkError, "the answer did not arrive whole"), false);
      }
      response.body = bytes.substr(head_size);
      return result;
    }
  }
}

class SocketTransport final : public ssokit::HttpTransport {
 public:
  TransportResult send(const HttpRequest& request, const TransportCall& call) override {
    if (Status invalid = ssokit::check_request(request); !invalid.ok()) return failure(std::move(invalid), true);
    if (Status stop = interruption(call); !stop.ok()) return failure(std::move(stop), true);
    Target target;
    if (!parse_url(request.url, target)) {
      return failure(Status(ErrorCode::kNetworkError, "the URL is not http://host:port/path"), true);
    }
    Socket socket;
    if (Status connected = connect_to(target, call, socket); !connected.ok()) {
      return failure(std::move(connected), true);
    }
    // From here on the server may have seen the request, or part of it.
    if (Status sent = send_all(socket.fd(), request_text(request, target), call); !sent.ok()) {
      return failure(std::move(sent), false);
    }
    return receive(socket.fd(), request.method == "HEAD", call);
  }
};

}  // namespace

std::shared_ptr<ssokit::HttpTransport> make_socket_transport() { return std::make_shared<SocketTransport>(); }

}  // namespace consumer
