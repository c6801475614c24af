#include "store/postgres_schema.hpp"

#include <string>

namespace ssokit::store::postgres {
namespace {

// Any number that is this store's alone: the lock that serialises migrations.
constexpr const char* kMigrationLock = "SELECT pg_advisory_xact_lock(7361736173)";

// Version 2, the same tables as the SQLite store's version 2. Times are milliseconds since
// the Unix epoch (BIGINT); every lookup path has an index.
const char* const kSchemaV2 = R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE service_providers (
  id         TEXT PRIMARY KEY,
  created_at BIGINT NOT NULL
);
CREATE TABLE keys (
  seq        BIGSERIAL PRIMARY KEY,
  kid        TEXT NOT NULL UNIQUE,
  purpose    TEXT NOT NULL,
  jwk_json   TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX keys_by_purpose ON keys (purpose, seq);
CREATE TABLE clients (
  client_id    TEXT PRIMARY KEY,
  secret_hash  TEXT NOT NULL,
  statement_id TEXT NOT NULL DEFAULT '',
  issued_at    BIGINT NOT NULL
);
CREATE TABLE client_service_providers (
  client_id        TEXT NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
  position         INTEGER NOT NULL,
  service_provider TEXT NOT NULL,
  PRIMARY KEY (client_id, position)
);
CREATE TABLE revoked_statements (
  statement_id TEXT PRIMARY KEY,
  revoked_at   BIGINT NOT NULL
);
CREATE TABLE access_tokens (
  token_hash TEXT PRIMARY KEY,
  client_id  TEXT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX access_tokens_by_expiry ON access_tokens (expires_at);
CREATE TABLE devices (
  service_provider TEXT NOT NULL,
  device_id        TEXT NOT NULL,
  profile_id       TEXT NOT NULL,
  link_id          TEXT NOT NULL,
  type             INTEGER NOT NULL,
  info_json        TEXT NOT NULL,
  first_seen       BIGINT NOT NULL,
  last_seen        BIGINT NOT NULL,
  PRIMARY KEY (service_provider, device_id)
);
CREATE INDEX devices_by_profile ON devices (service_provider, profile_id, first_seen, device_id);
CREATE TABLE link_codes (
  seq              BIGSERIAL PRIMARY KEY,
  service_provider TEXT NOT NULL,
  code_hash        TEXT NOT NULL,
  profile_id       TEXT NOT NULL,
  created_at       BIGINT NOT NULL,
  expires_at       BIGINT NOT NULL,
  UNIQUE (service_provider, code_hash)
);
CREATE INDEX link_codes_by_profile ON link_codes (service_provider, profile_id, created_at);
CREATE INDEX link_codes_by_expiry ON link_codes (expires_at);
CREATE TABLE rate_limits (
  key TEXT PRIMARY KEY,
  tat BIGINT NOT NULL
);
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
  created_at       BIGINT NOT NULL,
  expires_at       BIGINT NOT NULL
);
CREATE INDEX mvpd_sessions_by_expiry ON mvpd_sessions (expires_at);
CREATE TABLE mvpd_profiles (
  service_provider TEXT NOT NULL,
  profile_id       TEXT NOT NULL,
  mvpd             TEXT NOT NULL,
  login_device_id  TEXT NOT NULL,
  user_id          TEXT NOT NULL,
  not_before       BIGINT NOT NULL,
  not_after        BIGINT NOT NULL,
  PRIMARY KEY (service_provider, profile_id, mvpd)
);
CREATE INDEX mvpd_profiles_by_expiry ON mvpd_profiles (not_after);
)sql";

// Version 3 (SPEC §6.1, §6.2): a link code's life, as in the SQLite store's version 3.
const char* const kSchemaV3 = R"sql(
ALTER TABLE link_codes ADD COLUMN creator_device_id TEXT NOT NULL DEFAULT '';
ALTER TABLE link_codes ADD COLUMN approval_required INTEGER NOT NULL DEFAULT 0;
ALTER TABLE link_codes ADD COLUMN state INTEGER NOT NULL DEFAULT 0;
ALTER TABLE link_codes ADD COLUMN joining_device_id TEXT NOT NULL DEFAULT '';
ALTER TABLE link_codes ADD COLUMN joining_info_json TEXT NOT NULL DEFAULT '';
ALTER TABLE link_codes ADD COLUMN taken_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE link_codes ADD COLUMN joining_link_id TEXT NOT NULL DEFAULT '';
)sql";

// Version 4 (issue 9), as in the SQLite store's version 4 (sqlite_schema.cpp says why): a
// profile's live and pending codes found without reading its spent and retired ones.
const char* const kSchemaV4 = R"sql(
DROP INDEX link_codes_by_profile;
CREATE INDEX link_codes_by_profile_state ON link_codes (service_provider, profile_id, state, expires_at);
)sql";

}  // namespace

void migrate(ConnectionPool& pool) {
  run_transaction(pool, Isolation::kReadCommitted, Durability::kDurable, [](Connection& db) {
    db.exec(kMigrationLock);
    db.exec("CREATE TABLE IF NOT EXISTS ssokit_schema (version INTEGER NOT NULL)");
    const Rows rows = db.run("schema_version", "SELECT version FROM ssokit_schema", Params());
    const std::int64_t version = rows.empty() ? 0 : rows.int64(0, 0);
    if (version > kSchemaVersion) {
      throw StoreError("postgresql: the database has schema version " + std::to_string(version) +
                       ", newer than this server's " + std::to_string(kSchemaVersion) + ": upgrade the server");
    }
    if (version == kSchemaVersion) return;
    // Version 1 never existed on PostgreSQL: a new database starts at version 2.
    if (version < 2) db.exec(kSchemaV2);
    if (version < 3) db.exec(kSchemaV3);
    if (version < 4) db.exec(kSchemaV4);
    const std::string to = std::to_string(kSchemaVersion);
    db.exec((rows.empty() ? "INSERT INTO ssokit_schema (version) VALUES (" + to + ")"
                          : "UPDATE ssokit_schema SET version = " + to)
                .c_str());
  });
}

}  // namespace ssokit::store::postgres
