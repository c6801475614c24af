// open_store: the --store URL forms and their errors.
#include "store/open_store.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "store_test_support.hpp"

namespace ssokit::store {
namespace {

using testing::TempDir;

std::string error_of(const std::string& url, const std::string& data_dir) {
  try {
    open_store(url, data_dir);
  } catch (const StoreError& e) {
    return e.what();
  }
  return "";
}

TEST(OpenStoreTest, EmptyUrlIsSqliteInTheDataDirectoryCreatedPrivate) {
  TempDir dir;
  const std::string data = dir.file("data/nested");
  {
    auto store = open_store("", data);
    ASSERT_TRUE(store);
    EXPECT_TRUE(store->ping());
    store->put_meta_if_absent("k", "v");
  }
  EXPECT_TRUE(std::filesystem::exists(data + "/ssokit.db"));
  struct stat info {};
  ASSERT_EQ(::stat(data.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0700u);
  EXPECT_EQ(open_store("", data)->get_meta("k"), "v");  // the same file again
}

TEST(OpenStoreTest, AnExistingDataDirectoryKeepsItsMode) {
  TempDir dir;
  const std::string data = dir.file("data");
  std::filesystem::create_directory(data);
  std::filesystem::permissions(data, std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                                         std::filesystem::perms::group_exec);
  open_store("", data);
  struct stat info {};
  ASSERT_EQ(::stat(data.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0750u);
}

TEST(OpenStoreTest, AbsoluteSqliteUrl) {
  TempDir dir;
  const std::string file = dir.file("explicit.db");
  ASSERT_EQ(file.front(), '/');
  {
    auto store = open_store("sqlite://" + file, dir.file("unused-data"));
    store->put_meta_if_absent("k", "abs");
  }
  EXPECT_TRUE(std::filesystem::exists(file));
  EXPECT_FALSE(std::filesystem::exists(dir.file("unused-data")));
  auto again = open_store("sqlite://" + file, "");
  EXPECT_EQ(again->get_meta("k"), "abs");
}

TEST(OpenStoreTest, RelativeSqliteUrlIsRelativeToTheWorkingDirectory) {
  TempDir dir;
  struct RestoreCwd {
    std::filesystem::path previous = std::filesystem::current_path();
    ~RestoreCwd() { std::filesystem::current_path(previous); }
  } restore;
  std::filesystem::current_path(dir.path());
  {
    auto store = open_store("sqlite:rel.db", "");
    store->put_meta_if_absent("k", "rel");
  }
  EXPECT_TRUE(std::filesystem::exists(dir.file("rel.db")));
}

TEST(OpenStoreTest, AnUnreachablePostgresqlStoreIsUnavailableAtOnceWithoutItsPassword) {
  // Port 1 on loopback: nothing listens, so the connection is refused at once.
  for (const std::string url : {"postgresql://user:hunter2@127.0.0.1:1/ssokit", "postgres://127.0.0.1:1/ssokit"}) {
    const auto started = std::chrono::steady_clock::now();
    try {
      open_store(url, "/tmp");
      ADD_FAILURE() << url << " opened";
    } catch (const StoreUnavailable& e) {
      EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("postgresql"), std::string::npos) << e.what();
    }
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  }
}

TEST(OpenStoreTest, OtherSchemesNameTheAcceptedForms) {
  for (const std::string url : {"mysql://user:hunter2@db/x", "redis://x", "/just/a/path.db", "sqlite3:///x.db"}) {
    const std::string what = error_of(url, "/tmp");
    EXPECT_NE(what.find("sqlite:///"), std::string::npos) << url << ": " << what;
    EXPECT_NE(what.find("omit --store"), std::string::npos) << url << ": " << what;
    EXPECT_EQ(what.find("hunter2"), std::string::npos) << what;  // never echo credentials
  }
  EXPECT_NE(error_of("mysql://x", "/tmp").find("'mysql'"), std::string::npos);
}

TEST(OpenStoreTest, MalformedSqliteUrls) {
  for (const std::string url : {"sqlite:", "sqlite://", "sqlite:///", "sqlite://host/x.db", "sqlite::memory:",
                                "sqlite:///x.db?mode=ro"}) {
    EXPECT_FALSE(error_of(url, "/tmp").empty()) << url;
  }
}

TEST(OpenStoreTest, AMissingDataDirectoryArgument) { EXPECT_FALSE(error_of("", "").empty()); }

TEST(OpenStoreTest, ADataDirectoryThatIsAFile) {
  TempDir dir;
  const std::string file = dir.file("plain");
  { std::ofstream(file) << "x"; }
  EXPECT_NE(error_of("", file).find("not a directory"), std::string::npos);
}

}  // namespace
}  // namespace ssokit::store
