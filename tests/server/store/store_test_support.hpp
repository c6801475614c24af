#pragma once
// Helpers for the store tests, whatever the backend: a fresh temporary folder per test,
// record builders, and a start gate for the concurrency tests.
#include <stdlib.h>

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <string>
#include <system_error>

#include "store/records.hpp"
#include "store/store.hpp"

namespace ssokit::store::testing {

class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/ssokit-store-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline DeviceRecord device(const std::string& sp, const std::string& id, const std::string& profile,
                           Millis first_seen = 1000, DeviceType type = DeviceType::kRegular,
                           const std::string& info = "{}") {
  DeviceRecord d;
  d.service_provider = sp;
  d.device_id = id;
  d.profile_id = profile;
  d.link_id = "link:" + profile;  // a new link when the device joins another profile
  d.type = type;
  d.info_json = info;
  d.first_seen = first_seen;
  d.last_seen = first_seen;
  return d;
}

// What the service tokens of `d` carry once it is linked as `d` says.
inline DeviceLink link_of(const DeviceRecord& d) {
  return DeviceLink{d.service_provider, d.device_id, d.link_id, d.profile_id};
}

// Joins `d` with no limits, timed by its last_seen.
inline JoinOutcome join(Store& store, const DeviceRecord& d) {
  return store.join_device(d, JoinLimits{}, d.last_seen);
}

// Releases every waiting thread at once.
class StartGate {
 public:
  void wait() {
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait(lock, [this] { return open_; });
  }
  void open() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      open_ = true;
    }
    cv_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool open_ = false;
};

}  // namespace ssokit::store::testing
