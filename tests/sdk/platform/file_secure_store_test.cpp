#include "ssokit/platform/file_secure_store.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <string>
#include <thread>
#include <vector>

#include "platform_test_support.hpp"

namespace ssokit::platform {
namespace {

using test::entries;
using test::mode_of;
using test::read_file;
using test::TempDir;
using test::write_file;

bool has_temporary_files(const std::string& directory) {
  for (const std::string& name : entries(directory)) {
    if (name.rfind(".tmp-", 0) == 0) return true;
  }
  return false;
}

TEST(FileSecureStore, RoundTrip) {
  TempDir dir;
  FileSecureStore store(dir / "state");
  ASSERT_TRUE(store.put("client-credentials", "first").ok());
  EXPECT_EQ(store.get("client-credentials").value(), std::optional<std::string>("first"));
  ASSERT_TRUE(store.put("client-credentials", "second, longer than the first").ok());
  EXPECT_EQ(store.get("client-credentials").value(), std::optional<std::string>("second, longer than the first"));
  ASSERT_TRUE(store.put("client-credentials", "3").ok());
  EXPECT_EQ(store.get("client-credentials").value(), std::optional<std::string>("3"));
  EXPECT_EQ(read_file(dir / "state/client-credentials"), "3");
  ASSERT_TRUE(store.remove("client-credentials").ok());
  EXPECT_EQ(store.get("client-credentials").value(), std::nullopt);
  EXPECT_TRUE(entries(dir / "state").empty());
}

TEST(FileSecureStore, BinaryAndEmptyValuesRoundTrip) {
  TempDir dir;
  FileSecureStore store(dir.path());
  std::string binary;
  for (int c = 0; c < 256; ++c) binary += static_cast<char>(c);
  ASSERT_TRUE(store.put("binary", binary).ok());
  EXPECT_EQ(store.get("binary").value(), std::optional<std::string>(binary));
  ASSERT_TRUE(store.put("empty", "").ok());
  EXPECT_EQ(store.get("empty").value(), std::optional<std::string>(""));  // present, not missing
}

TEST(FileSecureStore, MissingKeysAndFoldersAreNotErrors) {
  TempDir dir;
  FileSecureStore store(dir / "not-yet");
  auto missing = store.get("service-token");
  ASSERT_TRUE(missing.ok()) << missing.status().message();
  EXPECT_EQ(missing.value(), std::nullopt);
  EXPECT_TRUE(store.remove("service-token").ok());
  EXPECT_EQ(mode_of(dir / "not-yet"), -1) << "reads and removes do not create the folder";
  ASSERT_TRUE(store.put("other", "x").ok());
  EXPECT_EQ(store.get("service-token").value(), std::nullopt);
  EXPECT_TRUE(store.remove("service-token").ok());
}

TEST(FileSecureStore, CreatesFolders0700AndFiles0600WhateverTheUmask) {
  TempDir dir;
  const mode_t old_umask = ::umask(0);
  FileSecureStore store(dir / "a/b/state/");
  const Status put = store.put("key", "value");
  ::umask(old_umask);
  ASSERT_TRUE(put.ok()) << put.message();
  EXPECT_EQ(store.directory(), dir / "a/b/state");
  EXPECT_EQ(mode_of(dir / "a"), 0700);
  EXPECT_EQ(mode_of(dir / "a/b"), 0700);
  EXPECT_EQ(mode_of(dir / "a/b/state"), 0700);
  EXPECT_EQ(mode_of(dir / "a/b/state/key"), 0600);
  ASSERT_TRUE(store.put("key", "again").ok());
  EXPECT_EQ(mode_of(dir / "a/b/state/key"), 0600);
}

TEST(FileSecureStore, LeavesAnExistingFoldersModeAlone) {
  TempDir dir;
  ASSERT_EQ(::mkdir((dir / "shared").c_str(), 0755), 0);
  ASSERT_EQ(::chmod((dir / "shared").c_str(), 0755), 0);
  FileSecureStore store(dir / "shared");
  ASSERT_TRUE(store.prepare().ok());
  ASSERT_TRUE(store.put("key", "value").ok());
  EXPECT_EQ(mode_of(dir / "shared"), 0755);
  EXPECT_EQ(mode_of(dir / "shared/key"), 0600);
}

TEST(FileSecureStore, RefusesKeysThatAreNotPlainNames) {
  TempDir dir;
  write_file(dir / "outside", "secret");
  FileSecureStore store(dir / "state");
  ASSERT_TRUE(store.put("ok-key_1.2", "v").ok());
  const std::vector<std::string> bad = {"",        ".",         "..",      "../outside", "a/b",    "/etc/passwd",
                                        ".hidden", ".tmp-x-1",  "a b",     "tab\t",      "caf\xC3\xA9",
                                        std::string("nul\0x", 5), std::string(129, 'k'), "back\\slash"};
  for (const std::string& key : bad) {
    EXPECT_FALSE(FileSecureStore::valid_key(key)) << key;
    auto got = store.get(key);
    ASSERT_FALSE(got.ok()) << key;
    EXPECT_EQ(got.status().code(), ErrorCode::kInvalidArgument) << key;
    EXPECT_EQ(store.put(key, "v").code(), ErrorCode::kInvalidArgument) << key;
    EXPECT_EQ(store.remove(key).code(), ErrorCode::kInvalidArgument) << key;
    EXPECT_EQ(store.put_if_absent(key, "v").status().code(), ErrorCode::kInvalidArgument) << key;
  }
  EXPECT_TRUE(FileSecureStore::valid_key(std::string(128, 'k')));
  EXPECT_EQ(read_file(dir / "outside"), "secret");
  EXPECT_EQ(entries(dir / "state"), std::vector<std::string>{"ok-key_1.2"});
}

TEST(FileSecureStore, OversizedValuesAreRefused) {
  TempDir dir;
  FileSecureStore store(dir.path());
  const std::string big(FileSecureStore::kMaxValueSize + 1, 'x');
  EXPECT_EQ(store.put("big", big).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(store.get("big").value(), std::nullopt);
  // A file planted behind the store's back is not read into memory whole.
  write_file(dir / "planted", big);
  EXPECT_EQ(store.get("planted").status().code(), ErrorCode::kStorageError);
}

TEST(FileSecureStore, IoErrorsAreStorageErrorsWithTheOsTextAndWithoutTheValue) {
  TempDir dir;
  write_file(dir / "file", "not a folder");
  FileSecureStore store(dir / "file/state");  // the parent is a regular file
  const Status put = store.put("key", "the-secret-value");
  EXPECT_EQ(put.code(), ErrorCode::kStorageError);
  EXPECT_NE(put.message().find("Not a directory"), std::string::npos) << put.message();
  EXPECT_NE(put.message().find(dir / "file/state"), std::string::npos) << put.message();
  EXPECT_EQ(put.message().find("the-secret-value"), std::string::npos);
  EXPECT_EQ(store.prepare().code(), ErrorCode::kStorageError);
  EXPECT_EQ(store.get("key").status().code(), ErrorCode::kStorageError);
  EXPECT_EQ(store.remove("key").code(), ErrorCode::kStorageError);
  EXPECT_EQ(store.put_if_absent("key", "v").status().code(), ErrorCode::kStorageError);
  EXPECT_EQ(read_file(dir / "file"), "not a folder");
}

TEST(FileSecureStore, AFailedWriteKeepsTheOldValueAndLeavesNoTemporaryFile) {
  TempDir dir;
  FileSecureStore store(dir.path());
  ASSERT_TRUE(store.put("key", "old value").ok());
  // Make write(2) fail part-way (EFBIG) as a full disk would: chmod does not stop root, a file
  // size limit does. SIGXFSZ would end the process; ignore it for the duration.
  struct rlimit old_limit {};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old_limit), 0);
  auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit small = old_limit;
  small.rlim_cur = 64 * 1024;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  const Status put = store.put("key", std::string(256 * 1024, 'n'));
  const auto created = store.put_if_absent("fresh", std::string(256 * 1024, 'n'));
  ::setrlimit(RLIMIT_FSIZE, &old_limit);
  std::signal(SIGXFSZ, old_handler);

  EXPECT_EQ(put.code(), ErrorCode::kStorageError);
  EXPECT_NE(put.message().find("File too large"), std::string::npos) << put.message();
  EXPECT_EQ(created.status().code(), ErrorCode::kStorageError);
  // Compared as booleans: a failure message with a 256 KiB value helps nobody.
  EXPECT_TRUE(store.get("key").value() == std::optional<std::string>("old value"));
  EXPECT_TRUE(store.get("fresh").value() == std::nullopt);
  EXPECT_FALSE(has_temporary_files(dir.path()));
}

TEST(FileSecureStore, AFailedRenameLeavesNoTemporaryFile) {
  TempDir dir;
  FileSecureStore store(dir.path());
  ASSERT_EQ(::mkdir((dir / "key").c_str(), 0700), 0);  // rename(2) cannot replace a folder
  write_file(dir / "key/inside", "x");
  const Status put = store.put("key", "value");
  EXPECT_EQ(put.code(), ErrorCode::kStorageError);
  EXPECT_FALSE(has_temporary_files(dir.path()));
  EXPECT_EQ(read_file(dir / "key/inside"), "x");
}

TEST(FileSecureStore, ReadsDoNotFollowSymlinks) {
  TempDir dir;
  write_file(dir / "target", "elsewhere");
  ASSERT_EQ(::mkdir((dir / "state").c_str(), 0700), 0);
  ASSERT_EQ(::symlink((dir / "target").c_str(), (dir / "state/key").c_str()), 0);
  FileSecureStore store(dir / "state");
  EXPECT_EQ(store.get("key").status().code(), ErrorCode::kStorageError);
  // A put replaces the link itself, not its target.
  ASSERT_TRUE(store.put("key", "mine").ok());
  EXPECT_EQ(store.get("key").value(), std::optional<std::string>("mine"));
  EXPECT_EQ(read_file(dir / "target"), "elsewhere");
}

TEST(FileSecureStore, PutsLeaveNoTemporaryFiles) {
  TempDir dir;
  FileSecureStore store(dir.path());
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(store.put("key", "value " + std::to_string(i)).ok());
  EXPECT_EQ(entries(dir.path()), std::vector<std::string>{"key"});
}

TEST(FileSecureStore, PutIfAbsentNeverReplaces) {
  TempDir dir;
  FileSecureStore store(dir / "state");
  auto first = store.put_if_absent("installation-id", "one");
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_TRUE(first.value());
  auto second = store.put_if_absent("installation-id", "two");
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_FALSE(second.value());
  EXPECT_EQ(store.get("installation-id").value(), std::optional<std::string>("one"));
  EXPECT_EQ(mode_of(dir / "state/installation-id"), 0600);
  EXPECT_EQ(entries(dir / "state"), std::vector<std::string>{"installation-id"});
}

// Each writer's values are one repeated letter, of a length that names the writer, so a
// reader can tell a whole value from a mix of two.
std::string value_of(int writer, int round) {
  return std::string(static_cast<std::size_t>(1000 + writer * 997 + round % 3), static_cast<char>('a' + writer));
}

bool whole_value(const std::string& value) {
  if (value.empty()) return false;
  const int writer = value[0] - 'a';
  if (writer < 0 || writer >= 8) return false;
  if (value.find_first_not_of(value[0]) != std::string::npos) return false;
  const auto base = static_cast<std::size_t>(1000 + writer * 997);
  return value.size() >= base && value.size() < base + 3;
}

TEST(FileSecureStore, ConcurrentPutsLeaveAWholeValue) {
  TempDir dir;
  auto store = std::make_shared<FileSecureStore>(dir / "state");
  constexpr int kWriters = 8;
  constexpr int kRounds = 40;
  std::atomic<bool> done{false};
  std::atomic<int> torn{0};
  std::atomic<int> errors{0};
  std::thread reader([&] {
    while (!done.load()) {
      auto got = store->get("token");
      if (!got.ok()) {
        errors.fetch_add(1);
      } else if (got.value() && !whole_value(**got)) {
        torn.fetch_add(1);
      }
    }
  });
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int round = 0; round < kRounds; ++round) {
        if (!store->put("token", value_of(w, round)).ok()) errors.fetch_add(1);
      }
    });
  }
  for (auto& writer : writers) writer.join();
  done.store(true);
  reader.join();

  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(torn.load(), 0);
  auto final_value = store->get("token");
  ASSERT_TRUE(final_value.ok());
  ASSERT_TRUE(final_value.value());
  EXPECT_TRUE(whole_value(**final_value));
  EXPECT_EQ(entries(dir / "state"), std::vector<std::string>{"token"});
  EXPECT_EQ(mode_of(dir / "state/token"), 0600);
}

}  // namespace
}  // namespace ssokit::platform
