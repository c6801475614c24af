#include "store/sqlite_connection.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <string>

#include "store/store.hpp"

namespace ssokit::store::sqlite {

namespace {

// SQLITE_TRANSIENT without the old-style cast of the C macro: SQLite copies the bytes.
const sqlite3_destructor_type kTransient =
    reinterpret_cast<sqlite3_destructor_type>(static_cast<std::intptr_t>(-1));

}  // namespace

void throw_error(sqlite3* db, int rc, std::string_view what) {
  std::string message = "sqlite: ";
  message += what;
  message += ": ";
  // The connection's message is the most precise one ("UNIQUE constraint failed: t.c"),
  // but only when it belongs to this error.
  if (db != nullptr && (sqlite3_errcode(db) & 0xff) == (rc & 0xff)) {
    message += sqlite3_errmsg(db);
    rc = sqlite3_extended_errcode(db);
  } else {
    message += sqlite3_errstr(rc);
  }
  message += " (code " + std::to_string(rc) + ")";
  throw StoreError(message);
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Query::Query(Statement& stmt) : stmt_(stmt) {
  if (stmt_.in_use) {
    throw StoreError("sqlite: internal error: a cached statement is used twice at once");
  }
  stmt_.in_use = true;
}

Query::~Query() {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
  stmt_.in_use = false;
}

Query& Query::bind(const std::string& text) { return bind(std::string_view(text)); }

Query& Query::bind(std::string_view text) {
  const int rc = sqlite3_bind_text64(stmt_.get(), next_index_, text.data(),
                                     static_cast<sqlite3_uint64>(text.size()), kTransient, SQLITE_UTF8);
  if (rc != SQLITE_OK) throw_error(stmt_.db(), rc, "bind");
  ++next_index_;
  return *this;
}

Query& Query::bind(std::int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_.get(), next_index_, static_cast<sqlite3_int64>(value));
  if (rc != SQLITE_OK) throw_error(stmt_.db(), rc, "bind");
  ++next_index_;
  return *this;
}

bool Query::step() {
  const int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  // The SQL text has only placeholders, never values.
  throw_error(stmt_.db(), rc, std::string("step ") + sqlite3_sql(stmt_.get()));
}

void Query::run() {
  while (step()) {
  }
}

std::int64_t Query::int64(int column) const {
  return static_cast<std::int64_t>(sqlite3_column_int64(stmt_.get(), column));
}

std::string Query::text(int column) const {
  const unsigned char* data = sqlite3_column_text(stmt_.get(), column);
  const int size = sqlite3_column_bytes(stmt_.get(), column);
  if (data == nullptr || size <= 0) return std::string();
  return std::string(reinterpret_cast<const char*>(data), static_cast<std::size_t>(size));
}

bool Query::is_null(int column) const { return sqlite3_column_type(stmt_.get(), column) == SQLITE_NULL; }

Connection::Connection(const std::string& path, Mode mode, int busy_timeout_ms) {
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (mode == Mode::kWriter) flags |= SQLITE_OPEN_CREATE;
  const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    // The path is configuration, not a secret: name it so the operator can act.
    std::string what = "open " + path;
    sqlite3* failed = db_;
    db_ = nullptr;
    try {
      throw_error(failed, rc, what);
    } catch (...) {
      sqlite3_close_v2(failed);
      throw;
    }
  }
  try {
    sqlite3_extended_result_codes(db_, 1);
    const int timeout_rc = sqlite3_busy_timeout(db_, busy_timeout_ms > 0 ? busy_timeout_ms : 0);
    if (timeout_rc != SQLITE_OK) throw_error(db_, timeout_rc, "busy_timeout");
    exec("PRAGMA foreign_keys = ON");
    if (mode == Mode::kWriter) {
      exec("PRAGMA synchronous = FULL");
    } else {
      exec("PRAGMA query_only = ON");
    }
  } catch (...) {
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw;
  }
}

Connection::~Connection() {
  cache_.clear();  // finalize every statement before closing
  sqlite3_close_v2(db_);
}

void Connection::exec(const char* sql) {
  char* error = nullptr;
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &error);
  sqlite3_free(error);  // sqlite3_errmsg(db_) still holds the same text
  if (rc != SQLITE_OK) throw_error(db_, rc, sql);
}

Query Connection::query(const char* sql) {
  auto it = cache_.find(std::string_view(sql));
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) {
      sqlite3_finalize(stmt);
      throw_error(db_, rc, std::string("prepare ") + sql);
    }
    it = cache_.emplace(std::string_view(sql), std::make_unique<Statement>(db_, stmt)).first;
  }
  return Query(*it->second);
}

std::int64_t Connection::changes() const { return static_cast<std::int64_t>(sqlite3_changes(db_)); }

bool Connection::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

}  // namespace ssokit::store::sqlite
