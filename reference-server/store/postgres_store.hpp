#pragma once
// The Store on PostgreSQL (libpq), for several server instances on one database (SPEC §4).
//
// Atomicity comes from the database: every command that reads then writes runs as one
// SERIALIZABLE transaction, retried on a serialization failure; single-statement reads and
// writes run on their own. Durable commands commit with synchronous_commit on; relaxed ones
// (the throttle, housekeeping, lastSeen moves) with it off; a call moves lastSeen in memory
// and a batch per interval writes the moves (last_seen_moves.hpp). Statements are prepared once per
// connection. When the database is unreachable, commands throw StoreUnavailable (503) within
// the pool's timeouts, and the next command reconnects.
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/link_code_changes.hpp"
#include "store/store.hpp"

namespace ssokit::store {

class LastSeenMoves;
struct LastSeenMove;
namespace postgres {
class ConnectionPool;
class LinkCodeListener;
}  // namespace postgres

// Connections per instance unless --store-pool says otherwise: the io threads (8) plus the
// housekeeping and room for bursts; PostgreSQL's default max_connections (100) holds five
// instances.
inline constexpr std::size_t kDefaultPostgresPoolSize = 16;

struct PostgresOptions {
  std::string url;                // a libpq connection URI (postgresql:// or postgres://)
  std::size_t pool_size = kDefaultPostgresPoolSize;  // connections per instance
  int connect_timeout_s = 3;      // opening a connection
  int acquire_timeout_ms = 5000;  // waiting for a free one
};

class PostgresStore final : public Store {
 public:
  // Connects, creates or migrates the schema. Throws StoreError (StoreUnavailable when the
  // database cannot be reached).
  explicit PostgresStore(PostgresOptions options);
  ~PostgresStore() override;
  PostgresStore(const PostgresStore&) = delete;
  PostgresStore& operator=(const PostgresStore&) = delete;

  bool ping() override;
  bool shared_by_instances() const override { return true; }  // any number of instances on one database
  void claim_serving() override {}

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
  // This instance's changes at once; every other instance's through LISTEN on a connection of
  // its own, opened by the first call.
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

 private:
  void write_last_seen(const std::vector<LastSeenMove>& moves);

  std::string url_;
  std::unique_ptr<postgres::ConnectionPool> pool_;
  std::unique_ptr<LastSeenMoves> last_seen_;  // destroyed first: its last batch needs pool_
  LinkCodeChanges link_code_changes_;
  std::mutex listener_mutex_;
  std::unique_ptr<postgres::LinkCodeListener> listener_;  // after link_code_changes_: stopped before it goes
};

}  // namespace ssokit::store
