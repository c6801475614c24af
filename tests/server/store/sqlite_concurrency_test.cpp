// What only the SQLite store does under load: group commit, readers beside the writer, a
// write lock held by another process, and its writer's batches and shutdown. The contract's
// own concurrency cases are in store_contract_concurrency_test.cpp.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "sqlite_test_support.hpp"
#include "store/sqlite_connection.hpp"
#include "store/sqlite_schema.hpp"
#include "store/sqlite_store.hpp"
#include "store/sqlite_writer.hpp"
#include "store_test_support.hpp"

namespace ssokit::store {
namespace {

using testing::RawDb;
using testing::StartGate;
using testing::TempDir;
using Clock = std::chrono::steady_clock;

TEST(SqliteConcurrencyTest, ConcurrentWritersAreGroupCommittedAndDurable) {
  TempDir dir;
  const std::string path = dir.file("ssokit.db");
  constexpr int kThreads = 8;
  constexpr int kWritesPerThread = 200;
  SqliteStore::Stats stats;
  double seconds = 0;
  {
    auto store = testing::open_sqlite(path);
    StartGate gate;
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        gate.wait();
        for (int i = 0; i < kWritesPerThread; ++i) {
          try {
            testing::join(*store, testing::device("sp", "d-" + std::to_string(t) + "-" + std::to_string(i),
                                                  "p" + std::to_string(t), i));
          } catch (const StoreError&) {
            ++failures;
          }
        }
      });
    }
    const auto start = Clock::now();
    gate.open();
    for (auto& thread : threads) thread.join();
    seconds = std::chrono::duration<double>(Clock::now() - start).count();
    EXPECT_EQ(failures.load(), 0);
    stats = store->stats();
    // Every write is visible on the read side as soon as it returned.
    for (int t = 0; t < kThreads; ++t) {
      for (int i = 0; i < kWritesPerThread; ++i) {
        ASSERT_TRUE(store->find_device("sp", "d-" + std::to_string(t) + "-" + std::to_string(i))) << t << " " << i;
      }
    }
  }
  const int total = kThreads * kWritesPerThread;
  EXPECT_EQ(stats.operations, static_cast<std::uint64_t>(total));
  EXPECT_LT(stats.transactions, stats.operations) << "no batching happened";
  std::printf("[ group commit ] %d writes from %d threads in %.3f s: %.0f writes/s, %llu transactions (%.1f per commit)\n",
              total, kThreads, seconds, total / seconds, static_cast<unsigned long long>(stats.transactions),
              static_cast<double>(stats.operations) / static_cast<double>(stats.transactions));

  auto reopened = testing::open_sqlite(path);
  for (int t = 0; t < kThreads; ++t) {
    const DeviceLink first =
        testing::link_of(testing::device("sp", "d-" + std::to_string(t) + "-0", "p" + std::to_string(t), 0));
    const auto devices = reopened->list_devices_of(first, 0).devices;
    ASSERT_EQ(devices.size(), static_cast<std::size_t>(kWritesPerThread));
    EXPECT_EQ(devices.front().first_seen, 0);
    EXPECT_EQ(devices.back().first_seen, kWritesPerThread - 1);
  }
  RawDb raw(path);
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM devices"), total);
  EXPECT_EQ(raw.text("PRAGMA integrity_check"), "ok");
}

TEST(SqliteConcurrencyTest, ReadersRunWhileWritersWrite) {
  TempDir dir;
  auto store = testing::open_sqlite(dir.file("ssokit.db"));
  testing::join(*store, testing::device("sp", "seed", "p", 0));
  std::atomic<bool> stop{false};
  std::atomic<long> reads{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      while (!stop.load()) {
        EXPECT_TRUE(store->find_device("sp", "seed"));
        ++reads;
      }
    });
  }
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 100; ++i) {
        EXPECT_EQ(store->check_device_link(DeviceLink{"sp", "seed", "link:p", "p"}, t * 1000 + i), "p");
      }
    });
  }
  for (std::size_t i = 4; i < threads.size(); ++i) threads[i].join();
  stop = true;
  for (std::size_t i = 0; i < 4; ++i) threads[i].join();
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(store->find_device("sp", "seed")->last_seen, 3099);
}

TEST(SqliteConcurrencyTest, AWriteLockHeldElsewhereSurfacesAsStoreErrorAfterTheBusyTimeout) {
  TempDir dir;
  const std::string path = dir.file("ssokit.db");
  auto store = testing::open_sqlite(path, 200);
  testing::join(*store, testing::device("sp", "d1", "p1", 1));

  RawDb other(path, 0);
  other.exec("BEGIN EXCLUSIVE");
  const auto start = Clock::now();
  try {
    store->ensure_service_provider("sp", 1);
    FAIL() << "the write did not notice the lock";
  } catch (const StoreError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("locked"), std::string::npos) << what;
  }
  const auto waited = Clock::now() - start;
  EXPECT_GE(waited, std::chrono::milliseconds(150));
  EXPECT_LT(waited, std::chrono::seconds(5));

  // Reads never wait on the lock.
  const auto read_start = Clock::now();
  EXPECT_TRUE(store->find_device("sp", "d1"));
  EXPECT_LT(Clock::now() - read_start, std::chrono::milliseconds(150));
  // ...but health says no: writes cannot get through.
  EXPECT_FALSE(store->ping());

  // Every writer queued behind the lock fails the same way; none hangs.
  std::vector<std::thread> threads;
  std::atomic<int> errors{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      try {
        store->consume_rate("k" + std::to_string(t), {1000, 1}, 1);
      } catch (const StoreError&) {
        ++errors;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(errors.load(), 4);

  other.exec("ROLLBACK");
  store->ensure_service_provider("sp", 1);  // works again once the lock is gone
  EXPECT_TRUE(store->service_provider_exists("sp"));
  EXPECT_TRUE(store->consume_rate("k0", {1000, 1}, 1).allowed);  // the failed ones left nothing
  EXPECT_TRUE(store->ping());
}

TEST(SqliteConcurrencyTest, OpeningALockedNewFileFailsAfterTheBusyTimeout) {
  TempDir dir;
  const std::string path = dir.file("ssokit.db");
  { testing::open_sqlite(path); }
  {
    RawDb raw(path);
    raw.exec("PRAGMA user_version = 0");  // pretend it needs migrating
  }
  RawDb other(path, 0);
  other.exec("BEGIN EXCLUSIVE");
  EXPECT_THROW(testing::open_sqlite(path, 100), StoreError);
  other.exec("ROLLBACK");
}

// ---- the writer on its own -----------------------------------------------------------

// Holds the writer inside a first operation, so operations queued meanwhile are committed
// together in the next batch once release() lets it go.
class WriterHold {
 public:
  explicit WriterHold(sqlite::Writer& writer)
      : holder_([this, &writer] {
          writer.run([this](sqlite::Connection&) {
            std::unique_lock<std::mutex> lock(mutex_);
            blocked_ = true;
            cv_.notify_all();
            cv_.wait(lock, [this] { return released_; });
          });
        }) {
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait(lock, [this] { return blocked_; });
  }
  ~WriterHold() { release(); }
  WriterHold(const WriterHold&) = delete;
  WriterHold& operator=(const WriterHold&) = delete;

  void release() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      released_ = true;
    }
    cv_.notify_all();
    if (holder_.joinable()) holder_.join();
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool blocked_ = false;
  bool released_ = false;
  std::thread holder_;  // last: starts once the members above exist
};

TEST(SqliteWriterTest, AFailingOperationRollsBackOnlyItselfWithinABatch) {
  TempDir dir;
  const std::string path = dir.file("w.db");
  auto connection = std::make_unique<sqlite::Connection>(path, sqlite::Connection::Mode::kWriter, 1000);
  connection->exec("PRAGMA journal_mode = WAL");
  connection->exec("CREATE TABLE t (v TEXT PRIMARY KEY)");
  sqlite::Writer writer(std::move(connection), 64);

  // The others queue up behind the hold and are committed together in the next batch.
  WriterHold hold(writer);
  const auto transactions_before = writer.transactions();

  std::atomic<int> ok{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&, i] {
      try {
        writer.run([i](sqlite::Connection& db) {
          auto q = db.query("INSERT INTO t (v) VALUES (?)");
          q.bind("row" + std::to_string(i));
          q.run();
          if (i % 2 == 1) throw std::runtime_error("op " + std::to_string(i) + " fails after its insert");
        });
        ++ok;
      } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("op " + std::to_string(i)), std::string::npos);
        ++failed;
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // let them queue
  hold.release();
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ok.load(), 3);
  EXPECT_EQ(failed.load(), 3);
  // The holder's transaction, then (normally) one for all six.
  EXPECT_LE(writer.transactions() - transactions_before, 2u);

  RawDb raw(path);
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM t"), 3);
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM t WHERE v IN ('row0', 'row2', 'row4')"), 3);
}

// PRAGMA synchronous as the operation sees it: 1 is NORMAL (no fsync at commit), 2 is FULL.
std::int64_t synchronous_seen(sqlite::Writer& writer, sqlite::Durability durability) {
  std::int64_t level = -1;
  writer.run(
      [&level](sqlite::Connection& db) {
        auto q = db.query("PRAGMA synchronous");
        if (q.step()) level = q.int64(0);
      },
      durability);
  return level;
}

TEST(SqliteWriterTest, OnlyABatchOfRelaxedOperationsCommitsWithoutFsync) {
  TempDir dir;
  const std::string path = dir.file("w.db");
  auto connection = std::make_unique<sqlite::Connection>(path, sqlite::Connection::Mode::kWriter, 1000);
  connection->exec("PRAGMA journal_mode = WAL");
  connection->exec("CREATE TABLE t (v INTEGER)");
  sqlite::Writer writer(std::move(connection), 64);

  EXPECT_EQ(synchronous_seen(writer, sqlite::Durability::kDurable), 2);
  EXPECT_EQ(synchronous_seen(writer, sqlite::Durability::kRelaxed), 1);
  EXPECT_EQ(synchronous_seen(writer, sqlite::Durability::kRelaxed), 1);
  EXPECT_EQ(synchronous_seen(writer, sqlite::Durability::kDurable), 2);  // back to FULL

  // A relaxed operation batched with a durable one gets the durable commit.
  WriterHold hold(writer);
  std::int64_t relaxed_in_mixed_batch = -1;
  std::thread relaxed([&] { relaxed_in_mixed_batch = synchronous_seen(writer, sqlite::Durability::kRelaxed); });
  std::thread durable([&] { synchronous_seen(writer, sqlite::Durability::kDurable); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // let both queue behind the hold
  hold.release();
  relaxed.join();
  durable.join();
  EXPECT_EQ(relaxed_in_mixed_batch, 2);

  // Relaxed commits are commits: visible to another connection at once.
  writer.run(
      [](sqlite::Connection& db) {
        auto q = db.query("INSERT INTO t (v) VALUES (?)");
        q.bind(7);
        q.run();
      },
      sqlite::Durability::kRelaxed);
  RawDb raw(path);
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM t WHERE v = 7"), 1);
}

TEST(SqliteWriterTest, DestructionFinishesQueuedWork) {
  TempDir dir;
  const std::string path = dir.file("w.db");
  {
    auto connection = std::make_unique<sqlite::Connection>(path, sqlite::Connection::Mode::kWriter, 1000);
    connection->exec("PRAGMA journal_mode = WAL");
    connection->exec("CREATE TABLE t (v INTEGER)");
    sqlite::Writer writer(std::move(connection), 4);
    std::vector<std::thread> threads;
    for (int i = 0; i < 16; ++i) {
      threads.emplace_back([&writer, i] {
        writer.run([i](sqlite::Connection& db) {
          auto q = db.query("INSERT INTO t (v) VALUES (?)");
          q.bind(i);
          q.run();
        });
      });
    }
    for (auto& thread : threads) thread.join();
  }
  RawDb raw(path);
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM t"), 16);
}

}  // namespace
}  // namespace ssokit::store
