#pragma once
// A thin RAII layer over the SQLite C API for the SQLite store: one Connection per
// sqlite3*, prepared statements cached per connection, and every error turned into a
// store::StoreError carrying SQLite's own message (never a bound value: values are always
// bound, never spliced into SQL text, so an error message cannot leak a secret).
//
// A Connection is used by one thread at a time (connections are opened with
// SQLITE_OPEN_NOMUTEX; the store guarantees exclusive use).
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace ssokit::store::sqlite {

// Throws StoreError("sqlite: <what>: <sqlite message> (<code name>)").
[[noreturn]] void throw_error(sqlite3* db, int rc, std::string_view what);

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) noexcept : db_(db), stmt_(stmt) {}
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  sqlite3* db() const noexcept { return db_; }
  sqlite3_stmt* get() const noexcept { return stmt_; }
  bool in_use = false;  // a Query holds it

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

// One execution of a cached statement: bind parameters in order, step, read columns.
// Resets the statement (and clears its bindings) when it goes out of scope.
class Query {
 public:
  explicit Query(Statement& stmt);
  ~Query();
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  Query& bind(const std::string& text);
  Query& bind(std::string_view text);
  Query& bind(const char* text) { return bind(std::string_view(text)); }
  Query& bind(std::int64_t value);
  Query& bind(int value) { return bind(static_cast<std::int64_t>(value)); }

  // true: a row is available; false: done. Throws StoreError on failure.
  bool step();
  // Runs a statement that returns no rows (or ignores them) to completion.
  void run();

  std::int64_t int64(int column) const;
  std::string text(int column) const;
  bool is_null(int column) const;

 private:
  Statement& stmt_;
  int next_index_ = 1;
};

class Connection {
 public:
  enum class Mode { kWriter, kReader };

  // Opens (creating it if kWriter) the database file and applies the per-connection
  // pragmas: busy_timeout, foreign_keys; synchronous=FULL for the writer; query_only
  // for readers.
  Connection(const std::string& path, Mode mode, int busy_timeout_ms);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Executes SQL text without parameters (pragmas, schema, transaction control).
  void exec(const char* sql);
  // A query over the statement for `sql`, prepared once per connection. `sql` must be a
  // string with static storage duration (a literal): it is the cache key.
  Query query(const char* sql);
  // Rows changed by the last INSERT/UPDATE/DELETE on this connection.
  std::int64_t changes() const;
  bool in_transaction() const;
  sqlite3* raw() const noexcept { return db_; }

 private:
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string_view, std::unique_ptr<Statement>> cache_;
};

}  // namespace ssokit::store::sqlite
