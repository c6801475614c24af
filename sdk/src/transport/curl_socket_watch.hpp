#pragma once
// What curl asks a multi handle's owner to watch, through CURLMOPT_SOCKETFUNCTION and
// CURLMOPT_TIMERFUNCTION: its sockets (and for which events) and its next timeout. The curl
// transport waits on these itself and tells curl which socket became ready with
// curl_multi_socket_action, so curl does not poll the socket again before reading or
// writing: one poll() per wait instead of curl_multi_perform's extra polls, which on a VM or
// a TV are a measurable part of a call's cost.
#include <curl/curl.h>
#include <poll.h>

#include <chrono>
#include <optional>
#include <vector>

namespace ssokit::internal {

class CurlSocketWatch {
 public:
  struct Socket {
    curl_socket_t fd;
    int what;  // CURL_POLL_IN, CURL_POLL_OUT or CURL_POLL_INOUT
  };

  CurlSocketWatch() = default;
  CurlSocketWatch(const CurlSocketWatch&) = delete;
  CurlSocketWatch& operator=(const CurlSocketWatch&) = delete;

  // Registers the callbacks; this watch must outlive `multi`.
  void attach(CURLM* multi);

  // The sockets as a poll() set, rebuilt from what curl asked for last (the vector is reused,
  // so waiting allocates nothing). Curl's callbacks do not touch it: it may be walked while
  // curl_multi_socket_action runs.
  std::vector<pollfd>& poll_set();
  // Stops watching `fd`: poll() called it invalid (POLLNVAL), so it is closed already and
  // watching it would only wake the loop again and again.
  void forget(curl_socket_t fd);
  // How long until curl's timer is due (zero or less: due now); nullopt when none is set.
  std::optional<std::chrono::steady_clock::duration> timer_left(std::chrono::steady_clock::time_point now) const;

 private:
  static int on_socket(CURL* easy, curl_socket_t fd, int what, void* watch, void* socket_data);
  static int on_timer(CURLM* multi, long timeout_ms, void* watch);

  std::vector<Socket> sockets_;
  std::vector<pollfd> poll_set_;
  std::optional<std::chrono::steady_clock::time_point> timer_due_;
};

}  // namespace ssokit::internal
