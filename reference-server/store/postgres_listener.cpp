#include "store/postgres_listener.hpp"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <stdexcept>

#include "store/postgres_connection.hpp"

namespace ssokit::store::postgres {
namespace {

constexpr int kConnectTimeoutS = 5;
constexpr int kFirstPauseMs = 100;
constexpr int kLongestPauseMs = 2000;

}  // namespace

std::string link_code_payload(const std::string& sp, const std::string& code_hash) {
  return sp + "\n" + code_hash;
}

LinkCodeListener::LinkCodeListener(std::string url, OnChange on_change)
    : url_(std::move(url)), on_change_(std::move(on_change)) {
  if (::pipe(wake_pipe_) != 0) throw StoreError("postgresql: cannot create the listener's wake-up pipe");
  thread_ = std::thread([this] { run(); });
}

LinkCodeListener::~LinkCodeListener() {
  stopping_.store(true);
  const char byte = 1;
  [[maybe_unused]] const ssize_t written = ::write(wake_pipe_[1], &byte, 1);
  thread_.join();
  ::close(wake_pipe_[0]);
  ::close(wake_pipe_[1]);
}

void LinkCodeListener::run() {
  int pause_ms = kFirstPauseMs;
  bool connected_before = false;
  // Sleeps `ms` unless the destructor wakes it; false when stopping.
  const auto pause = [this](int ms) {
    pollfd wake{wake_pipe_[0], POLLIN, 0};
    ::poll(&wake, 1, ms);
    return !stopping_.load();
  };
  while (!stopping_.load()) {
    std::unique_ptr<Connection> db;
    try {
      db = std::make_unique<Connection>(url_, kConnectTimeoutS);
      db->exec((std::string("LISTEN ") + kLinkCodeChannel).c_str());
    } catch (const std::exception&) {
      if (!pause(pause_ms)) return;
      pause_ms = std::min(pause_ms * 2, kLongestPauseMs);
      continue;
    }
    pause_ms = kFirstPauseMs;
    if (connected_before) on_change_("", "");  // what happened while away is unknown
    connected_before = true;
    for (;;) {
      pollfd fds[2] = {{db->socket(), POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
      if (::poll(fds, 2, -1) < 0) continue;  // EINTR
      if (stopping_.load()) return;
      if (!db->consume_input()) break;  // the connection broke: reconnect
      for (const Connection::Notification& n : db->take_notifications()) {
        if (n.channel != kLinkCodeChannel) continue;
        const std::size_t newline = n.payload.find('\n');
        if (newline == std::string::npos) continue;
        on_change_(n.payload.substr(0, newline), n.payload.substr(newline + 1));
      }
    }
  }
}

}  // namespace ssokit::store::postgres
