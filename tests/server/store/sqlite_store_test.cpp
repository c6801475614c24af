// What only the SQLite store does: its file (schema version, WAL, mode, indexes), what it
// refuses to open, and how it stores what the contract leaves to the backend. The contract
// itself is checked by the store_contract_*_test.cpp files, on SQLite among others.
#include "store/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "sqlite_test_support.hpp"
#include "store/sqlite_schema.hpp"
#include "store_test_support.hpp"

namespace ssokit::store::testing {
namespace {

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { store_ = open_sqlite(path()); }
  std::string path() const { return dir_.file("ssokit.db"); }

  TempDir dir_;
  std::unique_ptr<SqliteStore> store_;
};

// The plan's detail column, concatenated: "SCAN t" means a full scan of t.
std::string query_plan(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* stmt = nullptr;
  std::string details;
  if (sqlite3_prepare_v2(db, ("EXPLAIN QUERY PLAN " + sql).c_str(), -1, &stmt, nullptr) == SQLITE_OK) {
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      details += reinterpret_cast<const char*>(sqlite3_column_text(stmt, 3));
      details += "; ";
    }
  } else {
    details = std::string("prepare failed: ") + sqlite3_errmsg(db);
  }
  sqlite3_finalize(stmt);
  sqlite3_close_v2(db);
  return details;
}

// ---- the file ------------------------------------------------------------------------------

TEST_F(SqliteStoreTest, CreatesTheSchemaInWalModeWithTheCurrentVersion) {
  RawDb raw(path());
  EXPECT_EQ(raw.text("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(raw.scalar("PRAGMA user_version"), sqlite::kSchemaVersion);
  for (const char* index :
       {"devices_by_profile", "link_codes_by_hash", "link_codes_by_profile_state", "link_codes_by_expiry", "keys_by_purpose",
        "rate_limits_by_tat", "access_tokens_by_expiry", "mvpd_sessions_by_expiry", "mvpd_profiles_by_expiry"}) {
    EXPECT_EQ(
        raw.scalar(std::string("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = '") + index + "'"),
        1)
        << index;
  }
}

TEST_F(SqliteStoreTest, TheDatabaseFileIsPrivateToItsOwner) {
  struct stat info {};
  ASSERT_EQ(::stat(path().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
}

// The cap on a profile's live codes and the count of its pending approvals, as the store
// runs them (sqlite_store_link_codes.cpp, sqlite_store_devices.cpp).
constexpr const char* kRetireOverTheCap =
    "UPDATE link_codes SET expires_at = 5 WHERE seq IN (SELECT seq FROM link_codes "
    "WHERE service_provider = 'a' AND profile_id = 'p' AND state = 0 AND expires_at > 5 "
    "ORDER BY created_at DESC, seq DESC LIMIT -1 OFFSET 5)";
constexpr const char* kCountPendingApprovals =
    "SELECT count(*) FROM link_codes WHERE service_provider = 'a' AND profile_id = 'p' AND state = 1 "
    "AND expires_at > 5";

// The statements the commands run (with literals for their parameters), each through an
// index: no command's cost grows with the size of a table it does not return.
TEST_F(SqliteStoreTest, EveryCommandsLookupsUseIndexesNotScans) {
  const std::vector<std::string> lookups = {
      // devices: find, join (current link, profile size), check_device_link, list, unlink
      "SELECT * FROM devices WHERE service_provider = 'a' AND device_id = 'd'",
      "SELECT count(*) FROM devices WHERE service_provider = 'a' AND profile_id = 'p'",
      "UPDATE devices SET last_seen = max(last_seen, 5) WHERE service_provider = 'a' AND device_id = 'd' "
      "AND link_id = 'l' AND ('p' = '' OR profile_id = 'p') RETURNING profile_id",
      "SELECT * FROM devices WHERE service_provider = 'a' AND profile_id = 'p' ORDER BY first_seen, device_id",
      "DELETE FROM devices WHERE service_provider = 'a' AND device_id = 'd' AND profile_id = 'p'",
      // create_link_code: collision, replacing a dead code, the cap (see also the next test)
      "SELECT 1 FROM link_codes WHERE service_provider = 'a' AND code_hash = 'h' AND state = 0 AND expires_at > 5",
      "DELETE FROM link_codes WHERE service_provider = 'a' AND code_hash = 'h'",
      kRetireOverTheCap,
      // redeem_link_code, decide_link_code, find_link_code; the profile's pending approvals
      "SELECT * FROM link_codes WHERE service_provider = 'a' AND code_hash = 'h'",
      kCountPendingApprovals,
      "SELECT tat FROM rate_limits WHERE key = 'k'",
      // clients, statements, access tokens, keys
      "SELECT 1 FROM revoked_statements WHERE statement_id = 's'",
      "SELECT statement_id FROM clients WHERE client_id = 'c'",
      "SELECT c.client_id, c.secret_hash, c.issued_at, s.service_provider, c.statement_id "
      "FROM clients c LEFT JOIN client_service_providers s ON s.client_id = c.client_id "
      "WHERE c.client_id = 'c' ORDER BY s.position",
      "SELECT * FROM access_tokens WHERE token_hash = 't'",
      "SELECT * FROM keys WHERE purpose = 'x' ORDER BY seq DESC LIMIT 1",
      // MVPD
      "SELECT * FROM mvpd_profiles WHERE service_provider = 'a' AND profile_id = 'p' AND not_after > 5",
      "SELECT * FROM mvpd_profiles WHERE service_provider = 'a' AND profile_id = 'p' AND mvpd = 'm' "
      "AND not_after > 5",
      "SELECT * FROM mvpd_sessions WHERE code_hash = 'h'",
      // purge_expired
      "DELETE FROM link_codes WHERE seq IN "
      "(SELECT seq FROM link_codes WHERE expires_at <= 5 ORDER BY expires_at LIMIT 8)",
      "DELETE FROM rate_limits WHERE key IN (SELECT key FROM rate_limits WHERE tat <= 5 ORDER BY tat LIMIT 8)",
      "DELETE FROM access_tokens WHERE token_hash IN "
      "(SELECT token_hash FROM access_tokens WHERE expires_at <= 5 ORDER BY expires_at LIMIT 8)",
      "DELETE FROM mvpd_profiles WHERE (service_provider, profile_id, mvpd) IN "
      "(SELECT service_provider, profile_id, mvpd FROM mvpd_profiles WHERE not_after <= 5 "
      "ORDER BY not_after LIMIT 8)",
      "DELETE FROM mvpd_sessions WHERE code_hash IN "
      "(SELECT code_hash FROM mvpd_sessions WHERE expires_at <= 5 ORDER BY expires_at LIMIT 8)",
  };
  for (const auto& sql : lookups) {
    const std::string details = query_plan(path(), sql);
    EXPECT_EQ(details.find("SCAN"), std::string::npos) << sql << " -> " << details;
    EXPECT_NE(details.find("USING"), std::string::npos) << sql << " -> " << details;
  }
}

// Spent and retired codes stay in the table until their status retention ends, hundreds per
// profile for one that makes codes quickly: the cap and the pending count range over the
// live (or pending) rows only, so their cost does not grow with the dead ones.
TEST_F(SqliteStoreTest, TheCapAndThePendingCountReadOnlyLiveCodes) {
  for (const char* sql : {kRetireOverTheCap, kCountPendingApprovals}) {
    const std::string details = query_plan(path(), sql);
    EXPECT_NE(details.find("state=? AND expires_at>?"), std::string::npos) << sql << " -> " << details;
  }
}

// ---- what it refuses to open ---------------------------------------------------------------

TEST_F(SqliteStoreTest, RefusesAFileWithANewerSchema) {
  store_.reset();
  {
    RawDb raw(path());
    raw.exec("PRAGMA user_version = 99");
  }
  try {
    open_sqlite(path());
    FAIL() << "opened a newer schema";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("99"), std::string::npos) << e.what();
  }
}

TEST_F(SqliteStoreTest, RefusesInMemoryAndEmptyPaths) {
  SqliteOptions options;
  EXPECT_THROW(SqliteStore{options}, StoreError);
  options.path = ":memory:";
  EXPECT_THROW(SqliteStore{options}, StoreError);
}

TEST_F(SqliteStoreTest, AMissingDirectoryIsAStoreError) {
  try {
    open_sqlite(dir_.file("no/such/dir/x.db"));
    FAIL();
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("no/such/dir"), std::string::npos) << e.what();
  }
}

// ---- how it stores what the contract leaves open ---------------------------------------------

TEST_F(SqliteStoreTest, AServiceProviderKeepsItsFirstCreationTime) {
  store_->ensure_service_provider("sp1", 10);
  store_->ensure_service_provider("sp1", 20);
  RawDb raw(path());
  EXPECT_EQ(raw.scalar("SELECT created_at FROM service_providers WHERE id = 'sp1'"), 10);
}

TEST_F(SqliteStoreTest, ADuplicateKidNamesTheUniqueConstraint) {
  store_->insert_key(KeyRecord{"kid-1", "hs256", "{}", 1});
  try {
    store_->insert_key(KeyRecord{"kid-1", "hs256", "{}", 2});
    FAIL();
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("UNIQUE constraint failed"), std::string::npos) << e.what();
  }
}

// Commits never checkpoint (wal_autocheckpoint is off on the writer); a background thread
// does, so a write reaches the database file itself soon after its commit. An immutable
// connection reads the file and ignores the WAL: it sees the device only once checkpointed.
TEST_F(SqliteStoreTest, ABackgroundCheckpointCopiesCommitsIntoTheDatabaseFile) {
  join(*store_, device("sp", "checkpointed", "p", 5));
  const std::string file_only = "file:" + path() + "?immutable=1";
  auto devices_in_file = [&] {
    sqlite3* db = nullptr;
    sqlite3_open_v2(file_only.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr);
    sqlite3_stmt* stmt = nullptr;
    long long count = -1;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM devices WHERE device_id = 'checkpointed'", -1, &stmt, nullptr) ==
            SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      count = sqlite3_column_int64(stmt, 0);
    }
    sqlite3_finalize(stmt);
    sqlite3_close_v2(db);
    return count;
  };
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);  // bounded: 200 ms expected
  while (devices_in_file() != 1 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(devices_in_file(), 1);
}

// The WAL file's checkpoint sequence number (bytes 12-15 of its header, big-endian), which
// SQLite increments each time the WAL starts over from its beginning; -1 without a WAL.
long long wal_restarts(const std::string& db_path) {
  std::ifstream wal(db_path + "-wal", std::ios::binary);
  unsigned char header[16] = {};
  if (!wal.read(reinterpret_cast<char*>(header), sizeof header)) return -1;
  return (static_cast<long long>(header[12]) << 24) | (header[13] << 16) | (header[14] << 8) | header[15];
}

// Under a steady stream of commits a PASSIVE checkpoint never catches up, so without a
// RESTART the WAL would never start over and its file would grow for as long as the writes
// last (2 GB in 30 s of POST link, measured). Four threads commit without pause for a
// second and a half while the WAL restarts, again and again, and its file stays small.
TEST(SqliteWalTest, UnderSteadyWritesTheWalStillStartsOverAndStaysBounded) {
  TempDir dir;
  SqliteOptions options;
  options.path = dir.file("ssokit.db");
  options.wal_restart_frames = 64;
  const auto store = std::make_unique<SqliteStore>(options);
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; !stop; ++i) {
        join(*store, device("sp", "d" + std::to_string(t) + "-" + std::to_string(i), "p" + std::to_string(i % 50), 5));
      }
    });
  }
  const long long first = [&] {
    long long seen = -1;
    for (int i = 0; i < 100 && seen < 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      seen = wal_restarts(options.path);
    }
    return seen;
  }();
  std::uintmax_t largest = 0;
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(1500);
  while (std::chrono::steady_clock::now() < until) {
    std::error_code ignored;
    largest = std::max<std::uintmax_t>(largest, std::filesystem::file_size(options.path + "-wal", ignored));
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  stop = true;
  for (auto& writer : writers) writer.join();
  const long long last = wal_restarts(options.path);
  // A restart is asked for every 200 ms while frames arrive: about 7 in 1.5 s (without the
  // RESTART, 0 to 2 happened by chance, and the file grew to 56-95 MB).
  EXPECT_GE(last - first, 5) << "the WAL started over " << last - first << " times; its file reached " << largest
                             << " bytes";
}

TEST_F(SqliteStoreTest, FailureLimitsAreStoredAsArrivalTimes) {
  store_->redeem_link_code("wrong", device("sp", "d", ""), {NamedLimit{"k", "device", {1000, 5}}}, JoinLimits{},
                           1'000'000);
  RawDb raw(path());
  EXPECT_EQ(raw.scalar("SELECT tat FROM rate_limits WHERE key = 'k'"), 1'000'000 + 1000);
}

}  // namespace
}  // namespace ssokit::store::testing
