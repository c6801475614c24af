#pragma once
// WAL checkpoints for the SQLite store, off the writer thread.
//
// By default SQLite checkpoints inside a commit once the WAL passes 1000 pages: the writer
// thread then copies the WAL into the database file and syncs it while every write queued
// behind it waits (the stalls in GET list's p99 before this). Here the writer connection
// has wal_autocheckpoint off, and this thread runs a PASSIVE checkpoint on its own
// connection every `interval`: PASSIVE never waits for the writer or for readers, it copies
// what it can, and the WAL restarts from its beginning once a checkpoint caught up.
// Durability is the WAL's: a commit is durable when its WAL frames are synced, checkpoint
// or not.
#include <chrono>
#include <memory>
#include <string>

#include "core/periodic_task.hpp"

namespace ssokit::store::sqlite {

class Connection;

class Checkpointer {
 public:
  static constexpr std::chrono::milliseconds kDefaultInterval{200};

  Checkpointer(const std::string& path, int busy_timeout_ms, std::chrono::milliseconds interval = kDefaultInterval);
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

 private:
  void checkpoint();  // on the timer's thread only

  std::unique_ptr<Connection> db_;
  bool failing_ = false;  // said once when checkpoints start to fail; the timer's thread only
  std::unique_ptr<server::PeriodicTask> timer_;  // last: destroyed first, stops before db_ closes
};

}  // namespace ssokit::store::sqlite
