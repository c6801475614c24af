#include "ssokit/platform/connect_token.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <string>

#include "platform_test_support.hpp"
#include "ssokit/platform/system_clock.hpp"

namespace ssokit::platform {
namespace {

using test::TempDir;
using test::write_file;

TEST(FileConnectTokenProvider, ReadsAndTrimsTheToken) {
  TempDir dir;
  write_file(dir / "token", "  \teyJhbGciOiJFUzI1NiJ9.e30.sig\r\n\n");
  FileConnectTokenProvider provider(dir / "token");
  EXPECT_EQ(provider.path(), dir / "token");
  EXPECT_EQ(provider.connect_token(), std::optional<std::string>("eyJhbGciOiJFUzI1NiJ9.e30.sig"));
  auto read = provider.read();
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read.value(), std::optional<std::string>("eyJhbGciOiJFUzI1NiJ9.e30.sig"));
}

TEST(FileConnectTokenProvider, RereadsTheFileOnEveryCall) {
  TempDir dir;
  FileConnectTokenProvider provider(dir / "token");
  EXPECT_EQ(provider.connect_token(), std::nullopt);
  write_file(dir / "token", "first");
  EXPECT_EQ(provider.connect_token(), std::optional<std::string>("first"));
  write_file(dir / "token", "second\n");
  EXPECT_EQ(provider.connect_token(), std::optional<std::string>("second"));
}

TEST(FileConnectTokenProvider, MissingOrBlankFileIsNoToken) {
  TempDir dir;
  FileConnectTokenProvider missing(dir / "missing");
  EXPECT_EQ(missing.connect_token(), std::nullopt);
  ASSERT_TRUE(missing.read().ok());
  EXPECT_EQ(missing.read().value(), std::nullopt);

  write_file(dir / "blank", " \n\t\n");
  FileConnectTokenProvider blank(dir / "blank");
  EXPECT_EQ(blank.connect_token(), std::nullopt);
  ASSERT_TRUE(blank.read().ok());
}

TEST(FileConnectTokenProvider, UnreadableFileIsNoTokenAndReadSaysWhy) {
  TempDir dir;
  ASSERT_EQ(::mkdir((dir / "a-folder").c_str(), 0700), 0);
  FileConnectTokenProvider folder(dir / "a-folder");
  EXPECT_EQ(folder.connect_token(), std::nullopt);
  auto read = folder.read();
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), ErrorCode::kStorageError);
  EXPECT_NE(read.status().message().find(dir / "a-folder"), std::string::npos) << read.status().message();

  write_file(dir / "huge", std::string(FileConnectTokenProvider::kMaxTokenSize + 1, 'x'));
  FileConnectTokenProvider huge(dir / "huge");
  EXPECT_EQ(huge.connect_token(), std::nullopt);
  EXPECT_EQ(huge.read().status().code(), ErrorCode::kStorageError);
}

TEST(RokuConnectTokenProvider, AsksTheAppEveryTime) {
  std::atomic<int> calls{0};
  RokuConnectTokenProvider provider([&]() -> std::optional<std::string> {
    ++calls;
    return "token-" + std::to_string(calls.load());
  });
  EXPECT_EQ(provider.connect_token(), std::optional<std::string>("token-1"));
  EXPECT_EQ(provider.connect_token(), std::optional<std::string>("token-2"));
  EXPECT_EQ(calls.load(), 2);
}

TEST(RokuConnectTokenProvider, NoTokenBlankTokenAndNoCallable) {
  RokuConnectTokenProvider none([] { return std::optional<std::string>(); });
  EXPECT_EQ(none.connect_token(), std::nullopt);
  RokuConnectTokenProvider blank([] { return std::optional<std::string>(" \n"); });
  EXPECT_EQ(blank.connect_token(), std::nullopt);
  RokuConnectTokenProvider padded([] { return std::optional<std::string>("tok\n"); });
  EXPECT_EQ(padded.connect_token(), std::optional<std::string>("tok"));
  RokuConnectTokenProvider null_callable(nullptr);
  EXPECT_EQ(null_callable.connect_token(), std::nullopt);
}

TEST(SystemClock, TracksTheRealClocks) {
  SystemClock clock;
  const auto system_before = std::chrono::system_clock::now();
  const auto steady_before = std::chrono::steady_clock::now();
  const auto system_now = clock.system_now();
  const auto steady_now = clock.steady_now();
  EXPECT_GE(system_now, system_before);
  EXPECT_GE(steady_now, steady_before);
  EXPECT_LE(system_now - system_before, std::chrono::seconds(5));
}

}  // namespace
}  // namespace ssokit::platform
