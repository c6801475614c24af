#pragma once
// WAL checkpoints for the SQLite store, off the writer thread.
//
// By default SQLite checkpoints inside a commit once the WAL passes 1000 pages: the writer
// thread then copies the WAL into the database file and syncs it while every write queued
// behind it waits (the stalls in GET list's p99 before this). Here the writer connection
// has wal_autocheckpoint off, and this thread runs a PASSIVE checkpoint on its own
// connection every `interval`: PASSIVE never waits for the writer or for readers, it copies
// what it can, and the WAL restarts from its beginning once a checkpoint caught up.
//
// Under a steady stream of writes a PASSIVE checkpoint never quite catches up (frames arrive
// while it copies), so the WAL never restarts and the file grows without end: 2 GB in 30 s
// of making link codes, measured (docs/architecture.md). Once the WAL holds more than
// `restart_frames` frames, this thread runs PASSIVE rounds until few frames arrive during
// one, then calls `wal_too_long`, and the writer runs one more PASSIVE checkpoint between two
// of its transactions (Writer::request_wal_catch_up): no frame can arrive while it copies the
// few that are left, so it catches up, and the next commit writes from the WAL's beginning
// again (once the readers that still use old frames are done) and trims the file to
// kWalSizeLimit (the writer's journal_size_limit). Writes wait only for that last copy. The
// WAL (and the disk it takes) is bounded by about restart_frames pages plus what arrives in
// one interval.
// Durability is the WAL's: a commit is durable when its WAL frames are synced, checkpoint
// or not.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/periodic_task.hpp"

namespace ssokit::store::sqlite {

class Connection;

class Checkpointer {
 public:
  static constexpr std::chrono::milliseconds kDefaultInterval{200};
  static constexpr std::int64_t kWalSizeLimit = 64 << 20;  // bytes, the writer's journal_size_limit

  Checkpointer(const std::string& path, int busy_timeout_ms, std::chrono::milliseconds interval,
               std::int64_t restart_frames, std::function<void()> wal_too_long);
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

 private:
  void checkpoint();  // on the timer's thread only

  static constexpr int kMaxRounds = 8;
  static constexpr std::int64_t kWriterShare = 256;  // frames (1 MiB) the writer may be left to copy

  std::unique_ptr<Connection> db_;
  std::int64_t restart_frames_;
  std::function<void()> wal_too_long_;
  bool failing_ = false;  // said once when checkpoints start to fail; the timer's thread only
  std::unique_ptr<server::PeriodicTask> timer_;  // last: destroyed first, stops before db_ closes
};

}  // namespace ssokit::store::sqlite
