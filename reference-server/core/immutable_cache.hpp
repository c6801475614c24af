#pragma once
// A bounded, thread-safe memo of store rows that never change once written (store.hpp
// names them: service providers, clients, access tokens). Only rows that were found are
// kept: an unknown key is asked of the store every time, so a row written later by another
// instance is seen at once. Kept rows need no invalidation; a row that can expire (an
// access token) carries its expiry, which the caller checks on every use.
//
// Authenticating an /api/ call reads three such rows; with this memo a warm call reads
// none (docs/architecture.md).
#include <array>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace ssokit::server {

template <typename Value>
class ImmutableCache {
 public:
  // At most about `capacity` rows. A full shard is emptied before it takes a new row:
  // crude, but O(1) per call, and a working set larger than the cache only costs the store
  // reads the cache would have saved.
  explicit ImmutableCache(std::size_t capacity) : per_shard_(capacity / kShards + 1) {}

  std::optional<Value> find(const std::string& key) const {
    const Shard& shard = shard_of(key);
    std::lock_guard<std::mutex> lock(shard.mutex);
    const auto found = shard.rows.find(key);
    if (found == shard.rows.end()) return std::nullopt;
    return found->second;
  }

  void remember(const std::string& key, const Value& value) {
    Shard& shard = shard_of(key);
    std::lock_guard<std::mutex> lock(shard.mutex);
    if (shard.rows.size() >= per_shard_ && shard.rows.count(key) == 0) shard.rows.clear();
    shard.rows.insert_or_assign(key, value);
  }

  // Rows kept now, all shards together (for tests and metrics).
  std::size_t size() const {
    std::size_t total = 0;
    for (const Shard& shard : shards_) {
      std::lock_guard<std::mutex> lock(shard.mutex);
      total += shard.rows.size();
    }
    return total;
  }

  // The row for `key`: from memory, or read by `load` (remembered when found).
  template <typename Load>
  std::optional<Value> get(const std::string& key, Load&& load) {
    if (auto kept = find(key)) return kept;
    std::optional<Value> loaded = load();
    if (loaded) remember(key, *loaded);
    return loaded;
  }

 private:
  static constexpr std::size_t kShards = 16;  // requests on 8+ threads rarely meet on a lock
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, Value> rows;
  };
  const Shard& shard_of(const std::string& key) const { return shards_[std::hash<std::string>{}(key) % kShards]; }
  Shard& shard_of(const std::string& key) { return shards_[std::hash<std::string>{}(key) % kShards]; }

  const std::size_t per_shard_;
  std::array<Shard, kShards> shards_;
};

}  // namespace ssokit::server
