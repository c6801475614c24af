#include "ssokit/platform/device_identity.hpp"

#include <gtest/gtest.h>

#include <string>

#include "platform_test_support.hpp"
#include "ssokit/platform/machine_id.hpp"

namespace ssokit::platform {
namespace {

using test::TempDir;
using test::write_file;

bool is_base64_of_32_bytes(const std::string& text) {
  if (text.size() != 44 || text.back() != '=') return false;
  for (std::size_t i = 0; i < 43; ++i) {
    const char c = text[i];
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
    if (!ok) return false;
  }
  return true;
}

TEST(HashedDeviceId, IsBase64OfSha256OfSaltColonRawId) {
  // printf 'ssokit:raw-device-1' | openssl dgst -sha256 -binary | base64
  auto id = hashed_device_id("raw-device-1", "ssokit");
  ASSERT_TRUE(id.ok()) << id.status().message();
  EXPECT_EQ(*id, "BL5ZBcmNWgDDHjra2AF5hTL1pOpOGRLJIYG42Rna+i8=");
  EXPECT_TRUE(is_base64_of_32_bytes(*id));
}

TEST(HashedDeviceId, IsDeterministic) {
  EXPECT_EQ(hashed_device_id("raw-device-1", "app-a").value(), hashed_device_id("raw-device-1", "app-a").value());
  // printf 'app-a:raw-device-1' | openssl dgst -sha256 -binary | base64
  EXPECT_EQ(hashed_device_id("raw-device-1", "app-a").value(), "YJJYPKZoYsK1YFXp3R3dPxc0vEjnRWKAbdaosDh6MCY=");
}

TEST(HashedDeviceId, SaltAndRawIdBothMatter) {
  const std::string base = hashed_device_id("raw-device-1", "app-a").value();
  EXPECT_NE(base, hashed_device_id("raw-device-1", "app-b").value());
  EXPECT_NE(base, hashed_device_id("raw-device-2", "app-a").value());
  // The separator keeps (salt, raw) pairs apart that concatenate to the same text.
  EXPECT_NE(hashed_device_id("bc", "a").value(), hashed_device_id("c", "ab").value());
}

TEST(HashedDeviceId, EmptyRawIdIsRefused) {
  auto id = hashed_device_id("", "ssokit");
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().code(), ErrorCode::kInvalidArgument);
}

TEST(HashedDeviceIdentity, NeverReturnsTheRawId) {
  const std::string raw = "SERIAL-0123456789";
  HashedDeviceIdentity identity(raw, "ssokit");
  auto id = identity.device_id();
  ASSERT_TRUE(id.ok());
  EXPECT_TRUE(is_base64_of_32_bytes(*id));
  EXPECT_EQ(id->find(raw), std::string::npos);
  EXPECT_EQ(id->find("SERIAL"), std::string::npos);
  EXPECT_EQ(*id, hashed_device_id(raw, "ssokit").value());
  EXPECT_EQ(identity.device_id().value(), *id);
}

TEST(HashedDeviceIdentity, EmptyRawIdIsAnError) {
  HashedDeviceIdentity identity("", "ssokit");
  EXPECT_EQ(identity.device_id().status().code(), ErrorCode::kInvalidArgument);
}

TEST(FixedDeviceIdentity, IsHashedWithTheDefaultSalt) {
  FixedDeviceIdentity identity("raw-device-1");
  EXPECT_EQ(identity.device_id().value(), "BL5ZBcmNWgDDHjra2AF5hTL1pOpOGRLJIYG42Rna+i8=");
  FixedDeviceIdentity salted("raw-device-1", "app-a");
  EXPECT_EQ(salted.device_id().value(), "YJJYPKZoYsK1YFXp3R3dPxc0vEjnRWKAbdaosDh6MCY=");
}

TEST(MachineIdDeviceIdentity, DefaultPathsAreSystemdThenDbus) {
  EXPECT_EQ(default_machine_id_paths(), (std::vector<std::string>{"/etc/machine-id", "/var/lib/dbus/machine-id"}));
}

TEST(MachineIdDeviceIdentity, HashesTheTrimmedFirstFile) {
  TempDir dir;
  const std::string raw = "0123456789abcdef0123456789abcdef";
  write_file(dir / "machine-id", raw + "\n");
  MachineIdDeviceIdentity identity("ssokit", {dir / "machine-id", dir / "other"});
  auto id = identity.device_id();
  ASSERT_TRUE(id.ok()) << id.status().message();
  EXPECT_EQ(*id, hashed_device_id(raw, "ssokit").value());
  EXPECT_EQ(id->find(raw), std::string::npos);
}

TEST(MachineIdDeviceIdentity, FallsBackToTheSecondPath) {
  TempDir dir;
  write_file(dir / "empty", "\n");  // systemd's "not yet initialised"
  write_file(dir / "dbus", "fedcba9876543210fedcba9876543210\n");
  MachineIdDeviceIdentity missing_first("ssokit", {dir / "missing", dir / "dbus"});
  EXPECT_EQ(missing_first.device_id().value(), hashed_device_id("fedcba9876543210fedcba9876543210", "ssokit").value());
  MachineIdDeviceIdentity empty_first("ssokit", {dir / "empty", dir / "dbus"});
  EXPECT_EQ(empty_first.device_id().value(), missing_first.device_id().value());
}

TEST(MachineIdDeviceIdentity, NoFileIsAClearStorageError) {
  TempDir dir;
  write_file(dir / "empty", "  \n");
  MachineIdDeviceIdentity identity("ssokit", {dir / "missing", dir / "empty"});
  auto id = identity.device_id();
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().code(), ErrorCode::kStorageError);
  EXPECT_NE(id.status().message().find(dir / "missing"), std::string::npos) << id.status().message();
  EXPECT_NE(id.status().message().find(dir / "empty"), std::string::npos) << id.status().message();
}

TEST(MachineIdDeviceIdentity, NoPathsIsAnInvalidArgument) {
  MachineIdDeviceIdentity identity("ssokit", {});
  EXPECT_EQ(identity.device_id().status().code(), ErrorCode::kInvalidArgument);
}

TEST(MachineIdDeviceIdentity, IsReadOnceAndCached) {
  TempDir dir;
  write_file(dir / "machine-id", "0123456789abcdef0123456789abcdef\n");
  MachineIdDeviceIdentity identity("ssokit", {dir / "machine-id"});
  const std::string first = identity.device_id().value();
  write_file(dir / "machine-id", "ffffffffffffffffffffffffffffffff\n");
  EXPECT_EQ(identity.device_id().value(), first);
}

TEST(MachineIdDeviceIdentity, SaltScopesTheId) {
  TempDir dir;
  write_file(dir / "machine-id", "0123456789abcdef0123456789abcdef\n");
  MachineIdDeviceIdentity a("app-a", {dir / "machine-id"});
  MachineIdDeviceIdentity b("app-b", {dir / "machine-id"});
  EXPECT_NE(a.device_id().value(), b.device_id().value());
}

}  // namespace
}  // namespace ssokit::platform
