#include "ssokit/testing/local_http_server.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <optional>

#include "loopback.hpp"

namespace ssokit::testing {
namespace {

constexpr std::size_t kMaxHeadBytes = 16 * 1024;

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

const char* reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 404: return "Not Found";
    case 413: return "Content Too Large";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Status";
  }
}

// The bytes of one connection, read as the parser asks for them.
class Reader {
 public:
  explicit Reader(int socket) : socket_(socket) {}

  // Up to and without the next "\r\n\r\n" (the head), or nullopt (closed, too large).
  std::optional<std::string> head() { return until("\r\n\r\n", kMaxHeadBytes); }
  std::optional<std::string> line() { return until("\r\n", kMaxHeadBytes); }
  std::optional<std::string> exactly(std::size_t count) {
    while (buffered_.size() < count) {
      if (!fill()) return std::nullopt;
    }
    std::string taken = buffered_.substr(0, count);
    buffered_.erase(0, count);
    return taken;
  }

 private:
  std::optional<std::string> until(std::string_view end, std::size_t limit) {
    for (;;) {
      const std::size_t at = buffered_.find(end);
      if (at != std::string::npos) {
        std::string taken = buffered_.substr(0, at);
        buffered_.erase(0, at + end.size());
        return taken;
      }
      if (buffered_.size() > limit || !fill()) return std::nullopt;
    }
  }
  bool fill() {
    char chunk[16384];
    const ssize_t got = ::recv(socket_, chunk, sizeof chunk, 0);
    if (got <= 0) return false;
    buffered_.append(chunk, static_cast<std::size_t>(got));
    return true;
  }

  int socket_;
  std::string buffered_;
};

// Parses the request line and the header fields; false when they are not HTTP/1.x.
bool parse_head(const std::string& head, ServerRequest& request, bool& http10) {
  const std::size_t line_end = std::min(head.find("\r\n"), head.size());
  const std::string_view line(head.data(), line_end);
  const std::size_t first_space = line.find(' ');
  const std::size_t last_space = line.rfind(' ');
  if (first_space == std::string_view::npos || last_space <= first_space) return false;
  request.method = std::string(line.substr(0, first_space));
  request.target = std::string(line.substr(first_space + 1, last_space - first_space - 1));
  const std::string_view version = line.substr(last_space + 1);
  if (version.substr(0, 7) != "HTTP/1.") return false;
  http10 = version == "HTTP/1.0";
  const std::size_t query_at = request.target.find('?');
  request.path = request.target.substr(0, query_at);
  request.query = query_at == std::string::npos ? "" : request.target.substr(query_at + 1);
  for (std::size_t at = line_end + 2; at < head.size();) {
    const std::size_t end = std::min(head.find("\r\n", at), head.size());
    const std::string_view field(head.data() + at, end - at);
    const std::size_t colon = field.find(':');
    if (colon == std::string_view::npos || colon == 0) return false;
    request.headers.push_back({std::string(field.substr(0, colon)), std::string(trimmed(field.substr(colon + 1)))});
    at = end + 2;
  }
  return true;
}

// A chunked body, de-chunked; nullopt when malformed or over `limit`.
std::optional<std::string> read_chunked(Reader& reader, std::size_t limit) {
  std::string body;
  for (;;) {
    const auto size_line = reader.line();
    if (!size_line) return std::nullopt;
    char* end = nullptr;
    const unsigned long long size = std::strtoull(size_line->c_str(), &end, 16);
    if (end == size_line->c_str() || size > limit - body.size()) return std::nullopt;
    if (size == 0) break;
    const auto data = reader.exactly(static_cast<std::size_t>(size));
    if (!data || !reader.exactly(2)) return std::nullopt;
    body += *data;
  }
  // Trailer fields, then the blank line that ends them.
  for (auto trailer = reader.line(); trailer; trailer = reader.line()) {
    if (trailer->empty()) return body;
  }
  return std::nullopt;
}

std::string serialize(const ServerResponse& response, bool head_request, bool close) {
  std::string out = "HTTP/1.1 " + std::to_string(response.status) + " " + reason(response.status) + "\r\n";
  for (const HttpHeader& header : response.headers) out += header.name + ": " + header.value + "\r\n";
  out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
  if (close) out += "Connection: close\r\n";
  out += "\r\n";
  if (!head_request) out += response.body;
  return out;
}

}  // namespace

const std::string* ServerRequest::header(std::string_view name) const {
  for (const HttpHeader& field : headers) {
    if (same_name(field.name, name)) return &field.value;
  }
  return nullptr;
}

LocalHttpServer::LocalHttpServer(ServerHandler handler, std::size_t max_body_bytes)
    : handler_(std::move(handler)), max_body_bytes_(max_body_bytes) {
  listener_ = loopback::bound_socket(true, port_);
  loopback::make_pipe(wake_);
  acceptor_ = std::thread([this] { accept_loop(); });
}

LocalHttpServer::~LocalHttpServer() {
  (void)!::write(wake_[1], "x", 1);
  acceptor_.join();
  std::vector<std::thread> connections;
  {
    std::lock_guard lock(mutex_);
    for (int socket : open_sockets_) ::shutdown(socket, SHUT_RDWR);  // wakes each recv()
    connections.swap(connections_);
  }
  for (std::thread& connection : connections) connection.join();
  ::close(listener_);
  ::close(wake_[0]);
  ::close(wake_[1]);
}

std::string LocalHttpServer::url(const std::string& target) const {
  return loopback::url(port_, target);
}

void LocalHttpServer::accept_loop() {
  while (loopback::wait_readable(listener_, wake_[0])) {
    const int socket = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (socket < 0) continue;
    std::lock_guard lock(mutex_);
    open_sockets_.push_back(socket);
    connections_.emplace_back([this, socket] { serve(socket); });
  }
}

void LocalHttpServer::serve(int socket) {
  Reader reader(socket);
  for (;;) {
    const auto head = reader.head();
    if (!head) break;
    ServerRequest request;
    bool http10 = false;
    if (!parse_head(*head, request, http10)) {
      loopback::send_all(socket, serialize({400, {}, "malformed request"}, false, true));
      break;
    }
    const std::string* connection = request.header("Connection");
    bool close = http10 || (connection != nullptr && same_name(*connection, "close"));
    const std::string* expect = request.header("Expect");
    if (expect != nullptr && same_name(*expect, "100-continue")) {
      loopback::send_all(socket, "HTTP/1.1 100 Continue\r\n\r\n");
    }
    const std::string* encoding = request.header("Transfer-Encoding");
    const std::string* length = request.header("Content-Length");
    std::optional<std::string> body = std::string();
    if (encoding != nullptr && same_name(*encoding, "chunked")) {
      body = read_chunked(reader, max_body_bytes_);
    } else if (length != nullptr) {
      const unsigned long long size = std::strtoull(length->c_str(), nullptr, 10);
      body = size > max_body_bytes_ ? std::nullopt : reader.exactly(static_cast<std::size_t>(size));
    }
    if (!body) {
      loopback::send_all(socket, serialize({413, {}, "request body too large or malformed"}, false, true));
      break;
    }
    request.body = std::move(*body);
    const ServerResponse response = handler_(request);
    if (!loopback::send_all(socket, serialize(response, request.method == "HEAD", close)) || close) break;
  }
  forget(socket);
}

void LocalHttpServer::forget(int socket) {
  std::lock_guard lock(mutex_);
  open_sockets_.erase(std::remove(open_sockets_.begin(), open_sockets_.end(), socket), open_sockets_.end());
  ::close(socket);  // under the lock: the destructor never shuts down a reused descriptor
}

}  // namespace ssokit::testing
