#pragma once
// LISTEN for link-code changes on a connection of its own (SPEC §6.1: a held request wakes
// whichever instance the change happened on). The store's commands NOTIFY inside their
// transaction, so a notification arrives only for a committed change.
//
// A thread polls the connection's socket. When the connection breaks (a database restart),
// it reconnects with a growing pause and then reports "anything may have changed" (an empty
// hash): notifications sent while it was away are lost, so every waiter must look again.
#include <atomic>
#include <functional>
#include <string>
#include <thread>

namespace ssokit::store::postgres {

inline constexpr const char* kLinkCodeChannel = "ssokit_link_codes";

// "sp\nhash": neither part holds a newline (service providers are path segments, hashes hex).
std::string link_code_payload(const std::string& sp, const std::string& code_hash);

class LinkCodeListener {
 public:
  using OnChange = std::function<void(const std::string& sp, const std::string& code_hash)>;

  LinkCodeListener(std::string url, OnChange on_change);
  // Stops the thread (within its poll interval) and closes the connection.
  ~LinkCodeListener();
  LinkCodeListener(const LinkCodeListener&) = delete;
  LinkCodeListener& operator=(const LinkCodeListener&) = delete;

 private:
  void run();

  const std::string url_;
  const OnChange on_change_;
  std::atomic<bool> stopping_{false};
  int wake_pipe_[2] = {-1, -1};  // written by the destructor: the poll returns at once
  std::thread thread_;           // last: starts once the rest is ready
};

}  // namespace ssokit::store::postgres
