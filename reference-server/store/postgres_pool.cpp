#include "store/postgres_pool.hpp"

#include <algorithm>
#include <random>
#include <thread>

namespace ssokit::store::postgres {
namespace {

// Serialization failures are expected under contention. Each retry waits a little longer,
// with jitter so that the transactions that collided do not collide again; the waits add up
// to about two seconds at most before the failure is passed on.
constexpr int kMaxAttempts = 24;
constexpr int kMaxBackoffMs = 100;

void back_off(int attempt) {
  thread_local std::minstd_rand jitter{std::random_device{}()};
  const int ceiling = std::min(kMaxBackoffMs, 1 << std::min(attempt, 10));
  std::this_thread::sleep_for(std::chrono::microseconds(
      std::uniform_int_distribution<int>(ceiling * 250, ceiling * 1000)(jitter)));
}

// Rolls back the failed transaction on the lease; a connection that cannot even do that is
// dropped.
void roll_back(ConnectionPool::Lease& lease) {
  try {
    lease->exec("ROLLBACK");
  } catch (const PostgresError&) {
    lease.discard();
  }
}

// After a statement of a transaction failed: a lost connection is dropped and becomes
// StoreUnavailable (503); any other failure leaves the connection usable once rolled back.
void settle_failure(ConnectionPool::Lease& lease, const PostgresError& failure) {
  if (failure.connection_lost() || !lease->healthy()) {
    lease.discard();
    throw StoreUnavailable(failure.what());
  }
  roll_back(lease);
}

}  // namespace

ConnectionPool::ConnectionPool(PoolOptions options) : options_(std::move(options)) {}

ConnectionPool::~ConnectionPool() = default;

ConnectionPool::Lease ConnectionPool::acquire() {
  std::unique_lock<std::mutex> lock(mutex_);
  const bool available =
      freed_.wait_for(lock, options_.acquire_timeout, [this] { return !idle_.empty() || open_ < options_.size; });
  if (!available) throw StoreUnavailable("postgresql: no free connection in the pool");
  if (!idle_.empty()) {
    std::unique_ptr<Connection> connection = std::move(idle_.back());
    idle_.pop_back();
    return Lease(*this, std::move(connection));
  }
  ++open_;
  lock.unlock();
  try {
    // Opened outside the lock: connecting takes a round trip or a timeout.
    return Lease(*this, std::make_unique<Connection>(options_.url, options_.connect_timeout_s));
  } catch (const PostgresError& e) {
    {
      std::lock_guard<std::mutex> relock(mutex_);
      --open_;
    }
    freed_.notify_one();
    throw StoreUnavailable(e.what());
  }
}

void ConnectionPool::release(std::unique_ptr<Connection> connection) noexcept {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (connection && connection->healthy()) {
      idle_.push_back(std::move(connection));
    } else {
      --open_;  // closed (or discarded): a new one may be opened in its place
    }
  }
  freed_.notify_one();
}

Rows run_statement_as_transaction(ConnectionPool& pool, Durability durability, const char* name, const char* sql,
                                  const Params& params) {
  auto lease = pool.acquire();
  try {
    return lease->run_as_transaction(name, sql, params, durability == Durability::kRelaxed);
  } catch (const PostgresError& e) {
    settle_failure(lease, e);
    throw;
  }
}

void run_transaction(ConnectionPool& pool, Isolation isolation, Durability durability,
                     const std::function<void(Connection&)>& work) {
  const char* begin =
      isolation == Isolation::kSerializable
          ? (durability == Durability::kRelaxed
                 ? "BEGIN ISOLATION LEVEL SERIALIZABLE; SET LOCAL synchronous_commit TO off"
                 : "BEGIN ISOLATION LEVEL SERIALIZABLE")
          : (durability == Durability::kRelaxed ? "BEGIN; SET LOCAL synchronous_commit TO off" : "BEGIN");
  for (int attempt = 1;; ++attempt) {
    auto lease = pool.acquire();
    try {
      lease->exec(begin);
      work(*lease);
      lease->exec("COMMIT");
      return;
    } catch (const PostgresError& e) {
      settle_failure(lease, e);
      if (!e.retryable() || attempt == kMaxAttempts) throw;
      back_off(attempt);
    } catch (...) {
      roll_back(lease);
      throw;
    }
  }
}

}  // namespace ssokit::store::postgres
