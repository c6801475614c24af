// The SQLite store's link codes: making, reading, redeeming and deciding on them (see
// store.hpp for what each command promises; the state numbers are LinkCodeState's).
#include <algorithm>

#include "store/last_seen_moves.hpp"
#include "store/link_code_rules.hpp"
#include "store/sqlite_store.hpp"
#include "store/sqlite_store_support.hpp"

namespace ssokit::store {
namespace {

using sqlite::Connection;
using sqlite::on_reader;
using sqlite::on_writer;

#define SSOKIT_CODE_COLUMNS                                                                             \
  "service_provider, profile_id, creator_device_id, approval_required, state, created_at, expires_at, " \
  "joining_device_id, joining_info_json, taken_at, joining_link_id"

LinkCodeRecord read_code(const sqlite::Query& q) {
  LinkCodeRecord code;
  code.service_provider = q.text(0);
  code.profile_id = q.text(1);
  code.creator_device_id = q.text(2);
  code.approval_required = q.int64(3) != 0;
  code.state = static_cast<LinkCodeState>(q.int64(4));
  code.created_at = q.int64(5);
  code.expires_at = q.int64(6);
  code.joining_device_id = q.text(7);
  code.joining_info_json = q.text(8);
  code.taken_at = q.int64(9);
  code.joining_link_id = q.text(10);
  return code;
}

std::optional<LinkCodeRecord> code_of(Connection& db, const std::string& sp, const std::string& code_hash) {
  auto q = db.query("SELECT " SSOKIT_CODE_COLUMNS " FROM link_codes WHERE service_provider = ? AND code_hash = ?");
  q.bind(sp).bind(code_hash);
  if (!q.step()) return std::nullopt;
  return read_code(q);
}

void set_state(Connection& db, const std::string& sp, const std::string& code_hash, LinkCodeState state,
               const std::string& joining_link_id) {
  auto q =
      db.query("UPDATE link_codes SET state = ?, joining_link_id = ? WHERE service_provider = ? AND code_hash = ?");
  q.bind(static_cast<std::int64_t>(state)).bind(joining_link_id).bind(sp).bind(code_hash);
  q.run();
}

// The code is taken by `joining` (pending approval, or redeemed at once).
void take(Connection& db, const std::string& code_hash, const DeviceRecord& joining, LinkCodeState state,
          const std::string& link_id, Millis now) {
  auto q = db.query(
      "UPDATE link_codes SET state = ?, joining_device_id = ?, joining_info_json = ?, taken_at = ?, "
      "joining_link_id = ? WHERE service_provider = ? AND code_hash = ?");
  q.bind(static_cast<std::int64_t>(state)).bind(joining.device_id).bind(joining.info_json).bind(now);
  q.bind(link_id).bind(joining.service_provider).bind(code_hash);
  q.run();
}

bool linked_by(Connection& db, const std::string& sp, const std::string& device_id, const std::string& profile_id,
               const std::string& link_id) {
  auto q =
      db.query("SELECT 1 FROM devices WHERE service_provider = ? AND device_id = ? AND profile_id = ? AND link_id = ?");
  q.bind(sp).bind(device_id).bind(profile_id).bind(link_id);
  return q.step();
}

}  // namespace

NewCodeOutcome SqliteStore::create_link_code(const DeviceLink& caller, const NewLinkCode& code, Millis now) {
  NewCodeOutcome made = on_writer(*writer_, [&](Connection& db) {
    NewCodeOutcome outcome;
    // Checked, not moved, inside the transaction: the move is deferred like any call's, so the
    // commit writes the code's pages and not the caller's device row too.
    const std::optional<std::string> profile = sqlite::profile_if_linked(db, caller);
    if (!profile) return outcome;
    outcome.linked = true;
    outcome.profile_id = *profile;
    for (std::size_t i = 0; i < code.candidate_hashes.size() && !outcome.inserted; ++i) {
      const std::string& hash = code.candidate_hashes[i];
      {
        auto q = db.query(
            "SELECT 1 FROM link_codes WHERE service_provider = ? AND code_hash = ? AND state = 0 "
            "AND expires_at > ?");
        q.bind(caller.sp).bind(hash).bind(now);
        if (q.step()) continue;  // a live code has this hash
      }
      {
        auto q = db.query("DELETE FROM link_codes WHERE service_provider = ? AND code_hash = ?");
        q.bind(caller.sp).bind(hash);
        q.run();
      }
      auto q = db.query(
          "INSERT INTO link_codes (service_provider, code_hash, profile_id, created_at, expires_at, "
          "creator_device_id, approval_required) VALUES (?, ?, ?, ?, ?, ?, ?)");
      q.bind(caller.sp).bind(hash).bind(*profile).bind(now).bind(code.expires_at).bind(caller.device_id);
      q.bind(static_cast<std::int64_t>(code.approval_required ? 1 : 0));
      q.run();
      outcome.inserted = i;
    }
    if (!outcome.inserted) return outcome;
    // All but the profile's newest max_live_codes live codes are retired: they expire now, so
    // whoever waits on one learns it expired.
    auto q = db.query(
        "UPDATE link_codes SET expires_at = ?3 WHERE seq IN (SELECT seq FROM link_codes "
        "WHERE service_provider = ?1 AND profile_id = ?2 AND state = 0 AND expires_at > ?3 "
        "ORDER BY created_at DESC, seq DESC LIMIT -1 OFFSET ?4)");
    q.bind(caller.sp).bind(*profile).bind(now);
    q.bind(static_cast<std::int64_t>(std::max(code.max_live_codes, 1)));
    q.run();
    return outcome;
  });
  if (made.linked) last_seen_->note(caller.sp, caller.device_id, caller.link_id, now);
  return made;
}

std::optional<LinkCodeRecord> SqliteStore::find_link_code(const std::string& sp, const std::string& code_hash) {
  return on_reader(*readers_, [&](Connection& db) { return code_of(db, sp, code_hash); });
}

RedeemOutcome SqliteStore::redeem_link_code(const std::string& code_hash, const DeviceRecord& joining,
                                            const std::vector<NamedLimit>& failure_limits, const JoinLimits& limits,
                                            Millis now) {
  const RedeemOutcome redeemed = on_writer(*writer_, [&](Connection& db) {
    // 0. The device that took an approval code asks again: no limits, no change.
    const std::optional<LinkCodeRecord> taken = code_of(db, joining.service_provider, code_hash);
    const auto still_linked = [&] {
      return linked_by(db, joining.service_provider, joining.device_id, taken->profile_id, taken->joining_link_id);
    };
    if (auto again = repeat_of_taker(taken, joining.device_id, now, still_linked)) {
      return *again;
    }

    RedeemOutcome outcome;
    // 1. Look (store nothing): is there room for one more failure on every limit, and for
    //    one more creation if the device is new?
    for (const NamedLimit& limit : failure_limits) {
      const server::RateDecision decision = sqlite::look(db, limit, now);
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
    const std::optional<sqlite::CurrentLink> current =
        sqlite::current_link(db, joining.service_provider, joining.device_id);
    if (limits.creation_limit && !current) {
      const server::RateDecision decision = sqlite::look(db, *limits.creation_limit, now);
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
          sqlite::profile_size(db, joining.service_provider, code->profile_id, now) >= *limits.max_devices) {
        outcome.result = RedeemResult::kDeviceLimit;
        return outcome;
      }
      if (!current && limits.creation_limit) {
        const server::RateDecision decision = sqlite::look(db, *limits.creation_limit, now);
        sqlite::store_tat(db, limits.creation_limit->key, decision.new_tat);
      }
      take(db, code_hash, joining, LinkCodeState::kAwaitingApproval, joining.link_id, now);
      outcome.result = RedeemResult::kAwaitingApproval;
      outcome.expires_at = code->expires_at;
    } else if (code) {
      DeviceRecord device = joining;
      device.profile_id = code->profile_id;
      const JoinOutcome joined = sqlite::join_device_on(db, device, limits, now);
      if (joined.result == JoinResult::kDeviceLimit) {
        outcome.result = RedeemResult::kDeviceLimit;
        return outcome;
      }
      take(db, code_hash, joining, LinkCodeState::kRedeemed, joined.link_id, now);
      outcome.result = RedeemResult::kRedeemed;
      outcome.profile_id = code->profile_id;
      outcome.join = joined.result;
      outcome.link_id = joined.link_id;
    } else {
      // 3. One failure against every limit (read again: a key may appear twice).
      for (const NamedLimit& limit : failure_limits) {
        const server::RateDecision decision = sqlite::look(db, limit, now);
        if (decision.allowed) sqlite::store_tat(db, limit.key, decision.new_tat);
      }
      outcome.result = RedeemResult::kInvalid;
    }
    return outcome;
  });
  const bool taken_now =
      redeemed.result == RedeemResult::kAwaitingApproval || redeemed.result == RedeemResult::kRedeemed;
  if (taken_now) link_code_changes_.changed(joining.service_provider, code_hash);
  return redeemed;
}

DecisionOutcome SqliteStore::decide_link_code(const DeviceLink& caller, const std::string& code_hash, bool approve,
                                              const JoinLimits& limits, Millis now) {
  const DecisionOutcome decided = on_writer(*writer_, [&](Connection& db) {
    DecisionOutcome outcome;
    const std::optional<std::string> profile = sqlite::profile_if_linked(db, caller);
    if (!profile) return outcome;
    outcome.linked = true;
    const std::optional<LinkCodeRecord> code = code_of(db, caller.sp, code_hash);
    if (!awaits_decision_of(code, caller, *profile, now)) return outcome;
    outcome.joining_device_id = code->joining_device_id;
    if (!approve) {
      set_state(db, caller.sp, code_hash, LinkCodeState::kDenied, "");
      outcome.result = DecisionResult::kDecided;
      return outcome;
    }
    // No longer pending before the join counts the profile: its place passes to the device.
    set_state(db, caller.sp, code_hash, LinkCodeState::kRedeemed, code->joining_link_id);
    const JoinOutcome joined = sqlite::join_device_on(db, approved_device(*code, now), approval_limits(limits), now);
    if (joined.result == JoinResult::kDeviceLimit) {
      set_state(db, caller.sp, code_hash, LinkCodeState::kAwaitingApproval, code->joining_link_id);
      outcome.result = DecisionResult::kDeviceLimit;
      return outcome;
    }
    set_state(db, caller.sp, code_hash, LinkCodeState::kRedeemed, joined.link_id);
    outcome.result = DecisionResult::kDecided;
    outcome.join = joined.result;
    return outcome;
  });
  if (decided.result == DecisionResult::kDecided) link_code_changes_.changed(caller.sp, code_hash);
  if (decided.linked) last_seen_->note(caller.sp, caller.device_id, caller.link_id, now);
  return decided;
}

void SqliteStore::watch_link_codes(LinkCodeWatcher watcher) {
  link_code_changes_.watch(std::move(watcher));
}

}  // namespace ssokit::store
