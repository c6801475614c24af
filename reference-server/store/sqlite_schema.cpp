#include "store/sqlite_schema.hpp"

#include <string>

#include "store/store.hpp"

namespace ssokit::store::sqlite {

namespace {

// Version 1. Times are milliseconds since the Unix epoch (INTEGER). Every lookup path of
// SqliteStore has an index (a primary key or an explicit one); the expiry indexes let the
// opportunistic clean-up delete a bounded number of dead rows without a scan.
const char* const kSchemaV1 = R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE service_providers (
  id         TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;

-- seq is the insertion order: the newest key of a purpose is the one inserted last.
CREATE TABLE keys (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  kid        TEXT NOT NULL UNIQUE,
  purpose    TEXT NOT NULL,
  jwk_json   TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX keys_by_purpose ON keys (purpose, seq);

CREATE TABLE clients (
  client_id   TEXT PRIMARY KEY,
  secret_hash TEXT NOT NULL,
  issued_at   INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE client_service_providers (
  client_id        TEXT NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
  position         INTEGER NOT NULL,
  service_provider TEXT NOT NULL,
  PRIMARY KEY (client_id, position)
) WITHOUT ROWID;

CREATE TABLE access_tokens (
  token_hash TEXT PRIMARY KEY,
  client_id  TEXT NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX access_tokens_by_expiry ON access_tokens (expires_at);

-- type: 0 regular, 1 sso.
CREATE TABLE devices (
  service_provider TEXT NOT NULL,
  device_id        TEXT NOT NULL,
  profile_id       TEXT NOT NULL,
  type             INTEGER NOT NULL,
  info_json        TEXT NOT NULL,
  first_seen       INTEGER NOT NULL,
  last_seen        INTEGER NOT NULL,
  PRIMARY KEY (service_provider, device_id)
) WITHOUT ROWID;
CREATE INDEX devices_by_profile ON devices (service_provider, profile_id, first_seen, device_id);

-- seq breaks ties between codes created in the same millisecond (oldest = lowest).
CREATE TABLE link_codes (
  seq              INTEGER PRIMARY KEY,
  service_provider TEXT NOT NULL,
  code_hash        TEXT NOT NULL,
  profile_id       TEXT NOT NULL,
  created_at       INTEGER NOT NULL,
  expires_at       INTEGER NOT NULL
);
CREATE UNIQUE INDEX link_codes_by_hash ON link_codes (service_provider, code_hash);
CREATE INDEX link_codes_by_profile ON link_codes (service_provider, profile_id, created_at);
CREATE INDEX link_codes_by_expiry ON link_codes (expires_at);

-- GCRA: one theoretical arrival time per key. A row whose tat <= now is the same as no row.
CREATE TABLE rate_limits (
  key TEXT PRIMARY KEY,
  tat INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX rate_limits_by_tat ON rate_limits (tat);

CREATE TABLE mvpd_sessions (
  code_hash        TEXT PRIMARY KEY,
  service_provider TEXT NOT NULL,
  session_id       TEXT NOT NULL,
  profile_id       TEXT NOT NULL,
  device_id        TEXT NOT NULL,
  mvpd             TEXT NOT NULL,
  domain_name      TEXT NOT NULL,
  redirect_url     TEXT NOT NULL,
  created_at       INTEGER NOT NULL,
  expires_at       INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX mvpd_sessions_by_expiry ON mvpd_sessions (expires_at);

CREATE TABLE mvpd_profiles (
  service_provider TEXT NOT NULL,
  profile_id       TEXT NOT NULL,
  mvpd             TEXT NOT NULL,
  login_device_id  TEXT NOT NULL,
  user_id          TEXT NOT NULL,
  not_before       INTEGER NOT NULL,
  not_after        INTEGER NOT NULL,
  PRIMARY KEY (service_provider, profile_id, mvpd)
) WITHOUT ROWID;
CREATE INDEX mvpd_profiles_by_expiry ON mvpd_profiles (not_after);
)sql";

// Version 2 (issue 7, attack review): a device's link id, so tokens die with their linkage;
// the software statement a client was registered with, and revoked statements. Profiles
// written by version 1 are named by the common id itself; the upgrade marks them so the
// server renames them to pseudonyms (Store::rename_legacy_profiles) before serving.
const char* const kSchemaV2 = R"sql(
ALTER TABLE devices ADD COLUMN link_id TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN statement_id TEXT NOT NULL DEFAULT '';
CREATE TABLE revoked_statements (
  statement_id TEXT PRIMARY KEY,
  revoked_at   INTEGER NOT NULL
) WITHOUT ROWID;
)sql";

// Version 3 (SPEC §6.1, §6.2): a link code's life. A code is no longer deleted when it is
// redeemed: its state, the device that made it and the device that took it stay readable
// until housekeeping purges it (after its status retention). state: 0 waiting, 1 awaiting
// approval, 2 redeemed, 3 denied (store.hpp LinkCodeState).
const char* const kSchemaV3 = R"sql(
ALTER TABLE link_codes ADD COLUMN creator_device_id TEXT NOT NULL DEFAULT '';
ALTER TABLE link_codes ADD COLUMN approval_required INTEGER NOT NULL DEFAULT 0;
ALTER TABLE link_codes ADD COLUMN state INTEGER NOT NULL DEFAULT 0;
ALTER TABLE link_codes ADD COLUMN joining_device_id TEXT NOT NULL DEFAULT '';
ALTER TABLE link_codes ADD COLUMN joining_info_json TEXT NOT NULL DEFAULT '';
ALTER TABLE link_codes ADD COLUMN taken_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE link_codes ADD COLUMN joining_link_id TEXT NOT NULL DEFAULT '';
)sql";

// Version 4 (issue 9): a profile's live and pending codes found without reading its spent
// and retired ones. Spent codes stay until their status retention ends (version 3), so a
// profile that makes codes quickly keeps hundreds of dead rows, and the cap and the
// pending-approval count, which walked them all through link_codes_by_profile, cost the
// writer time in proportion (3 ms a code at 1,000 rows, measured). Both queries name the
// state and a lower bound on expires_at, which this index ranges over directly.
const char* const kSchemaV4 = R"sql(
DROP INDEX link_codes_by_profile;
CREATE INDEX link_codes_by_profile_state ON link_codes (service_provider, profile_id, state, expires_at);
)sql";

int user_version(Connection& db) {
  auto q = db.query("PRAGMA user_version");
  return q.step() ? static_cast<int>(q.int64(0)) : 0;
}

}  // namespace

void migrate(Connection& db) {
  // Outside any transaction: the journal mode cannot change inside one. WAL persists in
  // the file, so this is a no-op after the first open.
  {
    auto q = db.query("PRAGMA journal_mode = WAL");
    const std::string mode = q.step() ? q.text(0) : std::string();
    if (mode != "wal") {
      throw StoreError("sqlite: could not switch the database to WAL mode (journal_mode is '" + mode + "')");
    }
  }
  if (user_version(db) == kSchemaVersion) return;  // the common case: nothing to do

  db.exec("BEGIN IMMEDIATE");
  try {
    const int version = user_version(db);  // again, now that we hold the write lock
    if (version > kSchemaVersion) {
      throw StoreError("sqlite: the database has schema version " + std::to_string(version) +
                       ", newer than this server's " + std::to_string(kSchemaVersion) +
                       ": upgrade the server");
    }
    if (version < 1) db.exec(kSchemaV1);
    if (version < 2) db.exec(kSchemaV2);
    if (version < 3) db.exec(kSchemaV3);
    if (version < 4) db.exec(kSchemaV4);
    if (version == 1) db.exec("INSERT INTO meta (key, value) VALUES ('legacy-profile-names', 'pending')");
    // Later versions: if (version < 5) db.exec(kSchemaV5); ...
    if (version < kSchemaVersion) {
      db.exec(("PRAGMA user_version = " + std::to_string(kSchemaVersion)).c_str());
    }
    db.exec("COMMIT");
  } catch (...) {
    if (db.in_transaction()) {
      try {
        db.exec("ROLLBACK");
      } catch (...) {
      }
    }
    throw;
  }
}

}  // namespace ssokit::store::sqlite
