#include "store/sqlite_writer.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "store/store.hpp"

namespace ssokit::store::sqlite {

namespace {

std::string message_of(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown error";
  }
}

// Best effort: leaves the connection outside any transaction.
void rollback_quietly(Connection& db) noexcept {
  if (!db.in_transaction()) return;
  try {
    db.exec("ROLLBACK");
  } catch (...) {
  }
}

}  // namespace

Writer::Writer(std::unique_ptr<Connection> connection, std::size_t max_batch)
    : db_(std::move(connection)), max_batch_(max_batch > 0 ? max_batch : 1), thread_([this] { loop(); }) {}

Writer::~Writer() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  work_cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void Writer::run(const Operation& op, Durability durability) {
  Job job;
  job.op = &op;
  job.durability = durability;
  std::unique_lock<std::mutex> lock(mutex_);
  if (stopping_) throw StoreError("sqlite: the store is closing");
  queue_.push_back(&job);
  lock.unlock();
  work_cv_.notify_one();
  lock.lock();
  // The writer sets `done` and notifies while holding mutex_, so `job` (and its cv) stays
  // alive until the notification has been delivered.
  job.cv.wait(lock, [&job] { return job.done; });
  lock.unlock();
  if (job.error) std::rethrow_exception(job.error);
}

void Writer::loop() {
  std::vector<Job*> batch;
  for (;;) {
    batch.clear();
    {
      std::unique_lock<std::mutex> lock(mutex_);
      work_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and every queued operation is done
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    execute(batch);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (Job* job : batch) {
        job->done = true;
        job->cv.notify_one();
      }
    }
    if (wal_catch_up_wanted_.exchange(false, std::memory_order_relaxed)) catch_up_wal();
  }
}

// Between transactions: copies what the checkpoint thread's rounds left (little: they ran
// just before asking), so the WAL is caught up and the next commit can write from its
// beginning. PASSIVE: it never waits for readers (frames an old reader still uses stay, and
// the next request tries again). Writes queue meanwhile.
void Writer::catch_up_wal() noexcept {
  try {
    db_->query("PRAGMA wal_checkpoint(PASSIVE)").run();
  } catch (...) {
  }
}

// synchronous is set between transactions, and only when it changes.
void Writer::use_synchronous(Durability durability) {
  if (durability == synchronous_) return;
  db_->exec(durability == Durability::kRelaxed ? "PRAGMA synchronous = NORMAL" : "PRAGMA synchronous = FULL");
  synchronous_ = durability;
}

void Writer::execute(const std::vector<Job*>& batch) {
  Connection& db = *db_;
  const bool all_relaxed =
      std::all_of(batch.begin(), batch.end(), [](const Job* job) { return job->durability == Durability::kRelaxed; });
  try {
    use_synchronous(all_relaxed ? Durability::kRelaxed : Durability::kDurable);
  } catch (...) {
    const std::string message = message_of(std::current_exception());
    for (Job* job : batch) job->error = std::make_exception_ptr(StoreError(message));
    return;
  }
  std::size_t next = 0;
  std::vector<Job*> applied;  // ran without error in the open transaction
  while (next < batch.size()) {
    try {
      db.query("BEGIN IMMEDIATE").run();
    } catch (...) {
      // Typically SQLITE_BUSY after busy_timeout: another process holds the write lock.
      const std::string message = message_of(std::current_exception());
      for (; next < batch.size(); ++next) batch[next]->error = std::make_exception_ptr(StoreError(message));
      return;
    }
    applied.clear();
    bool transaction_lost = false;
    std::string lost_message;
    for (; next < batch.size() && !transaction_lost; ++next) {
      Job* job = batch[next];
      try {
        db.query("SAVEPOINT op").run();
        (*job->op)(db);
        db.query("RELEASE op").run();
        applied.push_back(job);
      } catch (...) {
        job->error = std::current_exception();
        if (db.in_transaction()) {
          try {
            db.query("ROLLBACK TO op").run();
            db.query("RELEASE op").run();
          } catch (...) {
            lost_message = message_of(std::current_exception());
            rollback_quietly(db);
          }
        }
        // Some errors (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM...) make SQLite roll back
        // the whole transaction: the operations applied before this one are gone too.
        if (!db.in_transaction()) {
          transaction_lost = true;
          if (lost_message.empty()) lost_message = message_of(job->error);
        }
      }
    }
    if (!transaction_lost) {
      try {
        db.query("COMMIT").run();
      } catch (...) {
        lost_message = message_of(std::current_exception());
        rollback_quietly(db);
        transaction_lost = true;
      }
    }
    if (transaction_lost) {
      for (Job* job : applied) {
        job->error = std::make_exception_ptr(
            StoreError("sqlite: the transaction was rolled back: " + lost_message));
      }
    } else {
      transactions_.fetch_add(1, std::memory_order_relaxed);
      operations_.fetch_add(applied.size(), std::memory_order_relaxed);
    }
  }
}

}  // namespace ssokit::store::sqlite
