#pragma once
// Connections of the PostgreSQL store: a pool of at most `size` libpq connections, opened on
// demand and dropped when broken, so the store recovers by itself when the database comes
// back. Every command runs in a transaction through run_transaction(), which retries a
// serialization failure and turns an unreachable database into StoreUnavailable.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "store/postgres_connection.hpp"

namespace ssokit::store::postgres {

struct PoolOptions {
  std::string url;
  std::size_t size = 16;                            // connections at most
  std::chrono::milliseconds acquire_timeout{5000};  // waiting for a free connection
  int connect_timeout_s = 3;                        // opening one
};

class ConnectionPool {
 public:
  explicit ConnectionPool(PoolOptions options);
  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  class Lease {
   public:
    Lease(ConnectionPool& pool, std::unique_ptr<Connection> connection)
        : pool_(pool), connection_(std::move(connection)) {}
    ~Lease() { pool_.release(std::move(connection_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Connection& operator*() const { return *connection_; }
    Connection* operator->() const { return connection_.get(); }
    // The connection failed in a way that may have broken it: close it, do not pool it.
    void discard() { connection_.reset(); }

   private:
    ConnectionPool& pool_;
    std::unique_ptr<Connection> connection_;
  };

  // A connection, waiting for a free one up to acquire_timeout. Throws StoreUnavailable when
  // none comes free in time or the database cannot be reached.
  Lease acquire();

 private:
  void release(std::unique_ptr<Connection> connection) noexcept;

  const PoolOptions options_;
  std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<Connection>> idle_;  // guarded by mutex_
  std::size_t open_ = 0;                           // idle and leased; guarded by mutex_
};

enum class Durability { kDurable, kRelaxed };
enum class Isolation { kReadCommitted, kSerializable };

// Runs `work(connection)` in one transaction and commits it; a serialization failure or a
// deadlock runs it again (a few times), a lost connection becomes StoreUnavailable. kRelaxed
// commits with synchronous_commit off: visible at once, on disk a moment later.
void run_transaction(ConnectionPool& pool, Isolation isolation, Durability durability,
                     const std::function<void(Connection&)>& work);

// The same, returning what `work` returns.
template <class F>
auto in_transaction(ConnectionPool& pool, Isolation isolation, Durability durability, F&& work) {
  using R = decltype(work(std::declval<Connection&>()));
  if constexpr (std::is_void_v<R>) {
    run_transaction(pool, isolation, durability, work);
  } else {
    std::unique_ptr<R> result;
    run_transaction(pool, isolation, durability, [&](Connection& db) { result = std::make_unique<R>(work(db)); });
    return std::move(*result);
  }
}

// One statement as its own read-committed transaction, in one round trip
// (Connection::run_as_transaction): for commands that are a single statement, such as
// checking a call. A lost connection becomes StoreUnavailable. Read committed never fails
// to serialize, so there is nothing to retry.
Rows run_statement_as_transaction(ConnectionPool& pool, Durability durability, const char* name, const char* sql,
                                  const Params& params);

// One statement outside an explicit transaction (reads, single-row writes), with the same
// handling of a lost connection.
template <class F>
auto on_connection(ConnectionPool& pool, F&& work) {
  auto lease = pool.acquire();
  try {
    return work(*lease);
  } catch (const PostgresError& e) {
    if (e.connection_lost() || !lease->healthy()) {
      lease.discard();
      throw StoreUnavailable(e.what());
    }
    throw;
  }
}

}  // namespace ssokit::store::postgres
