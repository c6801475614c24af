// The PostgreSQL store's devices, link codes, rate limits and housekeeping: the commands of
// the SSO calls, each one transaction (see store.hpp for what each promises).
#include <algorithm>
#include <tuple>
#include <unordered_set>

#include "core/json.hpp"
#include "store/last_seen_moves.hpp"
#include "store/postgres_pool.hpp"
#include "store/postgres_store.hpp"
#include "store/postgres_store_support.hpp"

namespace ssokit::store {

namespace postgres {

std::int64_t type_code(DeviceType type) {
  return type == DeviceType::kSso ? 1 : 0;
}

DeviceRecord read_device(const Rows& rows, int row) {
  DeviceRecord d;
  d.service_provider = rows.text(row, 0);
  d.device_id = rows.text(row, 1);
  d.profile_id = rows.text(row, 2);
  d.link_id = rows.text(row, 3);
  d.type = rows.int64(row, 4) == 1 ? DeviceType::kSso : DeviceType::kRegular;
  d.info_json = rows.text(row, 5);
  d.first_seen = rows.int64(row, 6);
  d.last_seen = rows.int64(row, 7);
  return d;
}

Millis stored_tat(Connection& db, const std::string& key) {
  const Rows rows = db.run("tat_get", "SELECT tat FROM rate_limits WHERE key = $1", Params().add(key));
  return rows.empty() ? 0 : rows.int64(0, 0);
}

void store_tat(Connection& db, const std::string& key, Millis tat) {
  db.run("tat_put",
         "INSERT INTO rate_limits (key, tat) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET tat = excluded.tat",
         Params().add(key).add(tat));
}

server::RateDecision look(Connection& db, const NamedLimit& limit, Millis now) {
  return server::gcra(stored_tat(db, limit.key), now, limit.limit);
}

std::optional<CurrentLink> current_link(Connection& db, const std::string& sp, const std::string& device_id) {
  const Rows rows =
      db.run("device_link", "SELECT profile_id, link_id FROM devices WHERE service_provider = $1 AND device_id = $2",
             Params().add(sp).add(device_id));
  if (rows.empty()) return std::nullopt;
  return CurrentLink{rows.text(0, 0), rows.text(0, 1)};
}

// The caller's profile while it is linked, without moving anything (the move is deferred).
std::optional<std::string> profile_if_linked(Connection& db, const DeviceLink& caller) {
  const Rows rows = db.run("device_linked",
                           "SELECT profile_id FROM devices WHERE service_provider = $1 AND device_id = $2 "
                           "AND link_id = $3 AND ($4 = '' OR profile_id = $4)",
                           Params().add(caller.sp).add(caller.device_id).add(caller.link_id).add(caller.profile_id));
  if (rows.empty()) return std::nullopt;
  return rows.text(0, 0);
}

std::int64_t profile_size(Connection& db, const std::string& sp, const std::string& profile_id, Millis now) {
  // A code awaiting approval holds a place in the profile (SPEC §6.3).
  const Rows size =
      db.run("profile_size",
             "SELECT (SELECT count(*) FROM devices WHERE service_provider = $1 AND profile_id = $2) + "
             "(SELECT count(*) FROM link_codes WHERE service_provider = $1 AND profile_id = $2 AND state = 1 "
             "AND expires_at > $3)",
             Params().add(sp).add(profile_id).add(now));
  return size.int64(0, 0);
}

JoinOutcome join_device_in(Connection& db, const DeviceRecord& d, const JoinLimits& limits, Millis now) {
  JoinOutcome outcome;
  const std::optional<CurrentLink> current = current_link(db, d.service_provider, d.device_id);
  if (current && current->profile_id == d.profile_id) {
    db.run("device_rejoin",
           "UPDATE devices SET type = $1, info_json = $2, last_seen = GREATEST(last_seen, $3) "
           "WHERE service_provider = $4 AND device_id = $5",
           Params()
               .add(postgres::type_code(d.type))
               .add(d.info_json)
               .add(d.last_seen)
               .add(d.service_provider)
               .add(d.device_id));
    outcome.result = JoinResult::kRejoined;
    outcome.link_id = current->link_id;
    return outcome;
  }
  if (limits.max_devices) {
    if (profile_size(db, d.service_provider, d.profile_id, now) >= *limits.max_devices) {
      outcome.result = JoinResult::kDeviceLimit;
      return outcome;
    }
  }
  if (!current && limits.creation_limit) {
    const server::RateDecision decision = postgres::look(db, *limits.creation_limit, now);
    if (!decision.allowed) {
      outcome.result = JoinResult::kCreationLimited;
      outcome.retry_after_ms = decision.retry_after_ms;
      return outcome;
    }
    postgres::store_tat(db, limits.creation_limit->key, decision.new_tat);
  }
  // A new link: first_seen stays what it was when the device moves.
  db.run("device_link_new",
         "INSERT INTO devices (" SSOKIT_PG_DEVICE_COLUMNS
         ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
         "ON CONFLICT (service_provider, device_id) DO UPDATE SET profile_id = excluded.profile_id, "
         "link_id = excluded.link_id, type = excluded.type, info_json = excluded.info_json, "
         "last_seen = excluded.last_seen",
         Params()
             .add(d.service_provider)
             .add(d.device_id)
             .add(d.profile_id)
             .add(d.link_id)
             .add(postgres::type_code(d.type))
             .add(d.info_json)
             .add(d.first_seen)
             .add(d.last_seen));
  outcome.result = current ? JoinResult::kMoved : JoinResult::kAdded;
  outcome.link_id = d.link_id;
  return outcome;
}

}  // namespace postgres

using postgres::Connection;
using postgres::Durability;
using postgres::in_transaction;
using postgres::Isolation;
using postgres::on_connection;
using postgres::Params;
using postgres::Rows;
using postgres::join_device_in;
using postgres::profile_if_linked;

namespace {

// The caller's profile while it is linked (DeviceLink), moving its last_seen (never back).
// The caller's device row, if it is still linked as the call's token says (and in the
// token's profile, when the token names one); lastSeen moves on the way.
constexpr const char* kDeviceCheckSql =
    "UPDATE devices SET last_seen = GREATEST(last_seen, $1) "
    "WHERE service_provider = $2 AND device_id = $3 AND link_id = $4 "
    "AND ($5 = '' OR profile_id = $5) RETURNING profile_id";

Params device_check_params(const DeviceLink& caller, Millis now) {
  return Params().add(now).add(caller.sp).add(caller.device_id).add(caller.link_id).add(caller.profile_id);
}

std::optional<std::string> linked_profile(Connection& db, const DeviceLink& caller, Millis now) {
  const Rows rows = db.run("device_check", kDeviceCheckSql, device_check_params(caller, now));
  if (rows.empty()) return std::nullopt;
  return rows.text(0, 0);
}

}  // namespace

// ---- devices ---------------------------------------------------------------------------

JoinOutcome PostgresStore::join_device(const DeviceRecord& device, const JoinLimits& limits, Millis now) {
  return in_transaction(*pool_, Isolation::kSerializable, Durability::kDurable,
                        [&](Connection& db) { return join_device_in(db, device, limits, now); });
}

std::optional<DeviceRecord> PostgresStore::find_device(const std::string& sp, const std::string& device_id) {
  return on_connection(*pool_, [&](Connection& db) -> std::optional<DeviceRecord> {
    const Rows rows =
        db.run("device_find",
               "SELECT " SSOKIT_PG_DEVICE_COLUMNS " FROM devices WHERE service_provider = $1 AND device_id = $2",
               Params().add(sp).add(device_id));
    if (rows.empty()) return std::nullopt;
    DeviceRecord device = postgres::read_device(rows, 0);
    last_seen_->overlay(device);
    return device;
  });
}

std::optional<std::string> PostgresStore::check_device_link(const DeviceLink& caller, Millis now) {
  // The most frequent command (every refresh): one read, one round trip; the lastSeen move
  // is noted, and written with others in a batch (last_seen_moves.hpp).
  std::optional<std::string> profile = on_connection(*pool_, [&](Connection& db) { return profile_if_linked(db, caller); });
  if (profile) last_seen_->note(caller.sp, caller.device_id, caller.link_id, now);
  return profile;
}

DeviceList PostgresStore::list_devices_of(const DeviceLink& caller, Millis now) {
  // One statement: the devices of the profile the caller is linked to. The caller is one of
  // them, so no rows means not linked.
  const Rows rows = on_connection(*pool_, [&](Connection& db) {
    return db.run("devices_of_caller",
                  "SELECT " SSOKIT_PG_DEVICE_COLUMNS " FROM devices WHERE service_provider = $1 AND profile_id = "
                  "(SELECT profile_id FROM devices WHERE service_provider = $1 AND device_id = $2 AND link_id = $3 "
                  "AND ($4 = '' OR profile_id = $4)) ORDER BY first_seen, device_id",
                  Params().add(caller.sp).add(caller.device_id).add(caller.link_id).add(caller.profile_id));
  });
  DeviceList list;
  if (rows.empty()) return list;
  list.linked = true;
  last_seen_->note(caller.sp, caller.device_id, caller.link_id, now);
  for (int i = 0; i < rows.count(); ++i) list.devices.push_back(postgres::read_device(rows, i));
  last_seen_->overlay(list.devices);
  list.profile_id = list.devices.front().profile_id;
  return list;
}

void PostgresStore::write_last_seen(const std::vector<LastSeenMove>& moves) {
  // The whole batch as one JSON parameter, one statement. Sorted, so two instances flushing
  // at once lock rows in the same order.
  std::vector<const LastSeenMove*> sorted;
  sorted.reserve(moves.size());
  for (const LastSeenMove& move : moves) sorted.push_back(&move);
  std::sort(sorted.begin(), sorted.end(), [](const LastSeenMove* a, const LastSeenMove* b) {
    return std::tie(a->service_provider, a->device_id) < std::tie(b->service_provider, b->device_id);
  });
  server::Json batch = server::json_array();
  for (const LastSeenMove* move : sorted) {
    server::Json item = server::json_object();
    server::json_set(item.get(), "sp", move->service_provider);
    server::json_set(item.get(), "device", move->device_id);
    server::json_set(item.get(), "link", move->link_id);
    server::json_set(item.get(), "at", static_cast<std::int64_t>(move->at));
    cJSON_AddItemToArray(batch.get(), item.release());
  }
  const std::string text = server::json_print(batch.get());
  // A deadlock with a command that locks the same rows fails the batch, which the next
  // flush tries again.
  postgres::run_statement_as_transaction(
      *pool_, Durability::kRelaxed, "last_seen_moves",
      "UPDATE devices AS d SET last_seen = GREATEST(d.last_seen, m.at) "
      "FROM jsonb_to_recordset($1::jsonb) AS m(sp text, device text, link text, at bigint) "
      "WHERE d.service_provider = m.sp AND d.device_id = m.device AND d.link_id = m.link",
      Params().add(text));
}

UnlinkOutcome PostgresStore::unlink_devices(const DeviceLink& caller, const std::vector<std::string>& device_ids,
                                            Millis now) {
  return in_transaction(*pool_, Isolation::kSerializable, Durability::kDurable, [&](Connection& db) {
    UnlinkOutcome outcome;
    const std::optional<std::string> profile = linked_profile(db, caller, now);
    if (!profile) return outcome;
    outcome.linked = true;
    std::unordered_set<std::string> seen;
    for (const std::string& id : device_ids) {
      if (!seen.insert(id).second) continue;
      const Rows deleted = db.run("device_unlink",
                                  "DELETE FROM devices WHERE service_provider = $1 AND device_id = $2 AND "
                                  "profile_id = $3",
                                  Params().add(caller.sp).add(id).add(*profile));
      if (deleted.affected() > 0) outcome.unlinked.push_back(id);
    }
    return outcome;
  });
}

std::size_t PostgresStore::rename_legacy_profiles(const std::function<std::string(const LegacyProfile&)>& rename) {
  return in_transaction(*pool_, Isolation::kSerializable, Durability::kDurable, [&](Connection& db) -> std::size_t {
    if (db.run("legacy_pending", "SELECT 1 FROM meta WHERE key = 'legacy-profile-names'", Params()).empty()) return 0;
    const Rows names = db.run("legacy_names",
                              "SELECT service_provider, profile_id FROM devices UNION "
                              "SELECT service_provider, profile_id FROM link_codes UNION "
                              "SELECT service_provider, profile_id FROM mvpd_profiles UNION "
                              "SELECT service_provider, profile_id FROM mvpd_sessions",
                              Params());
    for (int i = 0; i < names.count(); ++i) {
      LegacyProfile profile{names.text(i, 0), names.text(i, 1), false};
      profile.named_after_member_device =
          !db.run("legacy_member",
                  "SELECT 1 FROM devices WHERE service_provider = $1 AND device_id = $2 AND profile_id = device_id",
                  Params().add(profile.service_provider).add(profile.id))
               .empty();
      const std::string renamed = rename(profile);
      const Params params = Params().add(renamed).add(profile.service_provider).add(profile.id);
      db.run("legacy_devices", "UPDATE devices SET profile_id = $1 WHERE service_provider = $2 AND profile_id = $3",
             params);
      db.run("legacy_codes", "UPDATE link_codes SET profile_id = $1 WHERE service_provider = $2 AND profile_id = $3",
             params);
      db.run("legacy_mvpd_profiles",
             "UPDATE mvpd_profiles SET profile_id = $1 WHERE service_provider = $2 AND profile_id = $3", params);
      db.run("legacy_mvpd_sessions",
             "UPDATE mvpd_sessions SET profile_id = $1 WHERE service_provider = $2 AND profile_id = $3", params);
    }
    db.run("legacy_done", "DELETE FROM meta WHERE key = 'legacy-profile-names'", Params());
    return static_cast<std::size_t>(names.count());
  });
}

// ---- rate limits and housekeeping -------------------------------------------------------

server::RateDecision PostgresStore::consume_rate(const std::string& key, const server::RateLimit& limit, Millis now) {
  // One round trip on every throttled call: server::gcra() as one upsert, which updates the
  // key's row only when the event fits (the row lock makes concurrent consumers take turns).
  // The CASE is gcra's tat: a stored time far ahead of now (a clock stepped back) is
  // forgotten, otherwise the later of it and now. A key with no row always fits (burst >= 1).
  // The contract tests (ConsumeRate*) hold this SQL to gcra()'s decisions.
  const Params params = Params().add(key).add(now).add(limit.interval_ms).add(limit.burst);
  const Rows counted = postgres::run_statement_as_transaction(
      *pool_, Durability::kRelaxed, "rate_consume",
      "INSERT INTO rate_limits AS r (key, tat) VALUES ($1, $2::bigint + $3::bigint) "
      "ON CONFLICT (key) DO UPDATE SET tat = "
      "  (CASE WHEN r.tat - $2::bigint > 2 * $4::bigint * $3::bigint THEN $2::bigint "
      "   ELSE GREATEST(r.tat, $2::bigint) END) + $3::bigint "
      "WHERE (CASE WHEN r.tat - $2::bigint > 2 * $4::bigint * $3::bigint THEN $2::bigint "
      "       ELSE GREATEST(r.tat, $2::bigint) END) + $3::bigint - $4::bigint * $3::bigint <= $2::bigint "
      "RETURNING tat",
      params);
  server::RateDecision decision;
  if (!counted.empty()) {
    decision.new_tat = counted.int64(0, 0);
    return decision;
  }
  // Refused: how long until it fits, from the row as it is now (a second read, only on a
  // refusal). Had it fit meanwhile, the caller may come back at once.
  const Rows stored = postgres::run_statement_as_transaction(
      *pool_, Durability::kRelaxed, "rate_look", "SELECT tat FROM rate_limits WHERE key = $1", Params().add(key));
  const server::RateDecision now_decision = server::gcra(stored.empty() ? 0 : stored.int64(0, 0), now, limit);
  decision.allowed = false;
  decision.retry_after_ms = now_decision.allowed ? 1 : now_decision.retry_after_ms;
  return decision;
}

std::size_t PostgresStore::purge_expired(const PurgeCutoffs& cutoffs) {
  return in_transaction(*pool_, Isolation::kReadCommitted, Durability::kRelaxed, [&](Connection& db) {
    const Params at_now = Params().add(cutoffs.now).add(cutoffs.batch);
    std::size_t deleted = 0;
    // A code's status stays readable a while after it expired (SPEC §6.1).
    deleted += db.run("purge_codes",
                      "DELETE FROM link_codes WHERE seq IN "
                      "(SELECT seq FROM link_codes WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2)",
                      Params().add(cutoffs.link_codes_expired_before).add(cutoffs.batch))
                   .affected();
    deleted += db.run("purge_limits",
                      "DELETE FROM rate_limits WHERE key IN "
                      "(SELECT key FROM rate_limits WHERE tat <= $1 ORDER BY tat LIMIT $2)",
                      at_now)
                   .affected();
    deleted += db.run("purge_tokens",
                      "DELETE FROM access_tokens WHERE token_hash IN "
                      "(SELECT token_hash FROM access_tokens WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2)",
                      at_now)
                   .affected();
    deleted += db.run("purge_mvpd_profiles",
                      "DELETE FROM mvpd_profiles WHERE (service_provider, profile_id, mvpd) IN "
                      "(SELECT service_provider, profile_id, mvpd FROM mvpd_profiles WHERE not_after <= $1 "
                      "ORDER BY not_after LIMIT $2)",
                      at_now)
                   .affected();
    deleted += db.run("purge_sessions",
                      "DELETE FROM mvpd_sessions WHERE code_hash IN "
                      "(SELECT code_hash FROM mvpd_sessions WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2)",
                      Params().add(cutoffs.sessions_expired_before).add(cutoffs.batch))
                   .affected();
    return deleted;
  });
}

}  // namespace ssokit::store
