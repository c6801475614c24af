// ImmutableCache: rows found are kept and served without the store; rows not found are
// asked again every time; the size stays bounded.
#include "core/immutable_cache.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace ssokit::server {
namespace {

TEST(ImmutableCacheTest, AFoundRowIsLoadedOnceAndThenServedFromMemory) {
  ImmutableCache<std::string> cache(100);
  int loads = 0;
  const auto load = [&]() -> std::optional<std::string> {
    ++loads;
    return std::string("row");
  };
  EXPECT_EQ(cache.get("k", load), "row");
  EXPECT_EQ(cache.get("k", load), "row");
  EXPECT_EQ(cache.get("k", load), "row");
  EXPECT_EQ(loads, 1);
  EXPECT_EQ(cache.find("k"), "row");
}

TEST(ImmutableCacheTest, ARowNotFoundIsAskedForAgainAndSeenOnceItExists) {
  ImmutableCache<int> cache(100);
  std::optional<int> in_store;
  int loads = 0;
  const auto load = [&] {
    ++loads;
    return in_store;
  };
  EXPECT_EQ(cache.get("k", load), std::nullopt);
  EXPECT_EQ(cache.get("k", load), std::nullopt);
  EXPECT_EQ(loads, 2);
  in_store = 7;  // written meanwhile, by another instance say
  EXPECT_EQ(cache.get("k", load), 7);
  EXPECT_EQ(loads, 3);
  EXPECT_EQ(cache.get("k", load), 7);
  EXPECT_EQ(loads, 3);
}

TEST(ImmutableCacheTest, TheSizeStaysBoundedWhateverIsRemembered) {
  ImmutableCache<int> cache(160);  // 16 shards of 11
  for (int i = 0; i < 10000; ++i) cache.remember("key-" + std::to_string(i), i);
  EXPECT_LE(cache.size(), 16u * 11u);
  EXPECT_GT(cache.size(), 0u);
  // What is kept is right.
  for (int i = 0; i < 10000; ++i) {
    if (const auto kept = cache.find("key-" + std::to_string(i))) {
      EXPECT_EQ(*kept, i);
    }
  }
}

TEST(ImmutableCacheTest, ThreadsSharingItSeeTheRowsTheyLoaded) {
  ImmutableCache<std::string> cache(1000);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&cache] {
      for (int i = 0; i < 2000; ++i) {
        const std::string key = std::to_string(i % 300);
        const auto row = cache.get(key, [&] { return std::optional<std::string>("v" + key); });
        ASSERT_EQ(row, "v" + key);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(cache.size(), 300u);
}

}  // namespace
}  // namespace ssokit::server
