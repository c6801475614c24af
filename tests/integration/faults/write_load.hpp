#pragma once
// Load that writes: client threads that sign a new device in (its own profile, by
// X-SSO-ID) and make a link code for it, again and again, through one or more server
// instances in turn, and remember every write the server acknowledged (a 201 received in
// full). Fault tests kill things under this load and then look for every acknowledged write.
#include <atomic>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ssokit::testing {

struct AcknowledgedWrite {
  std::string device_id;      // signed in: its service token was answered
  std::string service_token;
  std::string link_code;      // "" when the link call was not acknowledged
};

class WriteLoad {
 public:
  // Starts `clients` threads against `base_urls` (each request goes to the next one, so a
  // dead instance costs a failed request, not the load); `tag` keeps device ids apart
  // between loads.
  WriteLoad(std::vector<std::string> base_urls, std::string sp, std::string access_token, int clients,
            std::string tag = "load");
  ~WriteLoad();
  WriteLoad(const WriteLoad&) = delete;
  WriteLoad& operator=(const WriteLoad&) = delete;

  // Waits until `count` sign-ins were acknowledged or `timeout_ms` passed; true if reached.
  bool wait_for_acknowledged(std::size_t count, int timeout_ms) const;
  std::size_t acknowledged() const { return acknowledged_.load(); }
  // Answers seen so far by HTTP status (0: no answer at all: refused, reset, timed out).
  std::map<long, std::size_t> statuses() const;

  // Stops the clients and returns every acknowledged write.
  std::vector<AcknowledgedWrite> stop();

 private:
  void run_client(int client);
  void count(long status);

  const std::vector<std::string> base_urls_;
  const std::string sp_;
  const std::string access_token_;
  const std::string tag_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> acknowledged_{0};
  std::atomic<std::size_t> next_target_{0};
  mutable std::mutex mutex_;
  std::vector<AcknowledgedWrite> writes_;
  std::map<long, std::size_t> statuses_;
  std::vector<std::thread> threads_;
};

// Looks for every write of `writes` through the instance at `base_url`: each device's token
// lists it, and each link code redeems (once, for a new device). Returns what is missing, as
// readable lines; empty when nothing was lost.
std::vector<std::string> find_missing_writes(const std::string& base_url, const std::string& sp,
                                             const std::string& access_token,
                                             const std::vector<AcknowledgedWrite>& writes);

}  // namespace ssokit::testing
