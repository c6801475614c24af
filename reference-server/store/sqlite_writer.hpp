#pragma once
// Group commit for the SQLite store: one writer thread owns the only write connection.
// Callers enqueue an operation and block until it is durable. The thread drains the queue,
// runs each queued operation inside its own SAVEPOINT within one BEGIN IMMEDIATE
// transaction (a failing operation rolls back only itself and gets its own exception),
// COMMITs once (one fsync with synchronous=FULL for the whole batch), then wakes every
// caller of the batch.
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
  void run(const Operation& op);

  std::uint64_t transactions() const { return transactions_.load(std::memory_order_relaxed); }
  std::uint64_t operations() const { return operations_.load(std::memory_order_relaxed); }

 private:
  struct Job {
    const Operation* op = nullptr;
    std::exception_ptr error;
    bool done = false;  // guarded by mutex_
    std::condition_variable cv;
  };

  void loop();
  void execute(const std::vector<Job*>& batch);

  std::unique_ptr<Connection> db_;
  const std::size_t max_batch_;
  std::mutex mutex_;
  std::condition_variable work_cv_;
  std::deque<Job*> queue_;  // guarded by mutex_
  bool stopping_ = false;   // guarded by mutex_
  std::atomic<std::uint64_t> transactions_{0};
  std::atomic<std::uint64_t> operations_{0};
  std::thread thread_;  // last: starts after everything above is ready
};

}  // namespace ssokit::store::sqlite
