// The server's own files under --data hold secrets (attack review item 6): the data folder,
// the link-code pepper and the SQLite file are created owner-only without following
// symlinks, and existing ones another local user could read or replace are refused. Before,
// a pepper symlink was followed (an attacker's file became the pepper), a planted
// `link-code-pepper.tmp` symlink made the server overwrite its target, and a world-writable
// data folder or a 0644 pepper was used as it was.
#include <sys/stat.h>
#include <unistd.h>

#include "api_test.hpp"
#include "files.hpp"
#include "text.hpp"

namespace ssokit::testing {
namespace {

CommandResult statement(const std::string& data) {
  return run_server_command(with_store({"software-statement", "--data", data, "--service-provider", "demo"}, data),
                            std::chrono::seconds(10));
}

CommandResult serve(const std::string& data) {
  return run_server_command(with_store({"serve", "--data", data, "--listen", "127.0.0.1:0"}, data),
                            std::chrono::seconds(10));
}

unsigned mode_of(const std::string& path) {
  struct stat info {};
  EXPECT_EQ(::lstat(path.c_str(), &info), 0) << path;
  return info.st_mode & 07777;
}

void expect_refused(const CommandResult& result, const std::string& names, const std::string& fix) {
  EXPECT_FALSE(result.timed_out) << "the server started: " << result.err;
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_EQ(line_count(result.err), 1u) << result.err;
  EXPECT_NE(result.err.find(names), std::string::npos) << result.err;
  EXPECT_NE(result.err.find(fix), std::string::npos) << result.err;
}

TEST(PrivateFilesTest, AFirstRunCreatesEverythingOwnerOnly) {
  TempDir temp;
  const std::string data = temp.path() + "/data";
  ASSERT_EQ(statement(data).exit_code, 0);
  EXPECT_EQ(mode_of(data), 0700u);
  EXPECT_EQ(mode_of(data + "/link-code-pepper"), 0600u);
  if (!testing_on_postgres()) {
    EXPECT_EQ(mode_of(data + "/ssokit.db"), 0600u);
  }
  // No temporary file is left behind.
  EXPECT_EQ(::access((data + "/link-code-pepper.tmp").c_str(), F_OK), -1);
}

TEST(PrivateFilesTest, APepperOthersCanReadIsRefused) {
  TempDir temp;
  const std::string data = temp.path() + "/data";
  ASSERT_EQ(statement(data).exit_code, 0);
  ASSERT_EQ(::chmod((data + "/link-code-pepper").c_str(), 0644), 0);
  expect_refused(serve(data), "link-code-pepper", "chmod 600");
  ASSERT_EQ(::chmod((data + "/link-code-pepper").c_str(), 0600), 0);
  EXPECT_EQ(statement(data).exit_code, 0);
}

TEST(PrivateFilesTest, APepperSymlinkIsNotFollowed) {
  // Someone who can write the folder points the pepper at a file of their choosing.
  TempDir temp;
  const std::string data = temp.path() + "/data";
  ASSERT_EQ(::mkdir(data.c_str(), 0700), 0);
  const std::string chosen = temp.path() + "/attacker-pepper";
  write_file(chosen, std::string(64, 'a') + "\n");
  ASSERT_EQ(::chmod(chosen.c_str(), 0600), 0);
  ASSERT_EQ(::symlink(chosen.c_str(), (data + "/link-code-pepper").c_str()), 0);
  expect_refused(statement(data), "link-code-pepper", "symlink");
}

TEST(PrivateFilesTest, APlantedTemporaryFileSymlinkIsNeverWrittenThrough) {
  TempDir temp;
  const std::string data = temp.path() + "/data";
  ASSERT_EQ(::mkdir(data.c_str(), 0700), 0);
  const std::string victim = temp.path() + "/victim";
  write_file(victim, "precious\n");
  ASSERT_EQ(::symlink(victim.c_str(), (data + "/link-code-pepper.tmp").c_str()), 0);
  ASSERT_EQ(statement(data).exit_code, 0);
  EXPECT_EQ(read_file(victim), "precious\n");
  EXPECT_EQ(mode_of(data + "/link-code-pepper"), 0600u);
}

TEST(PrivateFilesTest, ADataFolderOthersCanWriteIsRefused) {
  TempDir temp;
  const std::string data = temp.path() + "/data";
  ASSERT_EQ(::mkdir(data.c_str(), 0700), 0);
  ASSERT_EQ(::chmod(data.c_str(), 0777), 0);
  expect_refused(statement(data), data, "chmod 700");
  expect_refused(serve(data), data, "chmod 700");
  // Readable by the group is the operator's choice; writable is not.
  ASSERT_EQ(::chmod(data.c_str(), 0750), 0);
  EXPECT_EQ(statement(data).exit_code, 0);
}

TEST(PrivateFilesTest, ADataFolderSymlinkIsRefused) {
  TempDir temp;
  const std::string real = temp.path() + "/real";
  ASSERT_EQ(::mkdir(real.c_str(), 0700), 0);
  const std::string data = temp.path() + "/data";
  ASSERT_EQ(::symlink(real.c_str(), data.c_str()), 0);
  expect_refused(statement(data), data, "symlink");
}

TEST(PrivateFilesTest, ADatabaseOthersCanWriteIsRefused) {
  if (testing_on_postgres()) GTEST_SKIP() << "the SQLite file only: PostgreSQL keeps its files itself";
  TempDir temp;
  const std::string data = temp.path() + "/data";
  ASSERT_EQ(statement(data).exit_code, 0);
  ASSERT_EQ(::chmod((data + "/ssokit.db").c_str(), 0666), 0);
  expect_refused(serve(data), "ssokit.db", "chmod 600");
}

}  // namespace
}  // namespace ssokit::testing
