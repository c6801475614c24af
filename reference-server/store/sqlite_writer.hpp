#pragma once
// Group commit for the SQLite store: one writer thread owns the only write connection.
// Callers enqueue an operation and block until it is durable. The thread drains the queue,
// runs each queued operation inside its own SAVEPOINT within one BEGIN IMMEDIATE
// transaction (a failing operation rolls back only itself and gets its own exception),
// COMMITs once (one fsync with synchronous=FULL for the whole batch), then wakes every
// caller of the batch. A batch made only of relaxed operations (advisory state such as a
// device's lastSeen) commits with synchronous=NORMAL: no fsync, so its callers do not wait
// for the disk; in WAL mode the commit is still atomic, and the next durable commit (or a
// checkpoint) makes it durable too. A power loss may forget the last relaxed commits, never
// leave half of one.
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "store/sqlite_connection.hpp"

namespace ssokit::store::sqlite {

// How long an operation's effect must survive: kDurable ones are on disk when run() returns;
// kRelaxed ones are committed and visible, and on disk by the next durable commit.
enum class Durability { kDurable, kRelaxed };

class Writer {
 public:
  using Operation = std::function<void(Connection&)>;

  // Takes the write connection (already migrated) and starts the thread.
  Writer(std::unique_ptr<Connection> connection, std::size_t max_batch);
  // Finishes every queued operation, stops the thread, closes the connection.
  ~Writer();
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // Runs `op` on the writer thread inside a transaction and returns once that transaction
  // is committed; rethrows what `op` threw, or StoreError when the commit failed.
  void run(const Operation& op, Durability durability = Durability::kDurable);

  // Asks the thread to run a checkpoint on its connection after the batch in hand
  // (sqlite_checkpointer.hpp says why). Only a checkpoint here catches up under a steady
  // stream of writes: this is the one writer, so no frame arrives while it copies; a RESTART
  // from another thread waits for a pause between its transactions that never comes.
  void request_wal_catch_up() { wal_catch_up_wanted_.store(true, std::memory_order_relaxed); }

  std::uint64_t transactions() const { return transactions_.load(std::memory_order_relaxed); }
  std::uint64_t operations() const { return operations_.load(std::memory_order_relaxed); }

 private:
  struct Job {
    const Operation* op = nullptr;
    Durability durability = Durability::kDurable;
    std::exception_ptr error;
    bool done = false;  // guarded by mutex_
    std::condition_variable cv;
  };

  void loop();
  void execute(const std::vector<Job*>& batch);
  void use_synchronous(Durability durability);
  void catch_up_wal() noexcept;

  std::unique_ptr<Connection> db_;
  const std::size_t max_batch_;
  Durability synchronous_ = Durability::kDurable;  // what the connection's synchronous is set for
  std::mutex mutex_;
  std::condition_variable work_cv_;
  std::deque<Job*> queue_;  // guarded by mutex_
  bool stopping_ = false;   // guarded by mutex_
  std::atomic<bool> wal_catch_up_wanted_{false};
  std::atomic<std::uint64_t> transactions_{0};
  std::atomic<std::uint64_t> operations_{0};
  std::thread thread_;  // last: starts after everything above is ready
};

}  // namespace ssokit::store::sqlite
