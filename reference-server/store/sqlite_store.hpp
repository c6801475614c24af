#pragma once
// The embedded Store: one SQLite file in WAL mode with synchronous=FULL.
//
// Writes go through one writer thread that batches concurrent callers into one
// transaction and one sync (group commit; see sqlite_writer.hpp); each caller returns once
// its write is committed. Every command that writes runs whole as one writer job, so it is
// atomic; relaxed ones (lastSeen, the throttle, housekeeping) commit without waiting for
// the disk when their batch holds nothing else.
// Reads use a pool of read connections and never wait for the writer.
//
// Several processes may open one file (SQLite's own locking serialises their writes);
// a write lock held by another process past `busy_timeout_ms` surfaces as StoreError.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/link_code_changes.hpp"
#include "store/store.hpp"

namespace ssokit::store {

class LastSeenMoves;
namespace sqlite {
class Checkpointer;
class Writer;
class ReaderPool;
}  // namespace sqlite

struct SqliteOptions {
  std::string path;                 // the database file; created (mode 0600) if missing
  int busy_timeout_ms = 5000;       // how long to wait for a lock held by another process
  std::size_t max_batch = 512;      // most operations committed in one transaction
  std::size_t max_idle_readers = 8; // read connections kept open between reads
  // A WAL longer than this (in 4 KiB pages: 64 MiB) gets a RESTART checkpoint, so the WAL
  // starts over even under a steady stream of writes (sqlite_checkpointer.hpp).
  std::int64_t wal_restart_frames = 16384;
};

class SqliteStore final : public Store {
 public:
  // Opens (creating it if needed) the database, migrates its schema and starts the
  // writer thread. Throws StoreError.
  explicit SqliteStore(SqliteOptions options);
  // Finishes the queued writes, then closes every connection.
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  bool ping() override;
  bool shared_by_instances() const override { return false; }  // one serving process per file
  // An exclusive flock on <path>-serve.lock, held until the store closes (a separate file:
  // closing any descriptor of the database itself would drop SQLite's own POSIX locks).
  void claim_serving() override;

  std::string put_meta_if_absent(const std::string& key, const std::string& value) override;
  std::optional<std::string> get_meta(const std::string& key) override;

  void ensure_service_provider(const std::string& id, Millis now) override;
  bool service_provider_exists(const std::string& id) override;

  std::vector<KeyRecord> keys() override;
  KeyRecord insert_key_if_purpose_absent(const KeyRecord& key) override;
  void insert_key(const KeyRecord& key) override;

  CreationOutcome register_client(const ClientRecord& client, const std::optional<NamedLimit>& creation_limit,
                                  Millis now) override;
  CreationOutcome issue_access_token(const AccessTokenRecord& token, const std::optional<NamedLimit>& creation_limit,
                                     Millis now) override;
  void revoke_software_statement(const std::string& statement_id, Millis now) override;
  std::optional<ClientRecord> find_client(const std::string& client_id) override;
  std::optional<AccessTokenRecord> find_access_token(const std::string& token_hash) override;

  JoinOutcome join_device(const DeviceRecord& device, const JoinLimits& limits, Millis now) override;
  std::optional<DeviceRecord> find_device(const std::string& sp, const std::string& device_id) override;
  std::optional<std::string> check_device_link(const DeviceLink& caller, Millis now) override;
  DeviceList list_devices_of(const DeviceLink& caller, Millis now) override;
  UnlinkOutcome unlink_devices(const DeviceLink& caller, const std::vector<std::string>& device_ids,
                               Millis now) override;
  std::size_t rename_legacy_profiles(const std::function<std::string(const LegacyProfile&)>& rename) override;

  NewCodeOutcome create_link_code(const DeviceLink& caller, const NewLinkCode& code, Millis now) override;
  RedeemOutcome redeem_link_code(const std::string& code_hash, const DeviceRecord& joining,
                                 const std::vector<NamedLimit>& failure_limits, const JoinLimits& limits,
                                 Millis now) override;
  std::optional<LinkCodeRecord> find_link_code(const std::string& sp, const std::string& code_hash) override;
  DecisionOutcome decide_link_code(const DeviceLink& caller, const std::string& code_hash, bool approve,
                                   const JoinLimits& limits, Millis now) override;
  // One SQLite file is served by one instance (SPEC §4): its own changes are all there are.
  void watch_link_codes(LinkCodeWatcher watcher) override;
  server::RateDecision consume_rate(const std::string& key, const server::RateLimit& limit, Millis now) override;
  std::size_t purge_expired(const PurgeCutoffs& cutoffs) override;

  void insert_mvpd_session(const MvpdSessionRecord& session) override;
  std::optional<MvpdSessionRecord> find_mvpd_session(const std::string& code_hash) override;
  MvpdProfileRecord upsert_mvpd_profile(const MvpdProfileRecord& profile, Millis now) override;
  std::vector<MvpdProfileRecord> list_mvpd_profiles(const std::string& sp, const std::string& profile_id,
                                                    Millis now) override;
  bool delete_mvpd_profile(const std::string& sp, const std::string& profile_id, const std::string& mvpd,
                           Millis now) override;

  // Group-commit counters (for metrics and tests): committed transactions, and the
  // operations they carried.
  struct Stats {
    std::uint64_t transactions = 0;
    std::uint64_t operations = 0;
  };
  Stats stats() const;

  const std::string& path() const { return options_.path; }

 private:
  SqliteOptions options_;
  int serve_lock_fd_ = -1;  // claim_serving()'s lock, closed last
  std::unique_ptr<sqlite::ReaderPool> readers_;
  std::unique_ptr<sqlite::Writer> writer_;  // drains before readers close
  std::unique_ptr<sqlite::Checkpointer> checkpointer_;
  std::unique_ptr<LastSeenMoves> last_seen_;  // destroyed first: its last batch goes through writer_
  LinkCodeChanges link_code_changes_;
};

}  // namespace ssokit::store
