#include "store/last_seen_moves.hpp"

#include <cstdio>
#include <exception>
#include <utility>

namespace ssokit::store {

LastSeenMoves::LastSeenMoves(WriteBatch write, std::chrono::milliseconds interval)
    : write_(std::move(write)), interval_(interval), thread_([this] { loop(); }) {}

LastSeenMoves::~LastSeenMoves() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
  try {
    flush();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ssokit store: %zu lastSeen moves not written at close: %s\n", pending(), e.what());
  }
}

std::string LastSeenMoves::key_of(const std::string& sp, const std::string& device_id) {
  std::string key;
  key.reserve(sp.size() + 1 + device_id.size());
  key.append(sp).append(1, '\n').append(device_id);
  return key;
}

void LastSeenMoves::note(const std::string& sp, const std::string& device_id, const std::string& link_id,
                         Millis at) {
  std::string key = key_of(sp, device_id);
  std::size_t count = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto [it, added] = pending_.try_emplace(std::move(key));
    LastSeenMove& move = it->second;
    if (added) {
      move = LastSeenMove{sp, device_id, link_id, at};
    } else if (move.link_id != link_id) {
      move.link_id = link_id;  // linked again since: the older link's move is moot
      move.at = at;
    } else if (at > move.at) {
      move.at = at;
    }
    count = pending_.size();
  }
  if (count == kEagerFlush) wake_.notify_one();
}

void LastSeenMoves::overlay(DeviceRecord& device) const {
  std::lock_guard<std::mutex> lock(mutex_);
  overlay_locked(device);
}

void LastSeenMoves::overlay(std::vector<DeviceRecord>& devices) const {
  std::lock_guard<std::mutex> lock(mutex_);
  for (DeviceRecord& device : devices) overlay_locked(device);
}

void LastSeenMoves::overlay_locked(DeviceRecord& device) const {
  if (pending_.empty()) return;  // the common case between flushes under light load: no key built
  const auto it = pending_.find(key_of(device.service_provider, device.device_id));
  if (it != pending_.end() && it->second.link_id == device.link_id && it->second.at > device.last_seen) {
    device.last_seen = it->second.at;
  }
}

std::size_t LastSeenMoves::pending() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return pending_.size();
}

void LastSeenMoves::flush() {
  std::lock_guard<std::mutex> one_at_a_time(flush_mutex_);
  std::vector<LastSeenMove> batch;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (pending_.empty()) return;
    batch.reserve(pending_.size());
    for (const auto& entry : pending_) batch.push_back(entry.second);
  }
  // Still pending (and overlaid) while the batch is written: a read in between sees them.
  write_(batch);
  std::lock_guard<std::mutex> lock(mutex_);
  for (const LastSeenMove& written : batch) {
    const auto it = pending_.find(key_of(written.service_provider, written.device_id));
    // A move noted during the write stays for the next batch.
    if (it != pending_.end() && it->second.link_id == written.link_id && it->second.at == written.at) {
      pending_.erase(it);
    }
  }
}

void LastSeenMoves::loop() {
  bool failing = false;  // said once when writing starts to fail, once when it works again
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    // While the store fails, only the interval paces the retries, however many are pending.
    wake_.wait_for(lock, interval_,
                   [this, failing] { return stopping_ || (!failing && pending_.size() >= kEagerFlush); });
    if (stopping_) return;  // the destructor flushes
    lock.unlock();
    try {
      flush();
      if (failing) std::fprintf(stderr, "ssokit store: lastSeen moves are written again\n");
      failing = false;
    } catch (const std::exception& e) {
      // The store is down or failing: the moves stay pending for the next round, bounded by
      // the devices that call, not by the calls.
      if (!failing) std::fprintf(stderr, "ssokit store: lastSeen moves not written, kept for later: %s\n", e.what());
      failing = true;
    }
    lock.lock();
  }
}

}  // namespace ssokit::store
