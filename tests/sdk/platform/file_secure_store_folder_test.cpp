// The state folder of FileSecureStore must be this user's own: an existing folder that
// another user owns, that others may write to, or that is a symbolic link is refused before
// any secret is read from it or written to it.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "platform_test_support.hpp"
#include "ssokit/platform/file_secure_store.hpp"

namespace ssokit::platform {
namespace {

using test::entries;
using test::read_file;
using test::TempDir;
using test::write_file;

constexpr uid_t kNobody = 65534;

// Every operation of the store on `folder` is refused with kStorageError, and the message
// names the folder and contains `reason`.
void expect_refused(const std::string& folder, const std::string& reason) {
  FileSecureStore store(folder);
  const Status prepared = store.prepare();
  EXPECT_EQ(prepared.code(), ErrorCode::kStorageError) << folder;
  EXPECT_NE(prepared.message().find(folder), std::string::npos) << prepared.message();
  EXPECT_NE(prepared.message().find(reason), std::string::npos) << prepared.message();
  EXPECT_EQ(store.get("client_secret").status().code(), ErrorCode::kStorageError);
  EXPECT_EQ(store.put("client_secret", "s3cret").code(), ErrorCode::kStorageError);
  EXPECT_EQ(store.put_if_absent("installation-id", "id").status().code(), ErrorCode::kStorageError);
  EXPECT_EQ(store.remove("client_secret").code(), ErrorCode::kStorageError);
}

TEST(FileSecureStoreFolder, RefusesAFolderOthersMayWriteTo) {
  TempDir dir;
  for (const mode_t mode : {0770, 0730, 0707, 0777, 01777}) {
    const std::string folder = dir / ("shared-" + std::to_string(mode));
    ASSERT_EQ(::mkdir(folder.c_str(), 0700), 0);
    ASSERT_EQ(::chmod(folder.c_str(), mode), 0);
    write_file(folder + "/client_secret", "planted by someone else");
    expect_refused(folder, "writable by");
    EXPECT_EQ(read_file(folder + "/client_secret"), "planted by someone else");
  }
}

TEST(FileSecureStoreFolder, AcceptsAFolderOthersMayOnlyRead) {
  TempDir dir;
  for (const mode_t mode : {0700, 0750, 0755, 0500}) {
    const std::string folder = dir / ("own-" + std::to_string(mode));
    ASSERT_EQ(::mkdir(folder.c_str(), 0700), 0);
    write_file(folder + "/client_id", "cid");
    ASSERT_EQ(::chmod(folder.c_str(), mode), 0);
    FileSecureStore store(folder);
    EXPECT_TRUE(store.prepare().ok()) << mode;
    auto got = store.get("client_id");
    ASSERT_TRUE(got.ok()) << got.status().message();
    EXPECT_EQ(got.value(), std::optional<std::string>("cid"));
    ASSERT_EQ(::chmod(folder.c_str(), 0700), 0);
  }
}

TEST(FileSecureStoreFolder, RefusesAFolderAnotherUserOwns) {
  TempDir dir;
  if (::geteuid() == 0) {
    const std::string folder = dir / "theirs";
    ASSERT_EQ(::mkdir(folder.c_str(), 0700), 0);
    ASSERT_EQ(::chown(folder.c_str(), kNobody, kNobody), 0);
    expect_refused(folder, "belongs to user 65534");
    return;
  }
  // Not root: the root folder belongs to root. Only reads are tried there.
  struct stat root {};
  if (::stat("/", &root) != 0 || root.st_uid == ::geteuid()) GTEST_SKIP() << "no folder of another user at hand";
  FileSecureStore store("/");
  const auto got = store.get("client_secret");
  EXPECT_EQ(got.status().code(), ErrorCode::kStorageError);
  EXPECT_NE(got.status().message().find("belongs to user"), std::string::npos) << got.status().message();
}

TEST(FileSecureStoreFolder, RefusesASymbolicLinkAsTheFolder) {
  TempDir dir;
  ASSERT_EQ(::mkdir((dir / "real").c_str(), 0700), 0);
  write_file(dir / "real/client_secret", "kept");
  ASSERT_EQ(::symlink((dir / "real").c_str(), (dir / "state").c_str()), 0);
  expect_refused(dir / "state", "symbolic link");
  EXPECT_EQ(entries(dir / "real"), std::vector<std::string>{"client_secret"});
  EXPECT_EQ(read_file(dir / "real/client_secret"), "kept");
  // The folder itself is fine.
  FileSecureStore real(dir / "real");
  EXPECT_EQ(real.get("client_secret").value(), std::optional<std::string>("kept"));
}

TEST(FileSecureStoreFolder, AMissingFolderIsStillCreated0700) {
  TempDir dir;
  FileSecureStore store(dir / "new/state");
  EXPECT_EQ(store.get("client_id").value(), std::nullopt);
  ASSERT_TRUE(store.put("client_id", "cid").ok());
  EXPECT_EQ(test::mode_of(dir / "new/state"), 0700);
  EXPECT_EQ(test::mode_of(dir / "new/state/client_id"), 0600);
}

}  // namespace
}  // namespace ssokit::platform
