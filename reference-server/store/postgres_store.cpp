// The PostgreSQL store: connection, meta, service providers, keys, clients, access tokens
// and the MVPD part. Devices, link codes and limits are in postgres_store_devices.cpp.
#include "store/postgres_store.hpp"
#include "store/postgres_listener.hpp"

#include "store/last_seen_moves.hpp"
#include "store/postgres_pool.hpp"
#include "store/postgres_schema.hpp"
#include "store/postgres_store_support.hpp"

namespace ssokit::store {

using postgres::Connection;
using postgres::Durability;
using postgres::in_transaction;
using postgres::Isolation;
using postgres::on_connection;
using postgres::Params;
using postgres::Rows;

namespace {

KeyRecord read_key(const Rows& rows, int row) {
  return KeyRecord{rows.text(row, 0), rows.text(row, 1), rows.text(row, 2), rows.int64(row, 3)};
}

MvpdProfileRecord read_mvpd_profile(const Rows& rows, int row) {
  MvpdProfileRecord p;
  p.service_provider = rows.text(row, 0);
  p.profile_id = rows.text(row, 1);
  p.mvpd = rows.text(row, 2);
  p.login_device_id = rows.text(row, 3);
  p.user_id = rows.text(row, 4);
  p.not_before = rows.int64(row, 5);
  p.not_after = rows.int64(row, 6);
  return p;
}

// Not for a revoked statement, not past the creation limit (consumed when there is room).
CreationOutcome creation_refusal(Connection& db, const std::string& statement_id,
                                 const std::optional<NamedLimit>& creation_limit, Millis now) {
  CreationOutcome outcome;
  if (!statement_id.empty() && !db.run("statement_revoked", "SELECT 1 FROM revoked_statements WHERE statement_id = $1",
                                       Params().add(statement_id))
                                    .empty()) {
    outcome.result = CreationResult::kStatementRevoked;
    return outcome;
  }
  if (creation_limit) {
    const server::RateDecision decision = postgres::look(db, *creation_limit, now);
    if (!decision.allowed) {
      outcome.result = CreationResult::kLimited;
      outcome.retry_after_ms = decision.retry_after_ms;
      return outcome;
    }
    postgres::store_tat(db, creation_limit->key, decision.new_tat);
  }
  return outcome;
}

}  // namespace

PostgresStore::PostgresStore(PostgresOptions options) : url_(options.url) {
  postgres::PoolOptions pool;
  pool.url = options.url;
  pool.size = std::max<std::size_t>(options.pool_size, 1);
  pool.connect_timeout_s = options.connect_timeout_s;
  pool.acquire_timeout = std::chrono::milliseconds(options.acquire_timeout_ms);
  pool_ = std::make_unique<postgres::ConnectionPool>(std::move(pool));
  postgres::migrate(*pool_);
  last_seen_ = std::make_unique<LastSeenMoves>([this](const std::vector<LastSeenMove>& moves) { write_last_seen(moves); });
}

PostgresStore::~PostgresStore() {
  listener_.reset();   // no watcher call from here on
  last_seen_.reset();  // its last batch, while the pool is still open
}

bool PostgresStore::ping() {
  try {
    return on_connection(*pool_, [](Connection& db) { return !db.run("ping", "SELECT 1", Params()).empty(); });
  } catch (const StoreError&) {
    return false;
  }
}

// ---- meta and service providers --------------------------------------------------------

std::string PostgresStore::put_meta_if_absent(const std::string& key, const std::string& value) {
  return in_transaction(*pool_, Isolation::kReadCommitted, Durability::kDurable, [&](Connection& db) {
    db.run("meta_insert", "INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
           Params().add(key).add(value));
    // A new statement, a new snapshot: it sees a row a racing instance committed first.
    const Rows rows = db.run("meta_get", "SELECT value FROM meta WHERE key = $1", Params().add(key));
    if (rows.empty()) throw StoreError("postgresql: meta row vanished inside its transaction");
    return rows.text(0, 0);
  });
}

std::optional<std::string> PostgresStore::get_meta(const std::string& key) {
  return on_connection(*pool_, [&](Connection& db) -> std::optional<std::string> {
    const Rows rows = db.run("meta_get", "SELECT value FROM meta WHERE key = $1", Params().add(key));
    if (rows.empty()) return std::nullopt;
    return rows.text(0, 0);
  });
}

void PostgresStore::ensure_service_provider(const std::string& id, Millis now) {
  on_connection(*pool_, [&](Connection& db) {
    db.run("sp_insert", "INSERT INTO service_providers (id, created_at) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING",
           Params().add(id).add(now));
  });
}

bool PostgresStore::service_provider_exists(const std::string& id) {
  return on_connection(*pool_, [&](Connection& db) {
    return !db.run("sp_exists", "SELECT 1 FROM service_providers WHERE id = $1", Params().add(id)).empty();
  });
}

// ---- keys ------------------------------------------------------------------------------

std::vector<KeyRecord> PostgresStore::keys() {
  return on_connection(*pool_, [](Connection& db) {
    const Rows rows =
        db.run("keys_all", "SELECT kid, purpose, jwk_json, created_at FROM keys ORDER BY seq DESC", Params());
    std::vector<KeyRecord> keys;
    for (int i = 0; i < rows.count(); ++i) keys.push_back(read_key(rows, i));
    return keys;
  });
}

KeyRecord PostgresStore::insert_key_if_purpose_absent(const KeyRecord& key) {
  return in_transaction(*pool_, Isolation::kSerializable, Durability::kDurable, [&](Connection& db) {
    const Rows newest = db.run("keys_newest",
                               "SELECT kid, purpose, jwk_json, created_at FROM keys WHERE purpose = $1 "
                               "ORDER BY seq DESC LIMIT 1",
                               Params().add(key.purpose));
    if (!newest.empty()) return read_key(newest, 0);
    db.run("keys_insert", "INSERT INTO keys (kid, purpose, jwk_json, created_at) VALUES ($1, $2, $3, $4)",
           Params().add(key.kid).add(key.purpose).add(key.jwk_json).add(key.created_at));
    return key;
  });
}

void PostgresStore::insert_key(const KeyRecord& key) {
  on_connection(*pool_, [&](Connection& db) {
    db.run("keys_insert", "INSERT INTO keys (kid, purpose, jwk_json, created_at) VALUES ($1, $2, $3, $4)",
           Params().add(key.kid).add(key.purpose).add(key.jwk_json).add(key.created_at));
  });
}

// ---- clients and access tokens ---------------------------------------------------------

CreationOutcome PostgresStore::register_client(const ClientRecord& client,
                                               const std::optional<NamedLimit>& creation_limit, Millis now) {
  return in_transaction(*pool_, Isolation::kSerializable, Durability::kDurable, [&](Connection& db) {
    CreationOutcome outcome = creation_refusal(db, client.statement_id, creation_limit, now);
    if (outcome.result != CreationResult::kCreated) return outcome;
    db.run("client_insert",
           "INSERT INTO clients (client_id, secret_hash, statement_id, issued_at) VALUES ($1, $2, $3, $4)",
           Params().add(client.client_id).add(client.secret_hash).add(client.statement_id).add(client.issued_at));
    std::int64_t position = 0;
    for (const std::string& sp : client.service_providers) {
      db.run("client_sp_insert",
             "INSERT INTO client_service_providers (client_id, position, service_provider) VALUES ($1, $2, $3)",
             Params().add(client.client_id).add(position++).add(sp));
    }
    return outcome;
  });
}

CreationOutcome PostgresStore::issue_access_token(const AccessTokenRecord& token,
                                                  const std::optional<NamedLimit>& creation_limit, Millis now) {
  return in_transaction(*pool_, Isolation::kSerializable, Durability::kDurable, [&](Connection& db) {
    const Rows client = db.run("client_statement", "SELECT statement_id FROM clients WHERE client_id = $1",
                               Params().add(token.client_id));
    if (client.empty()) throw StoreError("postgresql: an access token for a client that does not exist");
    CreationOutcome outcome = creation_refusal(db, client.text(0, 0), creation_limit, now);
    if (outcome.result != CreationResult::kCreated) return outcome;
    db.run("token_insert", "INSERT INTO access_tokens (token_hash, client_id, expires_at) VALUES ($1, $2, $3)",
           Params().add(token.token_hash).add(token.client_id).add(token.expires_at));
    return outcome;
  });
}

void PostgresStore::revoke_software_statement(const std::string& statement_id, Millis now) {
  on_connection(*pool_, [&](Connection& db) {
    db.run("statement_revoke",
           "INSERT INTO revoked_statements (statement_id, revoked_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
           Params().add(statement_id).add(now));
  });
}

std::optional<ClientRecord> PostgresStore::find_client(const std::string& client_id) {
  return on_connection(*pool_, [&](Connection& db) -> std::optional<ClientRecord> {
    // One statement, so the client and its service providers come from one snapshot.
    const Rows rows = db.run("client_find",
                             "SELECT c.client_id, c.secret_hash, c.issued_at, s.service_provider, c.statement_id "
                             "FROM clients c LEFT JOIN client_service_providers s ON s.client_id = c.client_id "
                             "WHERE c.client_id = $1 ORDER BY s.position",
                             Params().add(client_id));
    if (rows.empty()) return std::nullopt;
    ClientRecord client;
    client.client_id = rows.text(0, 0);
    client.secret_hash = rows.text(0, 1);
    client.issued_at = rows.int64(0, 2);
    client.statement_id = rows.text(0, 4);
    for (int i = 0; i < rows.count(); ++i) {
      if (!rows.is_null(i, 3)) client.service_providers.push_back(rows.text(i, 3));
    }
    return client;
  });
}

std::optional<AccessTokenRecord> PostgresStore::find_access_token(const std::string& token_hash) {
  return on_connection(*pool_, [&](Connection& db) -> std::optional<AccessTokenRecord> {
    const Rows rows =
        db.run("token_find", "SELECT token_hash, client_id, expires_at FROM access_tokens WHERE token_hash = $1",
               Params().add(token_hash));
    if (rows.empty()) return std::nullopt;
    return AccessTokenRecord{rows.text(0, 0), rows.text(0, 1), rows.int64(0, 2)};
  });
}

// ---- MVPD ------------------------------------------------------------------------------

void PostgresStore::insert_mvpd_session(const MvpdSessionRecord& s) {
  in_transaction(*pool_, Isolation::kSerializable, Durability::kDurable, [&](Connection& db) {
    // A dead session with the same hash is replaced; a live one is a collision (error).
    db.run("session_replace_dead", "DELETE FROM mvpd_sessions WHERE code_hash = $1 AND expires_at <= $2",
           Params().add(s.code_hash).add(s.created_at));
    db.run("session_insert",
           "INSERT INTO mvpd_sessions (code_hash, service_provider, session_id, profile_id, device_id, mvpd, "
           "domain_name, redirect_url, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
           Params()
               .add(s.code_hash)
               .add(s.service_provider)
               .add(s.session_id)
               .add(s.profile_id)
               .add(s.device_id)
               .add(s.mvpd)
               .add(s.domain_name)
               .add(s.redirect_url)
               .add(s.created_at)
               .add(s.expires_at));
  });
}

std::optional<MvpdSessionRecord> PostgresStore::find_mvpd_session(const std::string& code_hash) {
  return on_connection(*pool_, [&](Connection& db) -> std::optional<MvpdSessionRecord> {
    const Rows rows =
        db.run("session_find",
               "SELECT code_hash, service_provider, session_id, profile_id, device_id, mvpd, "
               "domain_name, redirect_url, created_at, expires_at FROM mvpd_sessions WHERE code_hash = $1",
               Params().add(code_hash));
    if (rows.empty()) return std::nullopt;
    MvpdSessionRecord s;
    s.code_hash = rows.text(0, 0);
    s.service_provider = rows.text(0, 1);
    s.session_id = rows.text(0, 2);
    s.profile_id = rows.text(0, 3);
    s.device_id = rows.text(0, 4);
    s.mvpd = rows.text(0, 5);
    s.domain_name = rows.text(0, 6);
    s.redirect_url = rows.text(0, 7);
    s.created_at = rows.int64(0, 8);
    s.expires_at = rows.int64(0, 9);
    return s;
  });
}

MvpdProfileRecord PostgresStore::upsert_mvpd_profile(const MvpdProfileRecord& profile, Millis now) {
  return in_transaction(*pool_, Isolation::kSerializable, Durability::kDurable, [&](Connection& db) {
    const Rows live = db.run("mvpd_profile_live",
                             "SELECT service_provider, profile_id, mvpd, login_device_id, user_id, not_before, "
                             "not_after FROM mvpd_profiles WHERE service_provider = $1 AND profile_id = $2 AND "
                             "mvpd = $3 AND not_after > $4",
                             Params().add(profile.service_provider).add(profile.profile_id).add(profile.mvpd).add(now));
    if (!live.empty()) return read_mvpd_profile(live, 0);
    db.run("mvpd_profile_put",
           "INSERT INTO mvpd_profiles (service_provider, profile_id, mvpd, login_device_id, user_id, not_before, "
           "not_after) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (service_provider, profile_id, mvpd) DO UPDATE "
           "SET login_device_id = excluded.login_device_id, user_id = excluded.user_id, "
           "not_before = excluded.not_before, not_after = excluded.not_after",
           Params()
               .add(profile.service_provider)
               .add(profile.profile_id)
               .add(profile.mvpd)
               .add(profile.login_device_id)
               .add(profile.user_id)
               .add(profile.not_before)
               .add(profile.not_after));
    return profile;
  });
}

std::vector<MvpdProfileRecord> PostgresStore::list_mvpd_profiles(const std::string& sp, const std::string& profile_id,
                                                                 Millis now) {
  return on_connection(*pool_, [&](Connection& db) {
    const Rows rows = db.run("mvpd_profiles_list",
                             "SELECT service_provider, profile_id, mvpd, login_device_id, user_id, not_before, "
                             "not_after FROM mvpd_profiles WHERE service_provider = $1 AND profile_id = $2 AND "
                             "not_after > $3 ORDER BY not_before, mvpd",
                             Params().add(sp).add(profile_id).add(now));
    std::vector<MvpdProfileRecord> profiles;
    for (int i = 0; i < rows.count(); ++i) profiles.push_back(read_mvpd_profile(rows, i));
    return profiles;
  });
}

bool PostgresStore::delete_mvpd_profile(const std::string& sp, const std::string& profile_id, const std::string& mvpd,
                                        Millis now) {
  return on_connection(*pool_, [&](Connection& db) {
    // One statement: the row goes either way; the answer says whether it was still live.
    const Rows rows = db.run("mvpd_profile_delete",
                             "DELETE FROM mvpd_profiles WHERE service_provider = $1 AND profile_id = $2 AND mvpd = $3 "
                             "RETURNING not_after > $4",
                             Params().add(sp).add(profile_id).add(mvpd).add(now));
    return !rows.empty() && rows.text(0, 0) == "t";
  });
}

}  // namespace ssokit::store
