#pragma once
// Where a throttle's events are counted. SPEC §4 shares throttles across the instances of
// one store, so with PostgreSQL the per-device throttle is a row any instance updates; a
// SQLite file is served by one process, where the same count kept in memory is exact and
// costs no writer job on every call (docs/architecture.md, "The per-device throttle").
// The throttle is relaxed bookkeeping either way: a restart may forget recent events.
#include <array>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/rate_limit.hpp"
#include "store/store.hpp"

namespace ssokit::server {

class RateCounter {
 public:
  virtual ~RateCounter() = default;
  // Counts one event against `limit` under `key` if it fits (gcra()).
  virtual RateDecision consume(const std::string& key, const RateLimit& limit, Millis now) = 0;
};

// Counts in the store (Store::consume_rate): shared by every instance on it.
class StoreRateCounter final : public RateCounter {
 public:
  explicit StoreRateCounter(store::Store& store) : store_(store) {}
  RateDecision consume(const std::string& key, const RateLimit& limit, Millis now) override {
    return store_.consume_rate(key, limit, now);
  }

 private:
  store::Store& store_;
};

// Counts in this process's memory. A key lives until its arrival time passes (at most one
// burst period after its last event), so the table holds the keys used in the last burst
// period. Bounded: a shard at its share of `capacity` first drops its dead keys, and
// forgets the live ones too if more than half of its share is left. Forgetting lets those keys burst again,
// which only a flood of distinct keys causes, and which a throttle may allow.
class LocalRateCounter final : public RateCounter {
 public:
  explicit LocalRateCounter(std::size_t capacity = 1'000'000);
  RateDecision consume(const std::string& key, const RateLimit& limit, Millis now) override;
  std::size_t size() const;  // keys kept now (for tests)

 private:
  static constexpr std::size_t kShards = 16;
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, Millis> tat;  // key -> theoretical arrival time
  };
  Shard& shard_of(const std::string& key);

  std::size_t per_shard_;
  std::array<Shard, kShards> shards_;
};

// The counter the per-device throttle uses on `store`: in it when instances share it,
// in memory otherwise.
std::unique_ptr<RateCounter> device_rate_counter(store::Store& store);

}  // namespace ssokit::server
