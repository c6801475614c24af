#pragma once
// Helpers for the store tests: a fresh temporary directory per test, record builders and
// raw SQLite access to look at the file behind the store's back.
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "store/records.hpp"
#include "store/sqlite_store.hpp"

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

inline std::unique_ptr<SqliteStore> open_sqlite(const std::string& path, int busy_timeout_ms = 5000) {
  SqliteOptions options;
  options.path = path;
  options.busy_timeout_ms = busy_timeout_ms;
  return std::make_unique<SqliteStore>(options);
}

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

// Joins `d` with no limits, timed by its last_seen.
inline JoinOutcome join(Store& store, const DeviceRecord& d) {
  return store.join_device(d, JoinLimits{}, d.last_seen);
}

inline LinkCodeRecord link_code(const std::string& sp, const std::string& hash, const std::string& profile,
                                Millis created_at, Millis expires_at) {
  LinkCodeRecord c;
  c.service_provider = sp;
  c.code_hash = hash;
  c.profile_id = profile;
  c.created_at = created_at;
  c.expires_at = expires_at;
  return c;
}

// A raw connection to the store's file (as another process would have).
class RawDb {
 public:
  explicit RawDb(const std::string& path, int busy_timeout_ms = 5000) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, nullptr) != SQLITE_OK) {
      throw std::runtime_error("raw open failed");
    }
    sqlite3_busy_timeout(db_, busy_timeout_ms);
  }
  ~RawDb() { sqlite3_close_v2(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  void exec(const std::string& sql) {
    char* error = nullptr;
    const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
    const std::string message = error != nullptr ? error : "";
    sqlite3_free(error);
    if (rc != SQLITE_OK) throw std::runtime_error("raw exec failed: " + message);
  }
  // The first column of the first row, as an integer.
  long long scalar(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      throw std::runtime_error("raw prepare failed: " + std::string(sqlite3_errmsg(db_)));
    }
    long long value = -1;
    if (sqlite3_step(stmt) == SQLITE_ROW) value = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return value;
  }
  std::string text(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      throw std::runtime_error("raw prepare failed: " + std::string(sqlite3_errmsg(db_)));
    }
    std::string value;
    if (sqlite3_step(stmt) == SQLITE_ROW) {
      const unsigned char* data = sqlite3_column_text(stmt, 0);
      if (data != nullptr) value = reinterpret_cast<const char*>(data);
    }
    sqlite3_finalize(stmt);
    return value;
  }

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace ssokit::store::testing
