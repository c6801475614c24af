#include "transport/curl_socket_watch.hpp"

#include <algorithm>

namespace ssokit::internal {

void CurlSocketWatch::attach(CURLM* multi) {
  curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, &CurlSocketWatch::on_socket);
  curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, static_cast<void*>(this));
  curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, &CurlSocketWatch::on_timer);
  curl_multi_setopt(multi, CURLMOPT_TIMERDATA, static_cast<void*>(this));
}

std::vector<pollfd>& CurlSocketWatch::poll_set() {
  poll_set_.clear();
  for (const Socket& socket : sockets_) {
    pollfd entry{};
    entry.fd = socket.fd;
    entry.events = static_cast<short>(((socket.what & CURL_POLL_IN) != 0 ? POLLIN : 0) |
                                      ((socket.what & CURL_POLL_OUT) != 0 ? POLLOUT : 0));
    poll_set_.push_back(entry);
  }
  return poll_set_;
}

void CurlSocketWatch::forget(curl_socket_t fd) {
  sockets_.erase(std::remove_if(sockets_.begin(), sockets_.end(), [fd](const Socket& s) { return s.fd == fd; }),
                 sockets_.end());
}

std::optional<std::chrono::steady_clock::duration> CurlSocketWatch::timer_left(
    std::chrono::steady_clock::time_point now) const {
  if (!timer_due_) return std::nullopt;
  return *timer_due_ - now;
}

int CurlSocketWatch::on_socket(CURL* /*easy*/, curl_socket_t fd, int what, void* watch, void* /*socket_data*/) {
  auto& sockets = static_cast<CurlSocketWatch*>(watch)->sockets_;
  const auto same = std::find_if(sockets.begin(), sockets.end(), [fd](const Socket& s) { return s.fd == fd; });
  if (what == CURL_POLL_REMOVE) {
    if (same != sockets.end()) sockets.erase(same);
  } else if (same != sockets.end()) {
    same->what = what;
  } else {
    sockets.push_back({fd, what});
  }
  return 0;
}

int CurlSocketWatch::on_timer(CURLM* /*multi*/, long timeout_ms, void* watch) {
  auto& due = static_cast<CurlSocketWatch*>(watch)->timer_due_;
  if (timeout_ms < 0) {
    due.reset();  // curl has no timeout pending
  } else {
    due = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  }
  return 0;
}

}  // namespace ssokit::internal
