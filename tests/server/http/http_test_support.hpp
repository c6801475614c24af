#pragma once
// Helpers for the HTTP server tests: a server running on 127.0.0.1:0 in the background, a
// libcurl client, and a raw TCP socket for what curl will not send.
#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <future>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "http/server.hpp"

namespace ssokit::http::test {

using namespace std::chrono_literals;
using Millis = std::chrono::milliseconds;

inline Millis elapsed_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<Millis>(std::chrono::steady_clock::now() - start);
}

inline bool ascii_iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// A text/plain answer with `status` and `body`.
inline Response text(int status, std::string body) {
  Response r;
  r.status = status;
  r.set_header("Content-Type", "text/plain");
  r.body = std::move(body);
  return r;
}

// A Server listening on 127.0.0.1 (port 0) whose run() executes on a background thread.
class RunningServer {
 public:
  explicit RunningServer(Handler handler, ServerOptions options = {}) {
    options.address = "127.0.0.1";
    options.port = 0;
    server_ = std::make_unique<Server>(std::move(options), std::move(handler));
    server_->listen();
    std::promise<void> done;
    run_done_ = done.get_future();
    thread_ = std::thread([this, done = std::move(done)]() mutable {
      server_->run();
      done.set_value();
    });
  }
  ~RunningServer() {
    if (thread_.joinable()) {
      server_->stop();
      thread_.join();
    }
  }
  RunningServer(const RunningServer&) = delete;
  RunningServer& operator=(const RunningServer&) = delete;

  Server& server() { return *server_; }
  std::uint16_t port() const { return server_->port(); }
  std::string url(std::string_view path) const {
    return "http://127.0.0.1:" + std::to_string(port()) + std::string(path);
  }
  // True when run() returned within `timeout`; joins the thread then.
  bool wait_run_returned(Millis timeout) {
    if (run_done_.wait_for(timeout) != std::future_status::ready) return false;
    thread_.join();
    return true;
  }

 private:
  std::unique_ptr<Server> server_;
  std::future<void> run_done_;
  std::thread thread_;
};

inline void ensure_curl_initialized() {
  static const bool initialized = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  if (!initialized) throw std::runtime_error("curl_global_init failed");
}

struct CurlResult {
  CURLcode code = CURLE_OK;
  long status = 0;
  std::string body;
  std::vector<Header> headers;
  long new_connections = 0;

  const std::string* header(std::string_view name) const {
    for (const Header& h : headers) {
      if (ascii_iequals(h.name, name)) return &h.value;
    }
    return nullptr;
  }
};

// One curl easy handle: consecutive requests reuse its connection when the server allows.
class CurlClient {
 public:
  CurlClient() {
    ensure_curl_initialized();
    easy_ = curl_easy_init();
    if (easy_ == nullptr) throw std::runtime_error("curl_easy_init failed");
  }
  ~CurlClient() { curl_easy_cleanup(easy_); }
  CurlClient(const CurlClient&) = delete;
  CurlClient& operator=(const CurlClient&) = delete;

  CURL* handle() { return easy_; }

  CurlResult request(const std::string& method, const std::string& url,
                     const std::optional<std::string>& body = std::nullopt,
                     const std::vector<std::string>& headers = {}, long timeout_ms = 10000) {
    CurlResult result;
    curl_easy_reset(easy_);
    curl_easy_setopt(easy_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(easy_, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(easy_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy_, CURLOPT_WRITEFUNCTION, &CurlClient::on_body);
    curl_easy_setopt(easy_, CURLOPT_WRITEDATA, &result.body);
    curl_easy_setopt(easy_, CURLOPT_HEADERFUNCTION, &CurlClient::on_header);
    curl_easy_setopt(easy_, CURLOPT_HEADERDATA, &result.headers);
    if (method == "HEAD") {
      curl_easy_setopt(easy_, CURLOPT_NOBODY, 1L);
    } else if (method != "GET") {
      curl_easy_setopt(easy_, CURLOPT_CUSTOMREQUEST, method.c_str());
    }
    if (body) {
      curl_easy_setopt(easy_, CURLOPT_POSTFIELDS, body->data());
      curl_easy_setopt(easy_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
    }
    curl_slist* list = nullptr;
    for (const std::string& h : headers) list = curl_slist_append(list, h.c_str());
    curl_easy_setopt(easy_, CURLOPT_HTTPHEADER, list);
    extra_options_(easy_);
    result.code = curl_easy_perform(easy_);
    curl_slist_free_all(list);
    curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &result.status);
    curl_easy_getinfo(easy_, CURLINFO_NUM_CONNECTS, &result.new_connections);
    return result;
  }

  // Applied to every request after the defaults.
  void set_extra_options(void (*apply)(CURL*)) { extra_options_ = apply; }

 private:
  static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
  }
  static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
    std::string_view line(data, size * count);
    auto* headers = static_cast<std::vector<Header>*>(user);
    if (line.rfind("HTTP/", 0) == 0) headers->clear();  // a new response (e.g. after 100)
    const std::size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
      while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
        value.remove_suffix(1);
      }
      headers->push_back(Header{std::string(line.substr(0, colon)), std::string(value)});
    }
    return size * count;
  }

  CURL* easy_ = nullptr;
  void (*extra_options_)(CURL*) = [](CURL*) {};
};

// errno of a connect() to 127.0.0.1:port, 0 when it succeeded.
inline int connect_errno(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return errno;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const int rc = ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
  const int error = rc == 0 ? 0 : errno;
  ::close(fd);
  return error;
}

// A plain blocking TCP client, for bytes curl would never send.
class RawSocket {
 public:
  explicit RawSocket(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) throw std::runtime_error("socket() failed");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd_);
      throw std::runtime_error("connect() failed");
    }
  }
  ~RawSocket() { ::close(fd_); }
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;

  // False when the peer has closed or reset the connection.
  bool send(std::string_view data) {
    while (!data.empty()) {
      const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  // Waits up to `timeout` for data; appends what arrives to `received_`. Returns false when the
  // peer closed (EOF or reset).
  bool receive_once(Millis timeout) {
    pollfd p{fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(timeout.count()));
    if (ready <= 0) return true;  // nothing yet
    char buf[16384];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) {
      closed_ = true;
      return false;
    }
    received_.append(buf, static_cast<std::size_t>(n));
    return true;
  }

  // Reads until the peer closes or `timeout` passes; true when it closed.
  bool wait_closed(Millis timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!closed_) {
      const auto left = std::chrono::duration_cast<Millis>(deadline - std::chrono::steady_clock::now());
      if (left <= Millis(0)) return false;
      receive_once(left);
    }
    return true;
  }

  // The next complete response (header + Content-Length body) from the stream, or nullopt.
  std::optional<std::string> read_response(Millis timeout = 5000ms) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      if (auto response = take_response()) return response;
      if (closed_) return std::nullopt;
      const auto left = std::chrono::duration_cast<Millis>(deadline - std::chrono::steady_clock::now());
      if (left <= Millis(0)) return std::nullopt;
      receive_once(left);
    }
  }

  bool closed() const { return closed_; }
  const std::string& pending() const { return received_; }

 private:
  std::optional<std::string> take_response() {
    const std::size_t end = received_.find("\r\n\r\n");
    if (end == std::string::npos) return std::nullopt;
    std::size_t length = 0;
    const std::string head = received_.substr(0, end);
    std::size_t pos = 0;
    while (pos < head.size()) {
      std::size_t eol = head.find("\r\n", pos);
      if (eol == std::string::npos) eol = head.size();
      const std::string line = head.substr(pos, eol - pos);
      const std::size_t colon = line.find(':');
      if (colon != std::string::npos && ascii_iequals(line.substr(0, colon), "content-length")) {
        length = std::stoul(line.substr(colon + 1));
      }
      pos = eol + 2;
    }
    if (head.rfind("HTTP/1.1 1", 0) == 0) length = 0;  // an interim response
    if (received_.size() < end + 4 + length) return std::nullopt;
    std::string response = received_.substr(0, end + 4 + length);
    received_.erase(0, end + 4 + length);
    return response;
  }

  int fd_ = -1;
  bool closed_ = false;
  std::string received_;
};

// The status code of a raw response ("HTTP/1.1 200 OK..." -> 200), 0 when unparseable.
inline int status_of(const std::string& response) {
  if (response.size() < 12 || response.rfind("HTTP/1.", 0) != 0) return 0;
  return std::stoi(response.substr(9, 3));
}

// The value of a header in a raw response, nullopt when absent.
inline std::optional<std::string> header_of(const std::string& response, std::string_view name) {
  const std::size_t end = response.find("\r\n\r\n");
  std::size_t pos = response.find("\r\n");
  while (pos != std::string::npos && pos < end) {
    const std::size_t start = pos + 2;
    const std::size_t eol = response.find("\r\n", start);
    const std::string line = response.substr(start, eol - start);
    const std::size_t colon = line.find(':');
    if (colon != std::string::npos && ascii_iequals(line.substr(0, colon), name)) {
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      return value;
    }
    pos = eol;
  }
  return std::nullopt;
}

inline std::string body_of(const std::string& response) {
  const std::size_t end = response.find("\r\n\r\n");
  return end == std::string::npos ? std::string() : response.substr(end + 4);
}

}  // namespace ssokit::http::test
