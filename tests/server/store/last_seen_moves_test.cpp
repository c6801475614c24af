// LastSeenMoves on its own, with a recording batch writer in place of a store: what is
// written, when, and what stays pending. The store contract covers it inside the stores.
#include "store/last_seen_moves.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "store/store.hpp"

namespace ssokit::store {
namespace {

using namespace std::chrono_literals;

// Long enough that the flusher thread never runs during a test that flushes by hand.
constexpr std::chrono::milliseconds kNever{3'600'000};

struct RecordedWrites {
  std::mutex mutex;
  std::vector<std::vector<LastSeenMove>> batches;
  bool fail = false;

  LastSeenMoves::WriteBatch writer() {
    return [this](const std::vector<LastSeenMove>& batch) {
      std::lock_guard<std::mutex> lock(mutex);
      if (fail) throw StoreError("the store is down");
      batches.push_back(batch);
    };
  }
  std::size_t count() {
    std::lock_guard<std::mutex> lock(mutex);
    return batches.size();
  }
};

DeviceRecord row(const std::string& device_id, const std::string& link_id, Millis last_seen) {
  DeviceRecord d;
  d.service_provider = "sp";
  d.device_id = device_id;
  d.link_id = link_id;
  d.last_seen = last_seen;
  return d;
}

TEST(LastSeenMoves, CallsOfOneDeviceBecomeOneMoveToTheLatestTime) {
  RecordedWrites writes;
  LastSeenMoves moves(writes.writer(), kNever);
  moves.note("sp", "tv", "l1", 300);
  moves.note("sp", "tv", "l1", 500);
  moves.note("sp", "tv", "l1", 400);  // an older clock never moves it back
  moves.note("sp", "phone", "l2", 100);
  moves.note("other", "tv", "l3", 100);  // another service provider's device of the same id
  EXPECT_EQ(moves.pending(), 3u);
  moves.flush();
  ASSERT_EQ(writes.batches.size(), 1u);
  ASSERT_EQ(writes.batches[0].size(), 3u);
  for (const LastSeenMove& m : writes.batches[0]) {
    if (m.service_provider == "sp" && m.device_id == "tv") {
      EXPECT_EQ(m.link_id, "l1");
      EXPECT_EQ(m.at, 500);
    }
  }
  EXPECT_EQ(moves.pending(), 0u);
  moves.flush();  // nothing pending: no empty batch
  EXPECT_EQ(writes.batches.size(), 1u);
}

TEST(LastSeenMoves, ReadsSeeAPendingMoveOnlyForTheSameLinkAndOnlyForward) {
  RecordedWrites writes;
  LastSeenMoves moves(writes.writer(), kNever);
  moves.note("sp", "tv", "l1", 500);
  DeviceRecord same = row("tv", "l1", 100);
  moves.overlay(same);
  EXPECT_EQ(same.last_seen, 500);
  DeviceRecord newer_row = row("tv", "l1", 900);  // the stored value is already later
  moves.overlay(newer_row);
  EXPECT_EQ(newer_row.last_seen, 900);
  DeviceRecord relinked = row("tv", "l9", 100);  // linked again since the call
  moves.overlay(relinked);
  EXPECT_EQ(relinked.last_seen, 100);
  DeviceRecord other = row("phone", "l1", 100);
  moves.overlay(other);
  EXPECT_EQ(other.last_seen, 100);
}

TEST(LastSeenMoves, AListGetsEachDevicesPendingMoveAndNothingElse) {
  RecordedWrites writes;
  LastSeenMoves moves(writes.writer(), kNever);
  std::vector<DeviceRecord> nothing_pending = {row("tv", "l1", 100)};
  moves.overlay(nothing_pending);
  EXPECT_EQ(nothing_pending[0].last_seen, 100);

  moves.note("sp", "tv", "l1", 500);
  moves.note("sp", "phone", "l2", 700);
  std::vector<DeviceRecord> list = {row("phone", "l2", 200), row("tv", "l9", 100), row("stick", "l3", 300),
                                    row("tv", "l1", 100)};
  moves.overlay(list);
  EXPECT_EQ(list[0].last_seen, 700);
  EXPECT_EQ(list[1].last_seen, 100) << "a move under another link is not this row's";
  EXPECT_EQ(list[2].last_seen, 300) << "no move noted";
  EXPECT_EQ(list[3].last_seen, 500);
}

TEST(LastSeenMoves, ACallUnderANewLinkReplacesTheOldLinksMove) {
  RecordedWrites writes;
  LastSeenMoves moves(writes.writer(), kNever);
  moves.note("sp", "tv", "old", 900);
  moves.note("sp", "tv", "new", 500);
  moves.flush();
  ASSERT_EQ(writes.batches.at(0).size(), 1u);
  EXPECT_EQ(writes.batches[0][0].link_id, "new");
  EXPECT_EQ(writes.batches[0][0].at, 500);
}

TEST(LastSeenMoves, AFailedWriteKeepsTheMovesForTheNextFlush) {
  RecordedWrites writes;
  LastSeenMoves moves(writes.writer(), kNever);
  moves.note("sp", "tv", "l1", 500);
  writes.fail = true;
  EXPECT_THROW(moves.flush(), StoreError);
  EXPECT_EQ(moves.pending(), 1u);
  DeviceRecord still = row("tv", "l1", 100);
  moves.overlay(still);
  EXPECT_EQ(still.last_seen, 500);  // still shown while pending
  writes.fail = false;
  moves.flush();
  ASSERT_EQ(writes.batches.size(), 1u);
  EXPECT_EQ(writes.batches[0][0].at, 500);
  EXPECT_EQ(moves.pending(), 0u);
}

TEST(LastSeenMoves, AMoveNotedWhileABatchIsWrittenStaysForTheNextBatch) {
  LastSeenMoves* self = nullptr;
  std::vector<std::vector<LastSeenMove>> batches;
  LastSeenMoves moves(
      [&](const std::vector<LastSeenMove>& batch) {
        batches.push_back(batch);
        if (batches.size() == 1) self->note("sp", "tv", "l1", 700);  // a call during the write
      },
      kNever);
  self = &moves;
  moves.note("sp", "tv", "l1", 500);
  moves.flush();
  EXPECT_EQ(moves.pending(), 1u);
  moves.flush();
  ASSERT_EQ(batches.size(), 2u);
  EXPECT_EQ(batches[1].at(0).at, 700);
}

TEST(LastSeenMoves, ClosingWritesWhatIsPending) {
  RecordedWrites writes;
  {
    LastSeenMoves moves(writes.writer(), kNever);
    moves.note("sp", "tv", "l1", 500);
  }
  ASSERT_EQ(writes.batches.size(), 1u);
  EXPECT_EQ(writes.batches[0].at(0).at, 500);
}

TEST(LastSeenMoves, TheFlusherWritesWithinTheInterval) {
  RecordedWrites writes;
  LastSeenMoves moves(writes.writer(), 20ms);
  moves.note("sp", "tv", "l1", 500);
  const auto deadline = std::chrono::steady_clock::now() + 5s;  // bounded: 20 ms expected
  while (writes.count() == 0 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(writes.count(), 1u);
  EXPECT_EQ(moves.pending(), 0u);
}

}  // namespace
}  // namespace ssokit::store
