#include "store/sqlite_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <optional>
#include <type_traits>
#include <unordered_set>
#include <utility>

#include "store/sqlite_connection.hpp"
#include "store/sqlite_readers.hpp"
#include "store/sqlite_schema.hpp"
#include "store/sqlite_writer.hpp"

namespace ssokit::store {

namespace {

using sqlite::Connection;
using sqlite::Query;

// Opportunistic clean-up: each write that knows `now` deletes at most this many dead rows
// per table, so the work per call stays bounded while dead rows never pile up.
constexpr std::int64_t kPurgeBatch = 8;
// Expired MVPD sessions stay findable for a day so the API can still tell "expired" from
// "unknown"; link codes and rate-limit rows go as soon as they are dead.
constexpr Millis kSessionPurgeGraceMs = 24LL * 3600 * 1000;

// Runs `f(Connection&)` on the writer thread inside the group-commit transaction and
// returns its result once committed.
template <class F>
auto on_writer(sqlite::Writer& writer, F&& f, sqlite::Durability durability = sqlite::Durability::kDurable) {
  using R = std::invoke_result_t<F&, Connection&>;
  if constexpr (std::is_void_v<R>) {
    writer.run(sqlite::Writer::Operation(std::ref(f)), durability);
  } else {
    std::optional<R> result;
    writer.run([&](Connection& db) { result.emplace(f(db)); }, durability);
    return std::move(*result);
  }
}

// Runs `f(Connection&)` on a pooled read connection.
template <class F>
auto on_reader(sqlite::ReaderPool& readers, F&& f) {
  auto lease = readers.acquire();
  return f(*lease);
}

std::int64_t type_code(DeviceType type) { return type == DeviceType::kSso ? 1 : 0; }
DeviceType device_type(std::int64_t code) { return code == 1 ? DeviceType::kSso : DeviceType::kRegular; }

// Columns: service_provider, device_id, profile_id, type, info_json, first_seen, last_seen.
DeviceRecord read_device(const Query& q) {
  DeviceRecord d;
  d.service_provider = q.text(0);
  d.device_id = q.text(1);
  d.profile_id = q.text(2);
  d.type = device_type(q.int64(3));
  d.info_json = q.text(4);
  d.first_seen = q.int64(5);
  d.last_seen = q.int64(6);
  return d;
}

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

void upsert_device_on(Connection& db, const DeviceRecord& d) {
  auto q = db.query(
      "INSERT INTO devices (service_provider, device_id, profile_id, type, info_json, first_seen, last_seen) "
      "VALUES (?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (service_provider, device_id) DO UPDATE SET "
      "profile_id = excluded.profile_id, type = excluded.type, info_json = excluded.info_json, "
      "last_seen = excluded.last_seen");
  q.bind(d.service_provider).bind(d.device_id).bind(d.profile_id).bind(type_code(d.type)).bind(d.info_json);
  q.bind(d.first_seen).bind(d.last_seen);
  q.run();
}

// 0 when the key has no row (GCRA treats it as "no recent events").
Millis stored_tat(Connection& db, const std::string& key) {
  auto q = db.query("SELECT tat FROM rate_limits WHERE key = ?");
  q.bind(key);
  return q.step() ? q.int64(0) : 0;
}

void store_tat(Connection& db, const std::string& key, Millis tat) {
  auto q = db.query("INSERT INTO rate_limits (key, tat) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET tat = excluded.tat");
  q.bind(key).bind(tat);
  q.run();
}

// A rate-limit row with tat <= now means the same as no row (gcra takes max(tat, now)).
void purge_rate_limits(Connection& db, Millis now) {
  auto q = db.query(
      "DELETE FROM rate_limits WHERE key IN "
      "(SELECT key FROM rate_limits WHERE tat <= ? ORDER BY tat LIMIT ?)");
  q.bind(now).bind(kPurgeBatch);
  q.run();
}

// A link code with expires_at <= now is dead: unknown, used and expired codes look alike.
void purge_link_codes_and_limits(Connection& db, Millis now) {
  {
    auto q = db.query(
        "DELETE FROM link_codes WHERE seq IN "
        "(SELECT seq FROM link_codes WHERE expires_at <= ? ORDER BY expires_at LIMIT ?)");
    q.bind(now).bind(kPurgeBatch);
    q.run();
  }
  purge_rate_limits(db, now);
}

void purge_mvpd(Connection& db, Millis now) {
  {
    auto q = db.query(
        "DELETE FROM mvpd_sessions WHERE code_hash IN "
        "(SELECT code_hash FROM mvpd_sessions WHERE expires_at <= ? ORDER BY expires_at LIMIT ?)");
    q.bind(now - kSessionPurgeGraceMs).bind(kPurgeBatch);
    q.run();
  }
  {
    auto q = db.query(
        "DELETE FROM mvpd_profiles WHERE (service_provider, profile_id, mvpd) IN "
        "(SELECT service_provider, profile_id, mvpd FROM mvpd_profiles WHERE not_after <= ? "
        "ORDER BY not_after LIMIT ?)");
    q.bind(now).bind(kPurgeBatch);
    q.run();
  }
}

// Creates the database file with owner-only permissions before SQLite does (SQLite would
// use 0644; the file holds private keys). SQLite gives -wal and -shm the same mode.
void create_private_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    const int error = errno;
    throw StoreError("sqlite: cannot create the database file " + path + ": " + std::strerror(error));
  }
  ::close(fd);
}

}  // namespace

SqliteStore::SqliteStore(SqliteOptions options) : options_(std::move(options)) {
  if (options_.path.empty() || options_.path == ":memory:" || options_.path.rfind("file:", 0) == 0) {
    throw StoreError("sqlite: the store needs the path of a database file");
  }
  if (::access(options_.path.c_str(), F_OK) != 0) create_private_file(options_.path);
  auto connection =
      std::make_unique<Connection>(options_.path, Connection::Mode::kWriter, options_.busy_timeout_ms);
  sqlite::migrate(*connection);
  readers_ = std::make_unique<sqlite::ReaderPool>(options_.path, options_.busy_timeout_ms, options_.max_idle_readers);
  writer_ = std::make_unique<sqlite::Writer>(std::move(connection), options_.max_batch);
}

SqliteStore::~SqliteStore() {
  writer_.reset();  // finishes the queued writes first
  readers_.reset();
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

void SqliteStore::insert_client(const ClientRecord& client) {
  on_writer(*writer_, [&](Connection& db) {
    {
      auto q = db.query("INSERT INTO clients (client_id, secret_hash, issued_at) VALUES (?, ?, ?)");
      q.bind(client.client_id).bind(client.secret_hash).bind(client.issued_at);
      q.run();
    }
    std::int64_t position = 0;
    for (const std::string& sp : client.service_providers) {
      auto q = db.query(
          "INSERT INTO client_service_providers (client_id, position, service_provider) VALUES (?, ?, ?)");
      q.bind(client.client_id).bind(position++).bind(sp);
      q.run();
    }
  });
}

std::optional<ClientRecord> SqliteStore::find_client(const std::string& client_id) {
  return on_reader(*readers_, [&](Connection& db) -> std::optional<ClientRecord> {
    // One statement, so the client and its service providers come from one snapshot.
    auto q = db.query(
        "SELECT c.client_id, c.secret_hash, c.issued_at, s.service_provider "
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
      }
      if (!q.is_null(3)) client->service_providers.push_back(q.text(3));
    }
    return client;
  });
}

void SqliteStore::insert_access_token(const AccessTokenRecord& token, Millis now) {
  on_writer(*writer_, [&](Connection& db) {
    {
      auto q = db.query("INSERT INTO access_tokens (token_hash, client_id, expires_at) VALUES (?, ?, ?)");
      q.bind(token.token_hash).bind(token.client_id).bind(token.expires_at);
      q.run();
    }
    // Expired tokens answer like unknown ones; drop a few on every insert so the table
    // does not grow with every token ever issued.
    auto q = db.query(
        "DELETE FROM access_tokens WHERE token_hash IN "
        "(SELECT token_hash FROM access_tokens WHERE expires_at <= ? ORDER BY expires_at LIMIT ?)");
    q.bind(now).bind(kPurgeBatch);
    q.run();
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

// ---- devices ---------------------------------------------------------------------------

void SqliteStore::upsert_device(const DeviceRecord& device) {
  on_writer(*writer_, [&](Connection& db) { upsert_device_on(db, device); });
}

std::optional<DeviceRecord> SqliteStore::find_device(const std::string& sp, const std::string& device_id) {
  return on_reader(*readers_, [&](Connection& db) -> std::optional<DeviceRecord> {
    auto q = db.query(
        "SELECT service_provider, device_id, profile_id, type, info_json, first_seen, last_seen "
        "FROM devices WHERE service_provider = ? AND device_id = ?");
    q.bind(sp).bind(device_id);
    if (!q.step()) return std::nullopt;
    return read_device(q);
  });
}

bool SqliteStore::touch_device(const std::string& sp, const std::string& device_id, const std::string& profile_id,
                               Millis now) {
  // Relaxed: lastSeen is advisory, moved on every call; a call waits for its commit (so the
  // next read sees it) but not for the disk. A power loss may take back the last few moves.
  return on_writer(
      *writer_,
      [&](Connection& db) {
        // max(): of two concurrent requests the later clock wins whatever the commit order.
        auto q = db.query(
            "UPDATE devices SET last_seen = max(last_seen, ?) "
            "WHERE service_provider = ? AND device_id = ? AND profile_id = ?");
        q.bind(now).bind(sp).bind(device_id).bind(profile_id);
        q.run();
        return db.changes() > 0;
      },
      sqlite::Durability::kRelaxed);
}

std::vector<DeviceRecord> SqliteStore::list_devices(const std::string& sp, const std::string& profile_id) {
  return on_reader(*readers_, [&](Connection& db) {
    std::vector<DeviceRecord> devices;
    auto q = db.query(
        "SELECT service_provider, device_id, profile_id, type, info_json, first_seen, last_seen "
        "FROM devices WHERE service_provider = ? AND profile_id = ? ORDER BY first_seen, device_id");
    q.bind(sp).bind(profile_id);
    while (q.step()) devices.push_back(read_device(q));
    return devices;
  });
}

std::vector<std::string> SqliteStore::delete_devices(const std::string& sp, const std::string& profile_id,
                                                     const std::vector<std::string>& device_ids) {
  return on_writer(*writer_, [&](Connection& db) {
    std::vector<std::string> deleted;
    std::unordered_set<std::string> seen;
    for (const std::string& id : device_ids) {
      if (!seen.insert(id).second) continue;
      auto q = db.query("DELETE FROM devices WHERE service_provider = ? AND device_id = ? AND profile_id = ?");
      q.bind(sp).bind(id).bind(profile_id);
      q.run();
      if (db.changes() > 0) deleted.push_back(id);
    }
    return deleted;
  });
}

// ---- link codes and rate limits --------------------------------------------------------

bool SqliteStore::insert_link_code(const LinkCodeRecord& code, Millis now, int max_live_codes) {
  return on_writer(*writer_, [&](Connection& db) {
    {
      auto q = db.query("SELECT expires_at FROM link_codes WHERE service_provider = ? AND code_hash = ?");
      q.bind(code.service_provider).bind(code.code_hash);
      if (q.step() && q.int64(0) > now) return false;  // a live code has this hash
    }
    {
      auto q = db.query("DELETE FROM link_codes WHERE service_provider = ? AND code_hash = ?");
      q.bind(code.service_provider).bind(code.code_hash);
      q.run();
    }
    {
      auto q = db.query(
          "INSERT INTO link_codes (service_provider, code_hash, profile_id, created_at, expires_at) "
          "VALUES (?, ?, ?, ?, ?)");
      q.bind(code.service_provider).bind(code.code_hash).bind(code.profile_id).bind(code.created_at);
      q.bind(code.expires_at);
      q.run();
    }
    {
      // The profile's dead codes go now; then all but its newest max_live_codes live ones.
      auto q = db.query(
          "DELETE FROM link_codes WHERE service_provider = ? AND profile_id = ? AND expires_at <= ?");
      q.bind(code.service_provider).bind(code.profile_id).bind(now);
      q.run();
    }
    {
      auto q = db.query(
          "DELETE FROM link_codes WHERE seq IN (SELECT seq FROM link_codes "
          "WHERE service_provider = ? AND profile_id = ? AND expires_at > ? "
          "ORDER BY created_at DESC, seq DESC LIMIT -1 OFFSET ?)");
      q.bind(code.service_provider).bind(code.profile_id).bind(now);
      q.bind(static_cast<std::int64_t>(std::max(max_live_codes, 1)));
      q.run();
    }
    purge_link_codes_and_limits(db, now);
    return true;
  });
}

RedeemOutcome SqliteStore::redeem_link_code(const std::string& code_hash, const DeviceRecord& joining,
                                            const std::vector<NamedLimit>& failure_limits, Millis now) {
  return on_writer(*writer_, [&](Connection& db) {
    RedeemOutcome outcome;
    // 1. Look (store nothing): is there room for one more failure on every limit?
    for (const NamedLimit& limit : failure_limits) {
      const server::RateDecision decision = server::gcra(stored_tat(db, limit.key), now, limit.limit);
      if (!decision.allowed) {
        if (outcome.result != RedeemResult::kLimited) {
          outcome.result = RedeemResult::kLimited;
          outcome.limited_by = limit.label;
        }
        // Retrying after the longest wait is not refused by any of the limits.
        outcome.retry_after_ms = std::max(outcome.retry_after_ms, decision.retry_after_ms);
      }
    }
    if (outcome.result == RedeemResult::kLimited) return outcome;

    // 2. A live code of the joining device's service provider?
    std::optional<std::string> profile_id;
    {
      auto q = db.query(
          "SELECT profile_id FROM link_codes WHERE service_provider = ? AND code_hash = ? AND expires_at > ?");
      q.bind(joining.service_provider).bind(code_hash).bind(now);
      if (q.step()) profile_id = q.text(0);
    }
    if (profile_id) {
      {
        auto q = db.query("DELETE FROM link_codes WHERE service_provider = ? AND code_hash = ?");
        q.bind(joining.service_provider).bind(code_hash);
        q.run();
      }
      DeviceRecord device = joining;
      device.profile_id = *profile_id;
      upsert_device_on(db, device);
      outcome.result = RedeemResult::kRedeemed;
      outcome.profile_id = *profile_id;
    } else {
      // 3. One failure against every limit (read again: a key may appear twice).
      for (const NamedLimit& limit : failure_limits) {
        const server::RateDecision decision = server::gcra(stored_tat(db, limit.key), now, limit.limit);
        if (decision.allowed) store_tat(db, limit.key, decision.new_tat);
      }
      outcome.result = RedeemResult::kInvalid;
    }
    purge_link_codes_and_limits(db, now);
    return outcome;
  });
}

server::RateDecision SqliteStore::consume_rate(const std::string& key, const server::RateLimit& limit, Millis now) {
  return on_writer(*writer_, [&](Connection& db) {
    const server::RateDecision decision = server::gcra(stored_tat(db, key), now, limit);
    if (decision.allowed) store_tat(db, key, decision.new_tat);
    purge_rate_limits(db, now);
    return decision;
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
    purge_mvpd(db, s.created_at);
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
    purge_mvpd(db, now);
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
