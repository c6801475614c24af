// The store contract for devices: joining a profile (added, rejoined, moved, and the limits
// that refuse), checking a caller's link, listing and unlinking a profile's devices.
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "store_contract.hpp"

namespace ssokit::store::testing {
namespace {

class StoreDevicesContract : public StoreContractTest {};

std::vector<std::string> ids(const std::vector<DeviceRecord>& devices) {
  std::vector<std::string> out;
  for (const auto& d : devices) out.push_back(d.device_id);
  return out;
}

// ---- join_device ---------------------------------------------------------------------------

TEST_P(StoreDevicesContract, JoinAddsThenMovesADeviceWithANewLinkKeepingFirstSeen) {
  auto added = join(*store_, device("sp", "d1", "p1", 100, DeviceType::kRegular, "{\"a\":1}"));
  EXPECT_EQ(added.result, JoinResult::kAdded);
  EXPECT_EQ(added.link_id, "link:p1");
  auto found = store_->find_device("sp", "d1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->profile_id, "p1");
  EXPECT_EQ(found->link_id, "link:p1");
  EXPECT_EQ(found->type, DeviceType::kRegular);
  EXPECT_EQ(found->info_json, "{\"a\":1}");
  EXPECT_EQ(found->first_seen, 100);
  EXPECT_EQ(found->last_seen, 100);
  const DeviceLink stays = linked(device("sp", "stays", "p1", 150));

  auto moved = join(*store_, device("sp", "d1", "p2", 500, DeviceType::kSso, "{\"b\":2}"));
  EXPECT_EQ(moved.result, JoinResult::kMoved);
  EXPECT_EQ(moved.link_id, "link:p2");
  found = store_->find_device("sp", "d1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->profile_id, "p2");
  EXPECT_EQ(found->link_id, "link:p2");
  EXPECT_EQ(found->type, DeviceType::kSso);
  EXPECT_EQ(found->info_json, "{\"b\":2}");
  EXPECT_EQ(found->first_seen, 100);
  EXPECT_EQ(found->last_seen, 500);
  // It left p1 for p2: the old link is dead and p1 lists only the device that stayed.
  EXPECT_EQ(store_->check_device_link(DeviceLink{"sp", "d1", "link:p1", "p1"}, 600), std::nullopt);
  EXPECT_EQ(ids(store_->list_devices_of(stays, 600).devices), std::vector<std::string>{"stays"});
  const DeviceList p2 = store_->list_devices_of(DeviceLink{"sp", "d1", "link:p2", "p2"}, 600);
  EXPECT_TRUE(p2.linked);
  EXPECT_EQ(ids(p2.devices), std::vector<std::string>{"d1"});

  EXPECT_EQ(store_->find_device("sp", "d2"), std::nullopt);
  EXPECT_EQ(store_->find_device("other-sp", "d1"), std::nullopt);
}

TEST_P(StoreDevicesContract, JoiningTheSameProfileAgainKeepsTheLinkAndUpdatesTheMetadata) {
  join(*store_, device("sp", "d1", "p1", 100, DeviceType::kRegular, "{\"a\":1}"));
  DeviceRecord again = device("sp", "d1", "p1", 300, DeviceType::kSso, "{\"c\":3}");
  again.link_id = "a-fresh-link";  // offered, not taken: the device is already linked
  const JoinOutcome outcome = join(*store_, again);
  EXPECT_EQ(outcome.result, JoinResult::kRejoined);
  EXPECT_EQ(outcome.link_id, "link:p1");
  const auto found = store_->find_device("sp", "d1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->link_id, "link:p1");
  EXPECT_EQ(found->info_json, "{\"c\":3}");
  EXPECT_EQ(found->type, DeviceType::kSso);
  EXPECT_EQ(found->first_seen, 100);
  EXPECT_EQ(found->last_seen, 300);
}

TEST_P(StoreDevicesContract, AFullProfileRefusesANewMemberButNotAReturningOne) {
  const JoinLimits limits{2, std::nullopt};
  EXPECT_EQ(store_->join_device(device("sp", "a", "p", 1), limits, 1).result, JoinResult::kAdded);
  EXPECT_EQ(store_->join_device(device("sp", "b", "p", 2), limits, 2).result, JoinResult::kAdded);
  EXPECT_EQ(store_->join_device(device("sp", "c", "p", 3), limits, 3).result, JoinResult::kDeviceLimit);
  EXPECT_EQ(store_->find_device("sp", "c"), std::nullopt);
  EXPECT_EQ(store_->join_device(device("sp", "a", "p", 4), limits, 4).result, JoinResult::kRejoined);
  // A device of another profile cannot move in either, and stays where it was.
  join(*store_, device("sp", "d", "q", 5));
  EXPECT_EQ(store_->join_device(device("sp", "d", "p", 6), limits, 6).result, JoinResult::kDeviceLimit);
  EXPECT_EQ(store_->find_device("sp", "d")->profile_id, "q");
  EXPECT_EQ(store_->find_device("sp", "d")->link_id, "link:q");
  // Another service provider's profile of the same name is another profile.
  EXPECT_EQ(store_->join_device(device("sp2", "c", "p", 7), limits, 7).result, JoinResult::kAdded);
}

TEST_P(StoreDevicesContract, TheCreationLimitCountsOnlyNewDevices) {
  const JoinLimits limits = creation_limited("create-address:192.0.2.9", {1000, 2});
  EXPECT_EQ(store_->join_device(device("sp", "a", "p", 1), limits, 1).result, JoinResult::kAdded);
  EXPECT_EQ(store_->join_device(device("sp", "b", "q", 2), limits, 2).result, JoinResult::kAdded);
  const JoinOutcome refused = store_->join_device(device("sp", "c", "p", 3), limits, 3);
  EXPECT_EQ(refused.result, JoinResult::kCreationLimited);
  EXPECT_GT(refused.retry_after_ms, 0);
  EXPECT_EQ(store_->find_device("sp", "c"), std::nullopt);
  // Returning and moving devices create nothing.
  EXPECT_EQ(store_->join_device(device("sp", "a", "p", 4), limits, 4).result, JoinResult::kRejoined);
  EXPECT_EQ(store_->join_device(device("sp", "b", "p", 5), limits, 5).result, JoinResult::kMoved);
  // Once the bucket refills, a new device fits again.
  EXPECT_EQ(store_->join_device(device("sp", "c", "p", 1003), limits, 1003).result, JoinResult::kAdded);
}

// ---- check_device_link ---------------------------------------------------------------------

TEST_P(StoreDevicesContract, CheckDeviceLinkOnlyForItsLinkAndLastSeenNeverGoesBack) {
  const DeviceLink d1 = linked(device("sp", "d1", "p1", 100));
  EXPECT_EQ(store_->check_device_link(d1, 700), "p1");
  EXPECT_EQ(store_->find_device("sp", "d1")->last_seen, 700);
  EXPECT_EQ(store_->check_device_link(DeviceLink{"sp", "d1", "link:p2", ""}, 900), std::nullopt);
  EXPECT_EQ(store_->check_device_link(DeviceLink{"sp", "d1", "", ""}, 900), std::nullopt);
  EXPECT_EQ(store_->check_device_link(DeviceLink{"other", "d1", "link:p1", ""}, 900), std::nullopt);
  EXPECT_EQ(store_->check_device_link(DeviceLink{"sp", "nope", "link:p1", ""}, 900), std::nullopt);
  EXPECT_EQ(store_->find_device("sp", "d1")->last_seen, 700);  // refused checks note nothing
  EXPECT_EQ(store_->check_device_link(d1, 600), "p1");         // an older clock still counts as linked
  EXPECT_EQ(store_->find_device("sp", "d1")->last_seen, 700);
  EXPECT_EQ(store_->find_device("sp", "d1")->first_seen, 100);
  // Unlinked and joined again: the old link is gone for good.
  ASSERT_EQ(store_->unlink_devices(d1, {"d1"}, 800).unlinked, std::vector<std::string>{"d1"});
  DeviceRecord back = device("sp", "d1", "p1", 1000);
  back.link_id = "second-link";
  join(*store_, back);
  EXPECT_EQ(store_->check_device_link(d1, 1100), std::nullopt);
  EXPECT_EQ(store_->check_device_link(DeviceLink{"sp", "d1", "second-link", "p1"}, 1100), "p1");
}

TEST_P(StoreDevicesContract, CheckDeviceLinkWantsTheTokensProfileUnlessItHasNone) {
  join(*store_, device("sp", "d1", "p1", 100));
  EXPECT_EQ(store_->check_device_link(DeviceLink{"sp", "d1", "link:p1", "p1"}, 200), "p1");
  EXPECT_EQ(store_->check_device_link(DeviceLink{"sp", "d1", "link:p1", ""}, 300), "p1");  // a token from before
  EXPECT_EQ(store_->check_device_link(DeviceLink{"sp", "d1", "link:p1", "p2"}, 400), std::nullopt);
  EXPECT_EQ(store_->find_device("sp", "d1")->last_seen, 300);
  // A device linked before link ids has link id "": tokens from then (no lid) still match.
  DeviceRecord legacy = device("sp", "old", "p1", 100);
  legacy.link_id = "";
  join(*store_, legacy);
  EXPECT_EQ(store_->check_device_link(DeviceLink{"sp", "old", "", ""}, 500), "p1");
  EXPECT_EQ(store_->check_device_link(DeviceLink{"sp", "old", "link:p1", ""}, 500), std::nullopt);
}

// ---- list_devices_of -----------------------------------------------------------------------

TEST_P(StoreDevicesContract, ListDevicesOfTheCallersProfileByFirstSeenThenId) {
  join(*store_, device("sp", "c", "p", 300));
  join(*store_, device("sp", "b", "p", 100));
  join(*store_, device("sp", "a", "p", 300));
  const DeviceLink z = linked(device("sp", "z", "p", 50));
  join(*store_, device("sp", "x", "other", 10));
  join(*store_, device("sp2", "y", "p", 10));
  const DeviceList list = store_->list_devices_of(z, 2000);
  EXPECT_TRUE(list.linked);
  EXPECT_EQ(list.profile_id, "p");
  EXPECT_EQ(ids(list.devices), (std::vector<std::string>{"z", "b", "a", "c"}));
  EXPECT_EQ(store_->find_device("sp", "z")->last_seen, 2000);  // a list is a call: the caller was seen
}

TEST_P(StoreDevicesContract, LastSeenMovesSurviveAGracefulCloseAndReachOtherInstances) {
  const DeviceLink tv = linked(device("sp", "tv", "p", 100));
  const DeviceLink phone = linked(device("sp", "phone", "p", 100));
  ASSERT_EQ(store_->check_device_link(tv, 700), "p");
  ASSERT_TRUE(store_->list_devices_of(phone, 800).linked);
  reopen();  // a graceful stop writes the moves the calls noted
  EXPECT_EQ(store_->find_device("sp", "tv")->last_seen, 700);
  EXPECT_EQ(store_->find_device("sp", "phone")->last_seen, 800);
  // Deferred (store.hpp): another instance sees a move within a flush interval.
  ASSERT_EQ(store_->check_device_link(tv, 900), "p");
  const auto other = open_another();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);  // bounded: 250 ms expected
  Millis seen = 0;
  while ((seen = other->find_device("sp", "tv")->last_seen) != 900 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(seen, 900);
}

TEST_P(StoreDevicesContract, AnUnlinkedCallerListsNothing) {
  join(*store_, device("sp", "a", "p", 100));
  for (const DeviceLink& caller : {DeviceLink{"sp", "a", "stale-link", ""}, DeviceLink{"sp", "a", "link:p", "q"},
                                   DeviceLink{"sp", "nobody", "link:p", ""}}) {
    const DeviceList list = store_->list_devices_of(caller, 2000);
    EXPECT_FALSE(list.linked) << caller.device_id << " " << caller.link_id;
    EXPECT_EQ(list.profile_id, "");
    EXPECT_TRUE(list.devices.empty());
  }
  EXPECT_EQ(store_->find_device("sp", "a")->last_seen, 100);
}

// ---- unlink_devices ------------------------------------------------------------------------

TEST_P(StoreDevicesContract, UnlinkInRequestOrderWithoutDuplicatesSkippingForeignIds) {
  for (const char* id : {"d1", "d3"}) join(*store_, device("sp", id, "p1", 100));
  const DeviceLink d2 = linked(device("sp", "d2", "p1", 100));
  join(*store_, device("sp", "theirs", "p2", 100));
  join(*store_, device("sp2", "d4", "p1", 100));
  const UnlinkOutcome outcome = store_->unlink_devices(d2, {"d3", "unknown", "d1", "d3", "theirs", "d4", "d1"}, 200);
  EXPECT_TRUE(outcome.linked);
  EXPECT_EQ(outcome.unlinked, (std::vector<std::string>{"d3", "d1"}));
  EXPECT_EQ(ids(store_->list_devices_of(d2, 300).devices), std::vector<std::string>{"d2"});
  EXPECT_EQ(store_->find_device("sp", "d1"), std::nullopt);
  EXPECT_TRUE(store_->find_device("sp", "theirs"));
  EXPECT_TRUE(store_->find_device("sp2", "d4"));
  const UnlinkOutcome nothing = store_->unlink_devices(d2, {}, 400);
  EXPECT_TRUE(nothing.linked);
  EXPECT_TRUE(nothing.unlinked.empty());
  EXPECT_TRUE(store_->unlink_devices(d2, {"d1"}, 400).unlinked.empty());  // already gone
}

TEST_P(StoreDevicesContract, AnUnlinkedCallerUnlinksNothing) {
  join(*store_, device("sp", "a", "p", 100));
  join(*store_, device("sp", "b", "p", 100));
  const UnlinkOutcome outcome = store_->unlink_devices(DeviceLink{"sp", "a", "stale-link", ""}, {"a", "b"}, 200);
  EXPECT_FALSE(outcome.linked);
  EXPECT_TRUE(outcome.unlinked.empty());
  EXPECT_TRUE(store_->find_device("sp", "a"));
  EXPECT_TRUE(store_->find_device("sp", "b"));
}

TEST_P(StoreDevicesContract, ACallerMayUnlinkItselfAndItsLinkEndsThere) {
  const DeviceLink a = linked(device("sp", "a", "p", 100));
  join(*store_, device("sp", "b", "p", 100));
  EXPECT_EQ(store_->unlink_devices(a, {"a"}, 200).unlinked, std::vector<std::string>{"a"});
  EXPECT_EQ(store_->check_device_link(a, 300), std::nullopt);
  EXPECT_FALSE(store_->unlink_devices(a, {"b"}, 300).linked);
  EXPECT_TRUE(store_->find_device("sp", "b"));
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreDevicesContract, ::testing::ValuesIn(store_backends()), backend_name);

}  // namespace
}  // namespace ssokit::store::testing
