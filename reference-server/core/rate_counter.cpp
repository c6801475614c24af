#include "core/rate_counter.hpp"

#include <functional>

namespace ssokit::server {

LocalRateCounter::LocalRateCounter(std::size_t capacity) : per_shard_(capacity / kShards + 1) {}

LocalRateCounter::Shard& LocalRateCounter::shard_of(const std::string& key) {
  return shards_[std::hash<std::string>{}(key) % kShards];
}

RateDecision LocalRateCounter::consume(const std::string& key, const RateLimit& limit, Millis now) {
  Shard& shard = shard_of(key);
  std::lock_guard<std::mutex> lock(shard.mutex);
  const auto found = shard.tat.find(key);
  const RateDecision decision = gcra(found == shard.tat.end() ? 0 : found->second, now, limit);
  if (!decision.allowed) return decision;
  if (found != shard.tat.end()) {
    found->second = decision.new_tat;
    return decision;
  }
  if (shard.tat.size() >= per_shard_) {
    // A key whose arrival time has passed is as good as none (gcra of 0 and of a past time
    // decide alike), so dropping it changes no decision.
    for (auto it = shard.tat.begin(); it != shard.tat.end();) {
      it = it->second <= now ? shard.tat.erase(it) : std::next(it);
    }
    // Still more than half full: forget the rest too, so the next sweep is a share away
    // rather than one insert away.
    if (shard.tat.size() > per_shard_ / 2) shard.tat.clear();
  }
  shard.tat.emplace(key, decision.new_tat);
  return decision;
}

std::size_t LocalRateCounter::size() const {
  std::size_t total = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mutex);
    total += shard.tat.size();
  }
  return total;
}

std::unique_ptr<RateCounter> device_rate_counter(store::Store& store) {
  if (store.shared_by_instances()) return std::make_unique<StoreRateCounter>(store);
  return std::make_unique<LocalRateCounter>();
}

}  // namespace ssokit::server
