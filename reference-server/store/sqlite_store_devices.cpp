// The SQLite store's devices, link codes and rate limits: the operations of the SSO calls.
#include <algorithm>
#include <unordered_set>

#include "store/last_seen_moves.hpp"
#include "store/sqlite_store.hpp"
#include "store/sqlite_store_support.hpp"

namespace ssokit::store {

namespace sqlite {

std::int64_t type_code(DeviceType type) {
  return type == DeviceType::kSso ? 1 : 0;
}

DeviceRecord read_device(const Query& q) {
  DeviceRecord d;
  d.service_provider = q.text(0);
  d.device_id = q.text(1);
  d.profile_id = q.text(2);
  d.link_id = q.text(3);
  d.type = q.int64(4) == 1 ? DeviceType::kSso : DeviceType::kRegular;
  d.info_json = q.text(5);
  d.first_seen = q.int64(6);
  d.last_seen = q.int64(7);
  return d;
}

Millis stored_tat(Connection& db, const std::string& key) {
  auto q = db.query("SELECT tat FROM rate_limits WHERE key = ?");
  q.bind(key);
  return q.step() ? q.int64(0) : 0;
}

void store_tat(Connection& db, const std::string& key, Millis tat) {
  auto q =
      db.query("INSERT INTO rate_limits (key, tat) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET tat = excluded.tat");
  q.bind(key).bind(tat);
  q.run();
}

std::optional<CurrentLink> current_link(Connection& db, const std::string& sp, const std::string& device_id) {
  auto q = db.query("SELECT profile_id, link_id FROM devices WHERE service_provider = ? AND device_id = ?");
  q.bind(sp).bind(device_id);
  if (!q.step()) return std::nullopt;
  return CurrentLink{q.text(0), q.text(1)};
}

std::int64_t profile_size(Connection& db, const std::string& sp, const std::string& profile_id, Millis now) {
  // A code awaiting approval holds a place in the profile (SPEC §6.3).
  auto q = db.query(
      "SELECT (SELECT count(*) FROM devices WHERE service_provider = ?1 AND profile_id = ?2) + "
      "(SELECT count(*) FROM link_codes WHERE service_provider = ?1 AND profile_id = ?2 AND state = 1 "
      "AND expires_at > ?3)");
  q.bind(sp).bind(profile_id).bind(now);
  return q.step() ? q.int64(0) : 0;
}

// Room for one more event on `limit`, without counting it.
server::RateDecision look(Connection& db, const NamedLimit& limit, Millis now) {
  return server::gcra(sqlite::stored_tat(db, limit.key), now, limit.limit);
}

// join_device() inside the writer's transaction, shared with redeem_link_code().
JoinOutcome join_device_on(Connection& db, const DeviceRecord& d, const JoinLimits& limits, Millis now) {
  JoinOutcome outcome;
  const std::optional<CurrentLink> current = current_link(db, d.service_provider, d.device_id);
  if (current && current->profile_id == d.profile_id) {
    auto q = db.query(
        "UPDATE devices SET type = ?, info_json = ?, last_seen = max(last_seen, ?) "
        "WHERE service_provider = ? AND device_id = ?");
    q.bind(sqlite::type_code(d.type)).bind(d.info_json).bind(d.last_seen).bind(d.service_provider).bind(d.device_id);
    q.run();
    outcome.result = JoinResult::kRejoined;
    outcome.link_id = current->link_id;
    return outcome;
  }
  if (limits.max_devices && profile_size(db, d.service_provider, d.profile_id, now) >= *limits.max_devices) {
    outcome.result = JoinResult::kDeviceLimit;
    return outcome;
  }
  if (!current && limits.creation_limit) {
    const server::RateDecision decision = look(db, *limits.creation_limit, now);
    if (!decision.allowed) {
      outcome.result = JoinResult::kCreationLimited;
      outcome.retry_after_ms = decision.retry_after_ms;
      return outcome;
    }
    sqlite::store_tat(db, limits.creation_limit->key, decision.new_tat);
  }
  // A new link: first_seen stays what it was when the device moves.
  auto q = db.query("INSERT INTO devices (" SSOKIT_DEVICE_COLUMNS
                    ") VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (service_provider, device_id) DO UPDATE SET "
                    "profile_id = excluded.profile_id, link_id = excluded.link_id, type = excluded.type, "
                    "info_json = excluded.info_json, last_seen = excluded.last_seen");
  q.bind(d.service_provider).bind(d.device_id).bind(d.profile_id).bind(d.link_id).bind(sqlite::type_code(d.type));
  q.bind(d.info_json).bind(d.first_seen).bind(d.last_seen);
  q.run();
  outcome.result = current ? JoinResult::kMoved : JoinResult::kAdded;
  outcome.link_id = d.link_id;
  return outcome;
}

// The caller's profile while it is linked (DeviceLink), without moving anything.
std::optional<std::string> profile_if_linked(Connection& db, const DeviceLink& caller) {
  auto q = db.query(
      "SELECT profile_id FROM devices "
      "WHERE service_provider = ?1 AND device_id = ?2 AND link_id = ?3 AND (?4 = '' OR profile_id = ?4)");
  q.bind(caller.sp).bind(caller.device_id).bind(caller.link_id).bind(caller.profile_id);
  if (!q.step()) return std::nullopt;
  return q.text(0);
}

}  // namespace sqlite

namespace {

using sqlite::Connection;
using sqlite::join_device_on;
using sqlite::on_reader;
using sqlite::on_writer;
using sqlite::profile_if_linked;

// The caller's profile while it is linked (DeviceLink), moving its last_seen (never back: of
// two concurrent calls the later clock wins whatever the commit order).
std::optional<std::string> linked_profile(Connection& db, const DeviceLink& caller, Millis now) {
  auto q = db.query(
      "UPDATE devices SET last_seen = max(last_seen, ?1) "
      "WHERE service_provider = ?2 AND device_id = ?3 AND link_id = ?4 AND (?5 = '' OR profile_id = ?5) "
      "RETURNING profile_id");
  q.bind(now).bind(caller.sp).bind(caller.device_id).bind(caller.link_id).bind(caller.profile_id);
  if (!q.step()) return std::nullopt;
  return q.text(0);
}

}  // namespace

// ---- devices ---------------------------------------------------------------------------

JoinOutcome SqliteStore::join_device(const DeviceRecord& device, const JoinLimits& limits, Millis now) {
  return on_writer(*writer_, [&](Connection& db) { return join_device_on(db, device, limits, now); });
}

std::optional<DeviceRecord> SqliteStore::find_device(const std::string& sp, const std::string& device_id) {
  return on_reader(*readers_, [&](Connection& db) -> std::optional<DeviceRecord> {
    auto q = db.query("SELECT " SSOKIT_DEVICE_COLUMNS " FROM devices WHERE service_provider = ? AND device_id = ?");
    q.bind(sp).bind(device_id);
    if (!q.step()) return std::nullopt;
    DeviceRecord device = sqlite::read_device(q);
    last_seen_->overlay(device);
    return device;
  });
}

std::optional<std::string> SqliteStore::check_device_link(const DeviceLink& caller, Millis now) {
  // A read: the lastSeen move is noted, not written (last_seen_moves.hpp).
  std::optional<std::string> profile = on_reader(*readers_, [&](Connection& db) { return profile_if_linked(db, caller); });
  if (profile) last_seen_->note(caller.sp, caller.device_id, caller.link_id, now);
  return profile;
}

DeviceList SqliteStore::list_devices_of(const DeviceLink& caller, Millis now) {
  // A read connection, not the writer: a list never waits behind writes.
  DeviceList list = on_reader(*readers_, [&](Connection& db) {
    DeviceList read;
    const std::optional<std::string> profile = profile_if_linked(db, caller);
    if (!profile) return read;
    read.linked = true;
    read.profile_id = *profile;
    auto q = db.query("SELECT " SSOKIT_DEVICE_COLUMNS
                      " FROM devices WHERE service_provider = ? AND profile_id = ? ORDER BY first_seen, device_id");
    q.bind(caller.sp).bind(*profile);
    while (q.step()) read.devices.push_back(sqlite::read_device(q));
    return read;
  });
  if (!list.linked) return list;
  last_seen_->note(caller.sp, caller.device_id, caller.link_id, now);
  last_seen_->overlay(list.devices);
  return list;
}

UnlinkOutcome SqliteStore::unlink_devices(const DeviceLink& caller, const std::vector<std::string>& device_ids,
                                          Millis now) {
  return on_writer(*writer_, [&](Connection& db) {
    UnlinkOutcome outcome;
    const std::optional<std::string> profile = linked_profile(db, caller, now);
    if (!profile) return outcome;
    outcome.linked = true;
    std::unordered_set<std::string> seen;
    for (const std::string& id : device_ids) {
      if (!seen.insert(id).second) continue;
      auto q = db.query("DELETE FROM devices WHERE service_provider = ? AND device_id = ? AND profile_id = ?");
      q.bind(caller.sp).bind(id).bind(*profile);
      q.run();
      if (db.changes() > 0) outcome.unlinked.push_back(id);
    }
    return outcome;
  });
}

std::size_t SqliteStore::rename_legacy_profiles(const std::function<std::string(const LegacyProfile&)>& rename) {
  return on_writer(*writer_, [&](Connection& db) -> std::size_t {
    {
      auto q = db.query("SELECT 1 FROM meta WHERE key = 'legacy-profile-names'");
      if (!q.step()) return 0;
    }
    std::vector<LegacyProfile> legacy;
    {
      auto q = db.query(
          "SELECT service_provider, profile_id FROM devices UNION "
          "SELECT service_provider, profile_id FROM link_codes UNION "
          "SELECT service_provider, profile_id FROM mvpd_profiles UNION "
          "SELECT service_provider, profile_id FROM mvpd_sessions");
      while (q.step()) legacy.push_back(LegacyProfile{q.text(0), q.text(1), false});
    }
    for (LegacyProfile& profile : legacy) {
      {
        auto q =
            db.query("SELECT 1 FROM devices WHERE service_provider = ? AND device_id = ? AND profile_id = device_id");
        q.bind(profile.service_provider).bind(profile.id);
        profile.named_after_member_device = q.step();
      }
      const std::string renamed = rename(profile);
      for (const char* sql :
           {"UPDATE devices SET profile_id = ? WHERE service_provider = ? AND profile_id = ?",
            "UPDATE link_codes SET profile_id = ? WHERE service_provider = ? AND profile_id = ?",
            "UPDATE mvpd_profiles SET profile_id = ? WHERE service_provider = ? AND profile_id = ?",
            "UPDATE mvpd_sessions SET profile_id = ? WHERE service_provider = ? AND profile_id = ?"}) {
        auto q = db.query(sql);
        q.bind(renamed).bind(profile.service_provider).bind(profile.id);
        q.run();
      }
    }
    db.exec("DELETE FROM meta WHERE key = 'legacy-profile-names'");
    return legacy.size();
  });
}

// ---- rate limits ----------------------------------------------------------------------

server::RateDecision SqliteStore::consume_rate(const std::string& key, const server::RateLimit& limit, Millis now) {
  return on_writer(*writer_, [&](Connection& db) {
    const server::RateDecision decision = server::gcra(sqlite::stored_tat(db, key), now, limit);
    if (decision.allowed) sqlite::store_tat(db, key, decision.new_tat);
    return decision;
  }, sqlite::Durability::kRelaxed);
}

}  // namespace ssokit::store
