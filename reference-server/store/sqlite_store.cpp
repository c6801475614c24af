#include "store/sqlite_store.hpp"

#include "store/last_seen_moves.hpp"
#include "store/sqlite_checkpointer.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <utility>

#include "core/private_files.hpp"
#include "store/sqlite_schema.hpp"
#include "store/sqlite_store_support.hpp"

namespace ssokit::store {

namespace {

using sqlite::Connection;
using sqlite::on_reader;
using sqlite::on_writer;
using sqlite::Query;

// Columns: kid, purpose, jwk_json, created_at.
KeyRecord read_key(const Query& q) {
  KeyRecord k;
  k.kid = q.text(0);
  k.purpose = q.text(1);
  k.jwk_json = q.text(2);
  k.created_at = q.int64(3);
  return k;
}

// Columns: service_provider, profile_id, mvpd, login_device_id, user_id, not_before, not_after.
MvpdProfileRecord read_mvpd_profile(const Query& q) {
  MvpdProfileRecord p;
  p.service_provider = q.text(0);
  p.profile_id = q.text(1);
  p.mvpd = q.text(2);
  p.login_device_id = q.text(3);
  p.user_id = q.text(4);
  p.not_before = q.int64(5);
  p.not_after = q.int64(6);
  return p;
}

// Creates the database file with owner-only permissions before SQLite does (SQLite would
// use 0644; the file holds private keys), never through a symlink planted in its place.
// SQLite gives -wal and -shm the same mode. An existing file must be the user's own and
// not writable by others.
void prepare_private_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd >= 0) {
    ::close(fd);
    return;
  }
  if (errno != EEXIST) {
    const int error = errno;
    throw StoreError("sqlite: cannot create the database file " + path + ": " + std::strerror(error));
  }
  try {
    server::check_private_file_owner(path);
  } catch (const std::runtime_error& e) {
    throw StoreError(std::string("sqlite: ") + e.what());
  }
}

// Whether a registration or an access token may be created: not for a revoked statement,
// not past the creation limit (consumed when there is room).
CreationOutcome creation_refusal(Connection& db, const std::string& statement_id,
                                 const std::optional<NamedLimit>& creation_limit, Millis now) {
  CreationOutcome outcome;
  if (!statement_id.empty()) {
    auto q = db.query("SELECT 1 FROM revoked_statements WHERE statement_id = ?");
    q.bind(statement_id);
    if (q.step()) {
      outcome.result = CreationResult::kStatementRevoked;
      return outcome;
    }
  }
  if (creation_limit) {
    const server::RateDecision decision =
        server::gcra(sqlite::stored_tat(db, creation_limit->key), now, creation_limit->limit);
    if (!decision.allowed) {
      outcome.result = CreationResult::kLimited;
      outcome.retry_after_ms = decision.retry_after_ms;
      return outcome;
    }
    sqlite::store_tat(db, creation_limit->key, decision.new_tat);
  }
  return outcome;
}

}  // namespace

SqliteStore::SqliteStore(SqliteOptions options) : options_(std::move(options)) {
  if (options_.path.empty() || options_.path == ":memory:" || options_.path.rfind("file:", 0) == 0) {
    throw StoreError("sqlite: the store needs the path of a database file");
  }
  prepare_private_file(options_.path);
  auto connection = std::make_unique<Connection>(options_.path, Connection::Mode::kWriter, options_.busy_timeout_ms);
  sqlite::migrate(*connection);
  // Checkpoints run on their own thread (sqlite_checkpointer.hpp), never inside a commit.
  connection->exec("PRAGMA wal_autocheckpoint = 0");
  connection->exec(("PRAGMA journal_size_limit = " + std::to_string(sqlite::Checkpointer::kWalSizeLimit)).c_str());
  readers_ = std::make_unique<sqlite::ReaderPool>(options_.path, options_.busy_timeout_ms, options_.max_idle_readers);
  writer_ = std::make_unique<sqlite::Writer>(std::move(connection), options_.max_batch);
  checkpointer_ = std::make_unique<sqlite::Checkpointer>(options_.path, options_.busy_timeout_ms,
                                                         sqlite::Checkpointer::kDefaultInterval,
                                                         options_.wal_restart_frames,
                                                         [this] { writer_->request_wal_catch_up(); });
  last_seen_ = std::make_unique<LastSeenMoves>([this](const std::vector<LastSeenMove>& moves) {
    // One relaxed writer job for the whole batch: no fsync of its own.
    on_writer(*writer_, [&](Connection& db) {
      for (const LastSeenMove& move : moves) {
        auto q = db.query(
            "UPDATE devices SET last_seen = max(last_seen, ?1) "
            "WHERE service_provider = ?2 AND device_id = ?3 AND link_id = ?4");
        q.bind(move.at).bind(move.service_provider).bind(move.device_id).bind(move.link_id);
        q.run();
      }
    }, sqlite::Durability::kRelaxed);
  });
}

SqliteStore::~SqliteStore() {
  last_seen_.reset();  // its last batch, while the writer still runs
  checkpointer_.reset();
  writer_.reset();     // finishes the queued writes
  readers_.reset();
  if (serve_lock_fd_ >= 0) ::close(serve_lock_fd_);
}

void SqliteStore::claim_serving() {
  if (serve_lock_fd_ >= 0) return;
  const std::string lock_path = options_.path + "-serve.lock";
  const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    const int error = errno;
    throw StoreError("sqlite: cannot open " + lock_path + ": " + std::strerror(error));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    ::close(fd);
    if (error == EWOULDBLOCK) {
      throw StoreError("sqlite: another ssokit-server already serves " + options_.path +
                       " (one process serves a SQLite file; several instances share a PostgreSQL store)");
    }
    throw StoreError("sqlite: cannot lock " + lock_path + ": " + std::strerror(error));
  }
  serve_lock_fd_ = fd;
}

SqliteStore::Stats SqliteStore::stats() const {
  Stats stats;
  stats.transactions = writer_->transactions();
  stats.operations = writer_->operations();
  return stats;
}

bool SqliteStore::ping() {
  try {
    const bool readable = on_reader(*readers_, [](Connection& db) {
      auto q = db.query("SELECT count(*) FROM sqlite_schema");  // reads the file, not just the library
      return q.step();
    });
    // A write round trip too: the writer's transaction must take the write lock, so a
    // database locked by another process reports unhealthy (writes would fail). It writes
    // nothing, so the commit costs no sync.
    on_writer(*writer_, [](Connection&) {});
    return readable;
  } catch (const StoreError&) {
    return false;
  }
}

// ---- meta ------------------------------------------------------------------------------

std::string SqliteStore::put_meta_if_absent(const std::string& key, const std::string& value) {
  return on_writer(*writer_, [&](Connection& db) {
    {
      auto q = db.query("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING");
      q.bind(key).bind(value);
      q.run();
    }
    auto q = db.query("SELECT value FROM meta WHERE key = ?");
    q.bind(key);
    if (!q.step()) throw StoreError("sqlite: meta row vanished inside its transaction");
    return q.text(0);
  });
}

std::optional<std::string> SqliteStore::get_meta(const std::string& key) {
  return on_reader(*readers_, [&](Connection& db) -> std::optional<std::string> {
    auto q = db.query("SELECT value FROM meta WHERE key = ?");
    q.bind(key);
    if (!q.step()) return std::nullopt;
    return q.text(0);
  });
}

// ---- service providers -----------------------------------------------------------------

void SqliteStore::ensure_service_provider(const std::string& id, Millis now) {
  on_writer(*writer_, [&](Connection& db) {
    auto q = db.query("INSERT INTO service_providers (id, created_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING");
    q.bind(id).bind(now);
    q.run();
  });
}

bool SqliteStore::service_provider_exists(const std::string& id) {
  return on_reader(*readers_, [&](Connection& db) {
    auto q = db.query("SELECT 1 FROM service_providers WHERE id = ?");
    q.bind(id);
    return q.step();
  });
}

// ---- keys ------------------------------------------------------------------------------

std::vector<KeyRecord> SqliteStore::keys() {
  return on_reader(*readers_, [](Connection& db) {
    std::vector<KeyRecord> keys;
    auto q = db.query("SELECT kid, purpose, jwk_json, created_at FROM keys ORDER BY seq DESC");
    while (q.step()) keys.push_back(read_key(q));
    return keys;
  });
}

KeyRecord SqliteStore::insert_key_if_purpose_absent(const KeyRecord& key) {
  return on_writer(*writer_, [&](Connection& db) {
    {
      auto q = db.query(
          "SELECT kid, purpose, jwk_json, created_at FROM keys WHERE purpose = ? ORDER BY seq DESC LIMIT 1");
      q.bind(key.purpose);
      if (q.step()) return read_key(q);
    }
    auto q = db.query("INSERT INTO keys (kid, purpose, jwk_json, created_at) VALUES (?, ?, ?, ?)");
    q.bind(key.kid).bind(key.purpose).bind(key.jwk_json).bind(key.created_at);
    q.run();
    return key;
  });
}

void SqliteStore::insert_key(const KeyRecord& key) {
  on_writer(*writer_, [&](Connection& db) {
    auto q = db.query("INSERT INTO keys (kid, purpose, jwk_json, created_at) VALUES (?, ?, ?, ?)");
    q.bind(key.kid).bind(key.purpose).bind(key.jwk_json).bind(key.created_at);
    q.run();
  });
}

// ---- clients and access tokens ---------------------------------------------------------

CreationOutcome SqliteStore::register_client(const ClientRecord& client,
                                             const std::optional<NamedLimit>& creation_limit, Millis now) {
  return on_writer(*writer_, [&](Connection& db) {
    CreationOutcome outcome = creation_refusal(db, client.statement_id, creation_limit, now);
    if (outcome.result != CreationResult::kCreated) return outcome;
    {
      auto q = db.query("INSERT INTO clients (client_id, secret_hash, statement_id, issued_at) VALUES (?, ?, ?, ?)");
      q.bind(client.client_id).bind(client.secret_hash).bind(client.statement_id).bind(client.issued_at);
      q.run();
    }
    std::int64_t position = 0;
    for (const std::string& sp : client.service_providers) {
      auto q = db.query(
          "INSERT INTO client_service_providers (client_id, position, service_provider) VALUES (?, ?, ?)");
      q.bind(client.client_id).bind(position++).bind(sp);
      q.run();
    }
    return outcome;
  });
}

std::optional<ClientRecord> SqliteStore::find_client(const std::string& client_id) {
  return on_reader(*readers_, [&](Connection& db) -> std::optional<ClientRecord> {
    // One statement, so the client and its service providers come from one snapshot.
    auto q = db.query(
        "SELECT c.client_id, c.secret_hash, c.issued_at, s.service_provider, c.statement_id "
        "FROM clients c LEFT JOIN client_service_providers s ON s.client_id = c.client_id "
        "WHERE c.client_id = ? ORDER BY s.position");
    q.bind(client_id);
    std::optional<ClientRecord> client;
    while (q.step()) {
      if (!client) {
        client.emplace();
        client->client_id = q.text(0);
        client->secret_hash = q.text(1);
        client->issued_at = q.int64(2);
        client->statement_id = q.text(4);
      }
      if (!q.is_null(3)) client->service_providers.push_back(q.text(3));
    }
    return client;
  });
}

void SqliteStore::revoke_software_statement(const std::string& statement_id, Millis now) {
  on_writer(*writer_, [&](Connection& db) {
    auto q = db.query("INSERT INTO revoked_statements (statement_id, revoked_at) VALUES (?, ?) ON CONFLICT DO NOTHING");
    q.bind(statement_id).bind(now);
    q.run();
  });
}

CreationOutcome SqliteStore::issue_access_token(const AccessTokenRecord& token,
                                                const std::optional<NamedLimit>& creation_limit, Millis now) {
  return on_writer(*writer_, [&](Connection& db) {
    std::string statement_id;
    {
      auto q = db.query("SELECT statement_id FROM clients WHERE client_id = ?");
      q.bind(token.client_id);
      if (!q.step()) throw StoreError("sqlite: an access token for a client that does not exist");
      statement_id = q.text(0);
    }
    CreationOutcome outcome = creation_refusal(db, statement_id, creation_limit, now);
    if (outcome.result != CreationResult::kCreated) return outcome;
    auto q = db.query("INSERT INTO access_tokens (token_hash, client_id, expires_at) VALUES (?, ?, ?)");
    q.bind(token.token_hash).bind(token.client_id).bind(token.expires_at);
    q.run();
    return outcome;
  });
}

std::optional<AccessTokenRecord> SqliteStore::find_access_token(const std::string& token_hash) {
  return on_reader(*readers_, [&](Connection& db) -> std::optional<AccessTokenRecord> {
    auto q = db.query("SELECT token_hash, client_id, expires_at FROM access_tokens WHERE token_hash = ?");
    q.bind(token_hash);
    if (!q.step()) return std::nullopt;
    AccessTokenRecord token;
    token.token_hash = q.text(0);
    token.client_id = q.text(1);
    token.expires_at = q.int64(2);
    return token;
  });
}

// ---- MVPD ------------------------------------------------------------------------------

void SqliteStore::insert_mvpd_session(const MvpdSessionRecord& s) {
  on_writer(*writer_, [&](Connection& db) {
    {
      // A dead session with the same hash is replaced; a live one is a collision (error).
      auto q = db.query("DELETE FROM mvpd_sessions WHERE code_hash = ? AND expires_at <= ?");
      q.bind(s.code_hash).bind(s.created_at);
      q.run();
    }
    {
      auto q = db.query(
          "INSERT INTO mvpd_sessions (code_hash, service_provider, session_id, profile_id, device_id, mvpd, "
          "domain_name, redirect_url, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      q.bind(s.code_hash).bind(s.service_provider).bind(s.session_id).bind(s.profile_id).bind(s.device_id);
      q.bind(s.mvpd).bind(s.domain_name).bind(s.redirect_url).bind(s.created_at).bind(s.expires_at);
      q.run();
    }
  });
}

std::optional<MvpdSessionRecord> SqliteStore::find_mvpd_session(const std::string& code_hash) {
  return on_reader(*readers_, [&](Connection& db) -> std::optional<MvpdSessionRecord> {
    auto q = db.query(
        "SELECT code_hash, service_provider, session_id, profile_id, device_id, mvpd, domain_name, "
        "redirect_url, created_at, expires_at FROM mvpd_sessions WHERE code_hash = ?");
    q.bind(code_hash);
    if (!q.step()) return std::nullopt;
    MvpdSessionRecord s;
    s.code_hash = q.text(0);
    s.service_provider = q.text(1);
    s.session_id = q.text(2);
    s.profile_id = q.text(3);
    s.device_id = q.text(4);
    s.mvpd = q.text(5);
    s.domain_name = q.text(6);
    s.redirect_url = q.text(7);
    s.created_at = q.int64(8);
    s.expires_at = q.int64(9);
    return s;
  });
}

MvpdProfileRecord SqliteStore::upsert_mvpd_profile(const MvpdProfileRecord& profile, Millis now) {
  return on_writer(*writer_, [&](Connection& db) {
    {
      auto q = db.query(
          "SELECT service_provider, profile_id, mvpd, login_device_id, user_id, not_before, not_after "
          "FROM mvpd_profiles WHERE service_provider = ? AND profile_id = ? AND mvpd = ? AND not_after > ?");
      q.bind(profile.service_provider).bind(profile.profile_id).bind(profile.mvpd).bind(now);
      if (q.step()) return read_mvpd_profile(q);
    }
    {
      auto q = db.query(
          "INSERT OR REPLACE INTO mvpd_profiles (service_provider, profile_id, mvpd, login_device_id, user_id, "
          "not_before, not_after) VALUES (?, ?, ?, ?, ?, ?, ?)");
      q.bind(profile.service_provider).bind(profile.profile_id).bind(profile.mvpd).bind(profile.login_device_id);
      q.bind(profile.user_id).bind(profile.not_before).bind(profile.not_after);
      q.run();
    }
    return profile;
  });
}

std::vector<MvpdProfileRecord> SqliteStore::list_mvpd_profiles(const std::string& sp, const std::string& profile_id,
                                                               Millis now) {
  return on_reader(*readers_, [&](Connection& db) {
    std::vector<MvpdProfileRecord> profiles;
    auto q = db.query(
        "SELECT service_provider, profile_id, mvpd, login_device_id, user_id, not_before, not_after "
        "FROM mvpd_profiles WHERE service_provider = ? AND profile_id = ? AND not_after > ? "
        "ORDER BY not_before, mvpd");
    q.bind(sp).bind(profile_id).bind(now);
    while (q.step()) profiles.push_back(read_mvpd_profile(q));
    return profiles;
  });
}

bool SqliteStore::delete_mvpd_profile(const std::string& sp, const std::string& profile_id, const std::string& mvpd,
                                      Millis now) {
  return on_writer(*writer_, [&](Connection& db) {
    bool was_live = false;
    {
      auto q = db.query(
          "SELECT not_after > ? FROM mvpd_profiles WHERE service_provider = ? AND profile_id = ? AND mvpd = ?");
      q.bind(now).bind(sp).bind(profile_id).bind(mvpd);
      was_live = q.step() && q.int64(0) != 0;
    }
    auto q = db.query("DELETE FROM mvpd_profiles WHERE service_provider = ? AND profile_id = ? AND mvpd = ?");
    q.bind(sp).bind(profile_id).bind(mvpd);
    q.run();
    return was_live;
  });
}

}  // namespace ssokit::store
