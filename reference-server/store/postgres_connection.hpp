#pragma once
// A thin RAII layer over libpq for the PostgreSQL store: one Connection per PGconn, statements
// prepared once per connection by name, parameters always bound (never spliced into SQL, so
// an error message never carries a value), every failure turned into a StoreError with
// PostgreSQL's own message and SQLSTATE.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "store/store.hpp"

struct pg_conn;
struct pg_result;

namespace ssokit::store::postgres {

// A failure PostgreSQL reported, with its SQLSTATE (e.g. "40001" serialization failure).
class PostgresError : public StoreError {
 public:
  PostgresError(const std::string& message, std::string sqlstate)
      : StoreError(message), sqlstate_(std::move(sqlstate)) {}
  const std::string& sqlstate() const { return sqlstate_; }
  // Serialization failure or deadlock: the transaction may simply be run again.
  bool retryable() const { return sqlstate_ == "40001" || sqlstate_ == "40P01"; }
  // The connection is gone (server restart, network): open a new one.
  bool connection_lost() const { return sqlstate_.rfind("08", 0) == 0 || sqlstate_.empty(); }

 private:
  std::string sqlstate_;
};

// One statement's parameters, in order; nullopt is SQL NULL. Numbers go as text, as libpq's
// text format wants them.
class Params {
 public:
  Params& add(std::string_view text);
  Params& add(const char* text) { return add(std::string_view(text)); }
  Params& add(const std::string& text) { return add(std::string_view(text)); }
  Params& add(std::int64_t value);
  Params& add(int value) { return add(static_cast<std::int64_t>(value)); }
  Params& add_null();

  int size() const { return static_cast<int>(values_.size()); }
  std::vector<const char*> pointers() const;

 private:
  std::vector<std::optional<std::string>> values_;
};

// The rows of one statement, in text format.
class Rows {
 public:
  explicit Rows(pg_result* result);
  ~Rows();
  Rows(Rows&& other) noexcept;
  Rows& operator=(Rows&&) = delete;
  Rows(const Rows&) = delete;
  Rows& operator=(const Rows&) = delete;

  int count() const;
  bool empty() const { return count() == 0; }
  std::string text(int row, int column) const;
  std::int64_t int64(int row, int column) const;
  bool is_null(int row, int column) const;
  // Rows changed by an INSERT, UPDATE or DELETE.
  std::int64_t affected() const;

 private:
  pg_result* result_;
};

class Connection {
 public:
  // Connects with a libpq connection URI; throws PostgresError (the message never repeats
  // the URI: it may hold a password). `connect_timeout_s` bounds the attempt.
  Connection(const std::string& url, int connect_timeout_s);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // SQL without parameters (transaction control, schema).
  void exec(const char* sql);
  // A statement prepared on this connection under `name` the first time it runs. `sql` must
  // be the same text for the same name (a literal).
  Rows run(const char* name, const char* sql, const Params& params);
  // `run` as a whole read-committed transaction in one round trip (libpq pipeline mode):
  // BEGIN, SET LOCAL synchronous_commit TO off when `relaxed`, the statement (prepared on
  // first use) and COMMIT go out together, their answers come back together. Throws
  // PostgresError for the first error; the transaction is then rolled back (the caller
  // sends ROLLBACK as after any failed transaction).
  Rows run_as_transaction(const char* name, const char* sql, const Params& params, bool relaxed);
  // Whether the connection still works (a broken one is dropped by the pool).
  bool healthy() const;

  // For LISTEN (postgres_listener.hpp): the socket to poll for input, reading what arrived
  // (false when the connection broke), and the notifications read so far.
  struct Notification {
    std::string channel;
    std::string payload;
  };
  int socket() const;
  bool consume_input();
  std::vector<Notification> take_notifications();

 private:
  pg_conn* conn_ = nullptr;
  std::unordered_set<std::string> prepared_;
};

}  // namespace ssokit::store::postgres
