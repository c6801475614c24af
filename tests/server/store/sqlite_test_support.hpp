#pragma once
// Helpers for the SQLite-only tests: opening a SqliteStore, and raw SQLite access to look at
// the file behind the store's back (as another process would).
#include <sqlite3.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "store/sqlite_store.hpp"

namespace ssokit::store::testing {

inline std::unique_ptr<SqliteStore> open_sqlite(const std::string& path, int busy_timeout_ms = 5000) {
  SqliteOptions options;
  options.path = path;
  options.busy_timeout_ms = busy_timeout_ms;
  return std::make_unique<SqliteStore>(options);
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
