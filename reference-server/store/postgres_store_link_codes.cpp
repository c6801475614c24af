// The PostgreSQL store's link codes: making, reading, redeeming and deciding on them (see
// store.hpp for what each command promises; the state numbers are LinkCodeState's). Every
// change of a code's state is announced with NOTIFY in its transaction, so each instance's
// listener (postgres_listener.hpp) wakes the requests held on it (SPEC §6.1).
#include <algorithm>

#include "store/last_seen_moves.hpp"
#include "store/link_code_rules.hpp"
#include "store/postgres_listener.hpp"
#include "store/postgres_pool.hpp"
#include "store/postgres_store.hpp"
#include "store/postgres_store_support.hpp"

namespace ssokit::store {
namespace {

using postgres::Connection;
using postgres::Durability;
using postgres::in_transaction;
using postgres::Isolation;
using postgres::on_connection;
using postgres::Params;
using postgres::Rows;

// Runs of create_link_code() that may meet a racing insert of the same hash, in a row.
constexpr int kUniqueRaceTries = 5;

#define SSOKIT_PG_CODE_COLUMNS                                                                          \
  "service_provider, profile_id, creator_device_id, approval_required, state, created_at, expires_at, " \
  "joining_device_id, joining_info_json, taken_at, joining_link_id"

std::optional<LinkCodeRecord> code_of(Connection& db, const std::string& sp, const std::string& code_hash) {
  const Rows rows = db.run(
      "code_find", "SELECT " SSOKIT_PG_CODE_COLUMNS " FROM link_codes WHERE service_provider = $1 AND code_hash = $2",
      Params().add(sp).add(code_hash));
  if (rows.empty()) return std::nullopt;
  LinkCodeRecord code;
  code.service_provider = rows.text(0, 0);
  code.profile_id = rows.text(0, 1);
  code.creator_device_id = rows.text(0, 2);
  code.approval_required = rows.int64(0, 3) != 0;
  code.state = static_cast<LinkCodeState>(rows.int64(0, 4));
  code.created_at = rows.int64(0, 5);
  code.expires_at = rows.int64(0, 6);
  code.joining_device_id = rows.text(0, 7);
  code.joining_info_json = rows.text(0, 8);
  code.taken_at = rows.int64(0, 9);
  code.joining_link_id = rows.text(0, 10);
  return code;
}

void set_state(Connection& db, const std::string& sp, const std::string& code_hash, LinkCodeState state,
               const std::string& joining_link_id) {
  db.run("code_state",
         "UPDATE link_codes SET state = $1, joining_link_id = $2 WHERE service_provider = $3 AND code_hash = $4",
         Params().add(static_cast<std::int64_t>(state)).add(joining_link_id).add(sp).add(code_hash));
}

void take(Connection& db, const std::string& code_hash, const DeviceRecord& joining, LinkCodeState state,
          const std::string& link_id, Millis now) {
  db.run("code_take",
         "UPDATE link_codes SET state = $1, joining_device_id = $2, joining_info_json = $3, taken_at = $4, "
         "joining_link_id = $5 WHERE service_provider = $6 AND code_hash = $7",
         Params()
             .add(static_cast<std::int64_t>(state))
             .add(joining.device_id)
             .add(joining.info_json)
             .add(now)
             .add(link_id)
             .add(joining.service_provider)
             .add(code_hash));
}

// Delivered to every listening instance when (and only if) the transaction commits.
void announce(Connection& db, const std::string& sp, const std::string& code_hash) {
  db.run("code_notify", "SELECT pg_notify($1, $2)",
         Params().add(postgres::kLinkCodeChannel).add(postgres::link_code_payload(sp, code_hash)));
}

}  // namespace

NewCodeOutcome PostgresStore::create_link_code(const DeviceLink& caller, const NewLinkCode& code, Millis now) {
  const auto attempt = [&] {
    return in_transaction(*pool_, Isolation::kReadCommitted, Durability::kDurable, [&](Connection& db) {
      NewCodeOutcome outcome;
      // Checked, not moved: the lastSeen move is deferred like any call's.
      const std::optional<std::string> profile = postgres::profile_if_linked(db, caller);
      if (!profile) return outcome;
      outcome.linked = true;
      outcome.profile_id = *profile;
      for (std::size_t i = 0; i < code.candidate_hashes.size() && !outcome.inserted; ++i) {
        const std::string& hash = code.candidate_hashes[i];
        const Rows existing = db.run("code_existing",
                                     "SELECT state, expires_at FROM link_codes WHERE service_provider = $1 AND "
                                     "code_hash = $2",
                                     Params().add(caller.sp).add(hash));
        if (!existing.empty() && existing.int64(0, 0) == 0 && existing.int64(0, 1) > now) continue;  // live
        // Only a row that is not live: one a racing maker committed since our read stays, and
        // our insert then fails as a unique violation (run again, below).
        db.run("code_replace_dead",
               "DELETE FROM link_codes WHERE service_provider = $1 AND code_hash = $2 AND "
               "NOT (state = 0 AND expires_at > $3)",
               Params().add(caller.sp).add(hash).add(now));
        db.run("code_insert",
               "INSERT INTO link_codes (service_provider, code_hash, profile_id, created_at, expires_at, "
               "creator_device_id, approval_required) VALUES ($1, $2, $3, $4, $5, $6, $7)",
               Params()
                   .add(caller.sp)
                   .add(hash)
                   .add(*profile)
                   .add(now)
                   .add(code.expires_at)
                   .add(caller.device_id)
                   .add(static_cast<std::int64_t>(code.approval_required ? 1 : 0)));
        outcome.inserted = i;
      }
      if (!outcome.inserted) return outcome;
      // All but the profile's newest max_live_codes live codes are retired: they expire now.
      db.run("codes_over_cap",
             "UPDATE link_codes SET expires_at = $3 WHERE seq IN (SELECT seq FROM link_codes WHERE "
             "service_provider = $1 AND profile_id = $2 AND state = 0 AND expires_at > $3 "
             "ORDER BY created_at DESC, seq DESC OFFSET $4)",
             Params().add(caller.sp).add(*profile).add(now).add(
                 static_cast<std::int64_t>(std::max(code.max_live_codes, 1))));
      return outcome;
    });
  };
  // READ COMMITTED, not SERIALIZABLE: what must hold is that no two live codes share a hash,
  // which the unique index guarantees, and that a profile keeps at most max_live_codes, which
  // tolerates a racing maker's code living until the next one. Under SERIALIZABLE the
  // predicate locks of the cap's scan made concurrent makers of codes in neighbouring profiles
  // abort each other past every retry (measured: 500s with 8 concurrent makers, 2000
  // profiles). A racing insert of one of our hashes is a unique violation: run the command
  // again, and it then sees that code live and takes the next candidate.
  for (int tries = 1;; ++tries) {
    try {
      NewCodeOutcome made = attempt();
      if (made.linked) last_seen_->note(caller.sp, caller.device_id, caller.link_id, now);
      return made;
    } catch (const postgres::PostgresError& e) {
      if (e.sqlstate() != "23505" || tries == kUniqueRaceTries) throw;
    }
  }
}

std::optional<LinkCodeRecord> PostgresStore::find_link_code(const std::string& sp, const std::string& code_hash) {
  return on_connection(*pool_, [&](Connection& db) { return code_of(db, sp, code_hash); });
}

RedeemOutcome PostgresStore::redeem_link_code(const std::string& code_hash, const DeviceRecord& joining,
                                              const std::vector<NamedLimit>& failure_limits, const JoinLimits& limits,
                                              Millis now) {
  const RedeemOutcome redeemed =
      in_transaction(*pool_, Isolation::kSerializable, Durability::kDurable, [&](Connection& db) {
        // 0. The device that took an approval code asks again: no limits, no change.
        const std::optional<LinkCodeRecord> taken = code_of(db, joining.service_provider, code_hash);
        const auto still_linked = [&] {
          return !db.run("code_joined_link",
                         "SELECT 1 FROM devices WHERE service_provider = $1 AND device_id = $2 AND profile_id = $3 "
                         "AND link_id = $4",
                         Params()
                             .add(joining.service_provider)
                             .add(joining.device_id)
                             .add(taken->profile_id)
                             .add(taken->joining_link_id))
                      .empty();
        };
        if (auto again = repeat_of_taker(taken, joining.device_id, now, still_linked)) {
          return *again;
        }

        RedeemOutcome outcome;
        // 1. Look (store nothing): room for one more failure on every limit, and for one more
        //    creation if the device is new?
        for (const NamedLimit& limit : failure_limits) {
          const server::RateDecision decision = postgres::look(db, limit, now);
          if (!decision.allowed) {
            if (outcome.result != RedeemResult::kLimited) {
              outcome.result = RedeemResult::kLimited;
              outcome.limited_by = limit.label;
            }
            outcome.retry_after_ms = std::max(outcome.retry_after_ms, decision.retry_after_ms);
          }
        }
        if (outcome.result == RedeemResult::kLimited) return outcome;
        const std::optional<postgres::CurrentLink> current =
            postgres::current_link(db, joining.service_provider, joining.device_id);
        if (limits.creation_limit && !current) {
          const server::RateDecision decision = postgres::look(db, *limits.creation_limit, now);
          if (!decision.allowed) {
            outcome.result = RedeemResult::kCreationLimited;
            outcome.retry_after_ms = decision.retry_after_ms;
            return outcome;
          }
        }
        // 2. A live code of the joining device's service provider?
        std::optional<LinkCodeRecord> code = taken;  // read in step 0, in this transaction
        if (code && !is_live(*code, now)) code.reset();
        if (code && code->approval_required) {
          const bool member = current && current->profile_id == code->profile_id;
          if (!member && limits.max_devices &&
              postgres::profile_size(db, joining.service_provider, code->profile_id, now) >= *limits.max_devices) {
            outcome.result = RedeemResult::kDeviceLimit;
            return outcome;
          }
          if (!current && limits.creation_limit) {
            const server::RateDecision decision = postgres::look(db, *limits.creation_limit, now);
            postgres::store_tat(db, limits.creation_limit->key, decision.new_tat);
          }
          take(db, code_hash, joining, LinkCodeState::kAwaitingApproval, joining.link_id, now);
          announce(db, joining.service_provider, code_hash);
          outcome.result = RedeemResult::kAwaitingApproval;
          outcome.expires_at = code->expires_at;
          return outcome;
        }
        if (code) {
          DeviceRecord device = joining;
          device.profile_id = code->profile_id;
          const JoinOutcome joined = postgres::join_device_in(db, device, limits, now);
          if (joined.result == JoinResult::kDeviceLimit) {
            outcome.result = RedeemResult::kDeviceLimit;
            return outcome;
          }
          take(db, code_hash, joining, LinkCodeState::kRedeemed, joined.link_id, now);
          announce(db, joining.service_provider, code_hash);
          outcome.result = RedeemResult::kRedeemed;
          outcome.profile_id = device.profile_id;
          outcome.join = joined.result;
          outcome.link_id = joined.link_id;
          return outcome;
        }
        // 3. One failure against every limit (looked up again: a key may appear twice).
        for (const NamedLimit& limit : failure_limits) {
          const server::RateDecision decision = postgres::look(db, limit, now);
          if (decision.allowed) postgres::store_tat(db, limit.key, decision.new_tat);
        }
        outcome.result = RedeemResult::kInvalid;
        return outcome;
      });
  // This instance's own waiters need not wait for the notification's round trip.
  const bool taken_now =
      redeemed.result == RedeemResult::kAwaitingApproval || redeemed.result == RedeemResult::kRedeemed;
  if (taken_now) link_code_changes_.changed(joining.service_provider, code_hash);
  return redeemed;
}

DecisionOutcome PostgresStore::decide_link_code(const DeviceLink& caller, const std::string& code_hash, bool approve,
                                                const JoinLimits& limits, Millis now) {
  const DecisionOutcome decided =
      in_transaction(*pool_, Isolation::kSerializable, Durability::kDurable, [&](Connection& db) {
        DecisionOutcome outcome;
        const std::optional<std::string> profile = postgres::profile_if_linked(db, caller);
        if (!profile) return outcome;
        outcome.linked = true;
        const std::optional<LinkCodeRecord> code = code_of(db, caller.sp, code_hash);
        if (!awaits_decision_of(code, caller, *profile, now)) return outcome;
        outcome.joining_device_id = code->joining_device_id;
        if (!approve) {
          set_state(db, caller.sp, code_hash, LinkCodeState::kDenied, "");
          announce(db, caller.sp, code_hash);
          outcome.result = DecisionResult::kDecided;
          return outcome;
        }
        // No longer pending before the join counts the profile: its place passes to the device.
        set_state(db, caller.sp, code_hash, LinkCodeState::kRedeemed, code->joining_link_id);
        const JoinOutcome joined =
            postgres::join_device_in(db, approved_device(*code, now), approval_limits(limits), now);
        if (joined.result == JoinResult::kDeviceLimit) {
          set_state(db, caller.sp, code_hash, LinkCodeState::kAwaitingApproval, code->joining_link_id);
          outcome.result = DecisionResult::kDeviceLimit;
          return outcome;
        }
        set_state(db, caller.sp, code_hash, LinkCodeState::kRedeemed, joined.link_id);
        announce(db, caller.sp, code_hash);
        outcome.result = DecisionResult::kDecided;
        outcome.join = joined.result;
        return outcome;
      });
  if (decided.result == DecisionResult::kDecided) link_code_changes_.changed(caller.sp, code_hash);
  if (decided.linked) last_seen_->note(caller.sp, caller.device_id, caller.link_id, now);
  return decided;
}

void PostgresStore::watch_link_codes(LinkCodeWatcher watcher) {
  link_code_changes_.watch(std::move(watcher));
  std::lock_guard<std::mutex> lock(listener_mutex_);
  if (!listener_) {
    // Changes made through other instances arrive as notifications; a reconnect may have
    // missed some, which the listener reports as a change of "anything" (an empty hash).
    listener_ = std::make_unique<postgres::LinkCodeListener>(
        url_, [this](const std::string& sp, const std::string& hash) { link_code_changes_.changed(sp, hash); });
  }
}

}  // namespace ssokit::store
