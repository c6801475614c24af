#include "ssokit/platform/linux_services.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "platform_test_support.hpp"
#include "ssokit/platform/device_identity.hpp"
#include "ssokit/platform/installation_id.hpp"

namespace ssokit::platform {
namespace {

using test::mode_of;
using test::read_file;
using test::TempDir;
using test::write_file;

std::string device_id_of(const std::string& state_dir, std::string_view platform = "linux") {
  auto services = linux_services(state_dir, platform);
  if (!services.ok()) return "error: " + services.status().message();
  auto id = services->identity->device_id();
  return id.ok() ? *id : "error: " + id.status().message();
}

bool is_hex_id(const std::string& text) {
  return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

TEST(LinuxServices, BuildsEveryService) {
  TempDir dir;
  auto services = linux_services(dir / "tv", "tizen");
  ASSERT_TRUE(services.ok()) << services.status().message();
  ASSERT_NE(services->identity, nullptr);
  ASSERT_NE(services->device_info, nullptr);
  ASSERT_NE(services->store, nullptr);
  ASSERT_NE(services->clock, nullptr);
  EXPECT_EQ(services->platform_identity, nullptr);
  EXPECT_EQ(services->clock, system_clock());
  EXPECT_NE(services->device_info->device_info_json().find(R"("osName":"Tizen")"), std::string::npos);
  EXPECT_EQ(mode_of(dir / "tv"), 0700) << "the state folder is created up front";
  ASSERT_TRUE(services->store->put("k", "v").ok());
  EXPECT_EQ(read_file(dir / "tv/k"), "v");
}

TEST(LinuxServices, InstallationIdIsStablePerStateFolder) {
  TempDir dir;
  const std::string first = device_id_of(dir / "device-a");
  ASSERT_EQ(first.rfind("error", 0), std::string::npos) << first;
  EXPECT_EQ(first.size(), 44u);
  EXPECT_EQ(device_id_of(dir / "device-a"), first);
  EXPECT_EQ(device_id_of(dir / "device-a", "roku"), first) << "the platform flag does not change the device";

  const std::string raw = read_file(dir / "device-a/installation-id");
  EXPECT_TRUE(is_hex_id(raw)) << raw;
  EXPECT_EQ(mode_of(dir / "device-a/installation-id"), 0600);
  EXPECT_EQ(first, hashed_device_id(raw, "ssokit").value());
  EXPECT_EQ(first.find(raw), std::string::npos);
}

TEST(LinuxServices, DifferentStateFoldersAreDifferentDevices) {
  TempDir dir;
  const std::string a = device_id_of(dir / "device-a");
  const std::string b = device_id_of(dir / "device-b");
  ASSERT_EQ(a.rfind("error", 0), std::string::npos) << a;
  ASSERT_EQ(b.rfind("error", 0), std::string::npos) << b;
  EXPECT_NE(a, b);
  EXPECT_NE(read_file(dir / "device-a/installation-id"), read_file(dir / "device-b/installation-id"));
}

TEST(LinuxServices, SaltScopesTheDeviceId) {
  TempDir dir;
  auto app_a = linux_services(dir / "d", "linux", "app-a");
  auto app_b = linux_services(dir / "d", "linux", "app-b");
  ASSERT_TRUE(app_a.ok() && app_b.ok());
  EXPECT_NE(app_a->identity->device_id().value(), app_b->identity->device_id().value());
}

TEST(LinuxServices, UnknownPlatformIsAnInvalidArgument) {
  TempDir dir;
  auto services = linux_services(dir / "d", "amiga");
  ASSERT_FALSE(services.ok());
  EXPECT_EQ(services.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(mode_of(dir / "d"), -1);
}

TEST(LinuxServices, UnusableStateFolderIsAStorageError) {
  TempDir dir;
  write_file(dir / "file", "x");
  auto services = linux_services(dir / "file/state", "linux");
  ASSERT_FALSE(services.ok());
  EXPECT_EQ(services.status().code(), ErrorCode::kStorageError);
}

TEST(InstallationIdDeviceIdentity, ConcurrentFirstUsesAgreeOnOneId) {
  for (int trial = 0; trial < 5; ++trial) {
    TempDir dir;
    constexpr int kThreads = 8;
    std::vector<std::string> ids(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        // Separate objects over separate stores, as separate processes would have.
        InstallationIdDeviceIdentity identity(std::make_shared<FileSecureStore>(dir / "state"), "ssokit");
        auto id = identity.device_id();
        ids[static_cast<std::size_t>(t)] = id.ok() ? *id : "error: " + id.status().message();
      });
    }
    for (auto& thread : threads) thread.join();
    for (const std::string& id : ids) EXPECT_EQ(id, ids[0]);
    EXPECT_EQ(ids[0], hashed_device_id(read_file(dir / "state/installation-id"), "ssokit").value());
  }
}

TEST(InstallationIdDeviceIdentity, RefusesACorruptedId) {
  TempDir dir;
  auto store = std::make_shared<FileSecureStore>(dir.path());
  ASSERT_TRUE(store->put(InstallationIdDeviceIdentity::kKey, "not-an-id").ok());
  InstallationIdDeviceIdentity identity(store, "ssokit");
  auto id = identity.device_id();
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().code(), ErrorCode::kStorageError);
  EXPECT_EQ(id.status().message().find("not-an-id"), std::string::npos) << id.status().message();
}

TEST(InstallationIdDeviceIdentity, ToleratesATrailingNewline) {
  TempDir dir;
  const std::string raw(64, 'a');
  write_file(dir / "installation-id", raw + "\n");
  InstallationIdDeviceIdentity identity(std::make_shared<FileSecureStore>(dir.path()), "ssokit");
  EXPECT_EQ(identity.device_id().value(), hashed_device_id(raw, "ssokit").value());
}

TEST(InstallationIdDeviceIdentity, NullStoreIsAnInvalidArgument) {
  InstallationIdDeviceIdentity identity(nullptr, "ssokit");
  EXPECT_EQ(identity.device_id().status().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace ssokit::platform
