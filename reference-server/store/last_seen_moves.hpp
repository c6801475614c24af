#pragma once
// A device's lastSeen, moved on every authenticated call without a write per call.
//
// Checking a call (every refresh, every list) used to be a write: the check moved lastSeen in
// the same statement, so each read call took a writer job (SQLite) or a write transaction
// (PostgreSQL). Here the check is a read, and the move is noted in memory: later moves of the
// same device replace earlier ones, and a flusher thread writes what is pending in one batch
// every `interval` (or sooner when many are pending). Until then the instance's own reads
// show the pending value (overlay()), so a list right after a call shows the call.
//
// What this relaxes (store.hpp, "deferred"): other instances see a move within one interval;
// a crash or kill of the instance may lose the moves of its last interval (a graceful close
// writes them). lastSeen is bookkeeping no client asked for, and it is only ever read as
// "about when was this device last active".
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "store/records.hpp"

namespace ssokit::store {

struct LastSeenMove {
  std::string service_provider;
  std::string device_id;
  std::string link_id;  // the move applies only while the device still has this link
  Millis at = 0;
};

class LastSeenMoves {
 public:
  // Writes a batch; throws (StoreError) when it could not, and the batch is tried again at
  // the next flush. Moves never go back: a write keeps the larger of stored and moved.
  using WriteBatch = std::function<void(const std::vector<LastSeenMove>&)>;

  static constexpr std::chrono::milliseconds kDefaultInterval{250};
  // Pending moves that wake the flusher before the interval is up.
  static constexpr std::size_t kEagerFlush = 4096;

  LastSeenMoves(WriteBatch write, std::chrono::milliseconds interval = kDefaultInterval);
  // Stops the flusher and writes what is pending (best effort: a store that is down loses
  // the last moves, as a crash would).
  ~LastSeenMoves();
  LastSeenMoves(const LastSeenMoves&) = delete;
  LastSeenMoves& operator=(const LastSeenMoves&) = delete;

  // A call of `device_id` (with link `link_id`) at `at`.
  void note(const std::string& sp, const std::string& device_id, const std::string& link_id, Millis at);
  // Raises `device.last_seen` to its pending move, if it has one for its current link.
  void overlay(DeviceRecord& device) const;
  // The same for every device of a list, under one lock.
  void overlay(std::vector<DeviceRecord>& devices) const;
  // Writes every pending move now; rethrows the batch's error (the moves stay pending).
  void flush();

  std::size_t pending() const;

 private:
  void overlay_locked(DeviceRecord& device) const;  // mutex_ held
  static std::string key_of(const std::string& sp, const std::string& device_id);
  void loop();

  const WriteBatch write_;
  const std::chrono::milliseconds interval_;
  std::mutex flush_mutex_;  // one flush at a time (the thread's, or a caller's)
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::unordered_map<std::string, LastSeenMove> pending_;  // by key_of(); guarded by mutex_
  bool stopping_ = false;  // guarded by mutex_
  std::thread thread_;     // last: starts when the rest is ready
};

}  // namespace ssokit::store
