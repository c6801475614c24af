#pragma once
// The one storage interface of the reference server: the contract every backend keeps.
// tests/server/store/store_contract*_test.cpp is its executable form; a backend that passes
// it may serve, and a new backend needs only this header and that suite.
//
// Shaped by what one request needs, not by tables: each SSO call is one command, which a
// backend runs as one transaction (SQLite: one writer job; PostgreSQL: one round trip), so
// its checks and writes are atomic together. Policy (limits, caps, lifetimes, what counts as
// dead) is core's: commands receive it as values (NamedLimit, JoinLimits, times, cutoffs) and
// a backend only keeps it atomic.
//
// Durability, stated per method:
//   durable: committed to stable storage before the method returns: an acknowledged write
//            survives a crash or a power loss;
//   relaxed: committed and visible to every later command, but a power loss (or a database
//            failover) may take back the last ones. Only bookkeeping no client asked for
//            (a device's lastSeen, the per-device throttle) is relaxed.
// Reads see every committed write, from any instance on the same store.
//
// Records that never change once written, so instances may cache them: service providers,
// clients, access tokens, revoked statement ids, and keys (the set only grows: a cache must
// still ask the store for a kid it does not know).
//
// Failures of the storage itself throw StoreError (the API answers 500 internal_error);
// "not found" and "refused by a limit" are results, never exceptions.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/rate_limit.hpp"
#include "store/records.hpp"

namespace ssokit::store {

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The storage cannot be reached right now (a database restarting, a network cut): the call
// may succeed if retried later. The API answers 503 store_unavailable with Retry-After.
class StoreUnavailable : public StoreError {
 public:
  using StoreError::StoreError;
};

// One limit checked during a link-code redemption, named for metrics and logs.
struct NamedLimit {
  std::string key;    // e.g. "redeem-device:<sp>\n<id>"
  std::string label;  // for metrics: "redeem_device", "redeem_address", "address_create", ...
  server::RateLimit limit;
};

// What may stop a device from joining a profile; the policy (numbers, keys) is core's, the
// store only applies it atomically with the join.
struct JoinLimits {
  std::optional<int> max_devices;            // devices a profile may hold; nullopt: no cap
  std::optional<NamedLimit> creation_limit;  // consumed once when the device is new to the service provider
};

enum class JoinResult {
  kAdded,            // a device new to the service provider, linked with the given link_id
  kRejoined,         // already linked to that profile: metadata and last_seen move, the link stays
  kMoved,            // was linked to another profile: linked to this one with the given link_id
  kDeviceLimit,      // the profile already holds max_devices devices: nothing changed
  kCreationLimited,  // new device, and creation_limit has no room: nothing changed
};

struct JoinOutcome {
  JoinResult result = JoinResult::kAdded;
  std::string link_id;        // the device's link after the join (kAdded, kRejoined, kMoved)
  Millis retry_after_ms = 0;  // kCreationLimited
};

enum class RedeemResult {
  kRedeemed,          // joined (now, or earlier by the issuing device's approval)
  kAwaitingApproval,  // the code needs its issuing device's approval (SPEC §6.2): taken, pending
  kDenied,            // its issuing device denied this device
  kInvalid,
  kLimited,
  kDeviceLimit,
  kCreationLimited,
};

struct RedeemOutcome {
  RedeemResult result = RedeemResult::kInvalid;
  std::string profile_id;                // kRedeemed: the profile the code was bound to
  JoinResult join = JoinResult::kAdded;  // kRedeemed: how the device joined it
  std::string link_id;                   // kRedeemed: the device's link
  Millis retry_after_ms = 0;             // kLimited, kCreationLimited
  std::string limited_by;                // kLimited: the label of the first limit that refused
  Millis expires_at = 0;                 // kAwaitingApproval: the code's end (a decision must come before)
};

// A link code's life (SPEC §6.1, §6.2). EXPIRED is not stored: it is a waiting (or pending)
// code past its expires_at.
enum class LinkCodeState {
  kWaiting = 0,           // live until expires_at: may be redeemed
  kAwaitingApproval = 1,  // taken by a device that waits for the issuing device's decision
  kRedeemed = 2,          // a device joined through it
  kDenied = 3,            // the issuing device denied the device that took it
};

// A link code as its issuing device and the device that took it see it, while readable.
struct LinkCodeRecord {
  std::string service_provider;
  std::string profile_id;         // the profile the code joins devices to
  std::string creator_device_id;  // the device that made it
  bool approval_required = false;
  LinkCodeState state = LinkCodeState::kWaiting;
  Millis created_at = 0;
  Millis expires_at = 0;
  // The device that took the code (state past kWaiting), as it described itself then.
  std::string joining_device_id;
  std::string joining_info_json;
  Millis taken_at = 0;
  std::string joining_link_id;  // kRedeemed: the link the device got
};

enum class DecisionResult {
  kDecided,      // approved (the device joined) or denied, as asked
  kInvalid,      // no live code of the caller's awaiting a decision under that hash
  kDeviceLimit,  // approving would put the profile over max_devices: nothing changed
};

struct DecisionOutcome {
  bool linked = false;  // the caller is still linked (else nothing else was looked at)
  DecisionResult result = DecisionResult::kInvalid;
  std::string joining_device_id;         // kDecided
  JoinResult join = JoinResult::kAdded;  // kDecided, approved: how the device joined
};

// Called after a link code's state changed (taken, redeemed, approved, denied): the service
// provider and the code's hash. Runs on a thread of the store's; must be quick.
using LinkCodeWatcher = std::function<void(const std::string& sp, const std::string& code_hash)>;

enum class CreationResult { kCreated, kStatementRevoked, kLimited };

struct CreationOutcome {
  CreationResult result = CreationResult::kCreated;
  Millis retry_after_ms = 0;  // kLimited
};

// The device behind a call that carries a service token: its `did`, `lid` and `sub`. The
// device is linked when its row has this link id and, unless profile_id is "" (tokens from
// before link ids), is in that profile.
struct DeviceLink {
  std::string sp;
  std::string device_id;
  std::string link_id;
  std::string profile_id;
};

struct DeviceList {
  bool linked = false;
  std::string profile_id;
  std::vector<DeviceRecord> devices;
};

struct UnlinkOutcome {
  bool linked = false;
  std::vector<std::string> unlinked;
};

struct NewLinkCode {
  std::vector<std::string> candidate_hashes;  // keyed hashes of drawn codes, tried in order
  Millis expires_at = 0;
  int max_live_codes = 5;
  bool approval_required = false;  // SPEC §6.2
};

struct NewCodeOutcome {
  bool linked = false;
  std::string profile_id;
  std::optional<std::size_t> inserted;  // index into candidate_hashes
};

struct PurgeCutoffs {
  Millis now = 0;
  Millis sessions_expired_before = 0;    // MVPD sessions stay findable a while after expiry
  Millis link_codes_expired_before = 0;  // a code's status stays readable a while after expiry
  std::int64_t batch = 8;                // rows per table per call
};

// A profile named the way stores before schema version 2 named it: by the common id itself.
struct LegacyProfile {
  std::string service_provider;
  std::string id;
  bool named_after_member_device = false;  // a device of the profile has `id` as its device id
};

class Store {
 public:
  virtual ~Store() = default;

  // Liveness of the storage (for /healthz): a cheap round trip.
  virtual bool ping() = 0;

  // Whether several server processes may serve this store at once (PostgreSQL: SPEC §4), so
  // state they must share (the per-device throttle) has to live in it. False for a store
  // one process serves (SQLite), whose relaxed bookkeeping may stay in that process's memory.
  virtual bool shared_by_instances() const = 0;
  // Called by `serve` before it answers anything. A store one process serves (SQLite) is
  // taken for this process until the store closes, so its relaxed bookkeeping may live in
  // memory; when another process serves it already: StoreError, saying so. A store shared by
  // instances takes nothing. Other commands (software-statement, rotate-keys) never claim.
  virtual void claim_serving() = 0;

  // Small named values that must be the same for every instance (first writer wins).
  // Returns the stored value: `value` if the key was new, the existing one otherwise.
  virtual std::string put_meta_if_absent(const std::string& key, const std::string& value) = 0;
  virtual std::optional<std::string> get_meta(const std::string& key) = 0;

  // Service providers are created by `software-statement` and never deleted.
  virtual void ensure_service_provider(const std::string& id, Millis now) = 0;
  virtual bool service_provider_exists(const std::string& id) = 0;

  // Keys: all of them (old ones still verify), newest first within a purpose.
  virtual std::vector<KeyRecord> keys() = 0;
  // Inserts `key` unless a key with the same purpose exists; returns the newest key of
  // that purpose (so racing instances all end up with the same first key).
  virtual KeyRecord insert_key_if_purpose_absent(const KeyRecord& key) = 0;
  // Adds a key for rotation; it becomes the newest of its purpose.
  virtual void insert_key(const KeyRecord& key) = 0;

  // Dynamic client registration. Durable. Registers `client` unless its statement
  // (client.statement_id, when not empty) is revoked or `creation_limit` has no room for one
  // more; the limit is consumed only when the client is registered. An existing client_id
  // is a StoreError that changes nothing.
  virtual CreationOutcome register_client(const ClientRecord& client,
                                          const std::optional<NamedLimit>& creation_limit, Millis now) = 0;
  // Durable. Stores the access token unless its client's statement is revoked or
  // `creation_limit` has no room, as register_client(). A client that does not exist is a
  // StoreError.
  virtual CreationOutcome issue_access_token(const AccessTokenRecord& token,
                                             const std::optional<NamedLimit>& creation_limit, Millis now) = 0;
  // Durable. Software statements are revoked by their id (jti), for good. Twice is no error.
  virtual void revoke_software_statement(const std::string& statement_id, Millis now) = 0;
  virtual std::optional<ClientRecord> find_client(const std::string& client_id) = 0;
  virtual std::optional<AccessTokenRecord> find_access_token(const std::string& token_hash) = 0;

  // Devices. A device belongs to at most one profile per service provider; unlinking
  // deletes it, so its link (and every token naming it) is gone for good.
  //
  // Sign in. Durable. Joins `device` to device.profile_id (device.link_id is the link to
  // give it when it starts a new one), as JoinResult says. `now` times the creation limit.
  // A rejoin updates type and metadata and never moves last_seen back; a move (or an add)
  // writes the record but keeps a moved device's first_seen. The device cap is checked
  // before the creation limit.
  virtual JoinOutcome join_device(const DeviceRecord& device, const JoinLimits& limits, Millis now) = 0;
  virtual std::optional<DeviceRecord> find_device(const std::string& sp, const std::string& device_id) = 0;

  // Check a call and note the device seen. A read; the lastSeen move is deferred. The
  // profile of the device if it is still linked (see DeviceLink), moving its last_seen to
  // `now` (never back); nullopt otherwise.
  virtual std::optional<std::string> check_device_link(const DeviceLink& caller, Millis now) = 0;
  // List for a device. A read, like check_device_link(); then the devices of the caller's
  // profile by first_seen, then device id; `linked` false (and no devices) when unlinked.
  virtual DeviceList list_devices_of(const DeviceLink& caller, Millis now) = 0;
  // Unlink. Durable. check_device_link(), then deletes those of `device_ids` that belong to
  // the caller's profile; `unlinked` has them in request order without duplicates. Unknown
  // ids and other profiles' devices are skipped.
  virtual UnlinkOutcome unlink_devices(const DeviceLink& caller, const std::vector<std::string>& device_ids,
                                       Millis now) = 0;

  // Renames every profile still named the legacy way (see LegacyProfile) to
  // `rename(profile)`, in devices, link codes and MVPD rows, in one transaction; afterwards
  // there are none. Returns how many profiles it renamed (0 on every later call). Durable.
  virtual std::size_t rename_legacy_profiles(const std::function<std::string(const LegacyProfile&)>& rename) = 0;

  // Link codes. A code is live while it is kWaiting and expires_at > now; only a live code
  // can be redeemed, and hashes are unique among the live codes of a service provider. Every
  // code stays readable (find_link_code) until housekeeping purges it.
  //
  // Make a link code. Durable. check_device_link(), then inserts the first of the
  // candidates that no live code of the service provider has (other rows with that hash are
  // replaced), bound to the caller's profile and made by the caller's device, requiring
  // approval as `code` says; then, if the profile has more than `max_live_codes` (at least 1)
  // live codes, its oldest ones (by created_at, then insertion order) are retired: they
  // expire now. The code's created_at is `now`. `inserted` is the index of the candidate
  // taken, nullopt when all collided (draw new ones).
  virtual NewCodeOutcome create_link_code(const DeviceLink& caller, const NewLinkCode& code, Millis now) = 0;

  // A code of the service provider under `code_hash`, in whatever state, until purged.
  virtual std::optional<LinkCodeRecord> find_link_code(const std::string& sp, const std::string& code_hash) = 0;

  // The whole redemption as one atomic unit:
  //  0. if a code that required approval has `code_hash` and was taken by this very device,
  //     this is that device asking again: kAwaitingApproval while pending, kDenied once
  //     denied, kRedeemed (its profile and link) once approved while the device is still
  //     linked by that link, kInvalid otherwise or once the code expired; no limit is looked
  //     at or consumed;
  //  1. if any limit in `failure_limits` has no room for one more failure: kLimited (with
  //     the longest wait of the refusing limits, named by the first of them), and if
  //     the joining device is new and limits.creation_limit has no room: kCreationLimited
  //     (both even when the code is right: a success must not confirm a guess);
  //  2. if a live code of `joining.service_provider` has `code_hash`:
  //     - approval required: the device cap is checked as join_device() would (unless the
  //       device is already in the profile), the creation limit consumed for a new device,
  //       and the code is taken: kAwaitingApproval, the device and its planned link
  //       (joining.link_id) recorded; nothing joins yet;
  //     - else join the device to the code's profile as join_device() would; on
  //       kDeviceLimit nothing changes (the code stays live), otherwise the code is spent
  //       (kRedeemed, the device recorded) and the result is kRedeemed;
  //  3. otherwise record one failure against every failure limit: kInvalid.
  // Of two concurrent redemptions of one code exactly one takes it. A device cap counts the
  // profile's devices and its codes awaiting approval (SPEC §6.3), here and in join_device().
  virtual RedeemOutcome redeem_link_code(const std::string& code_hash, const DeviceRecord& joining,
                                         const std::vector<NamedLimit>& failure_limits, const JoinLimits& limits,
                                         Millis now) = 0;

  // The issuing device's decision on a taken code (SPEC §6.2). Durable. check_device_link();
  // then a code under `code_hash` of the caller's service provider and profile, made by the
  // caller's device, kAwaitingApproval and not expired, else kInvalid. Deny: kDenied.
  // Approve: the device that took it joins the profile as join_device() would (type sso, its
  // recorded info, its planned link, first and last seen `now`, limits.max_devices counting
  // the other pending approvals), and the code is kRedeemed with the link the device got.
  virtual DecisionOutcome decide_link_code(const DeviceLink& caller, const std::string& code_hash, bool approve,
                                           const JoinLimits& limits, Millis now) = 0;

  // Calls `watcher` after every change of a link code's state made through this instance and,
  // where the backend can (PostgreSQL: LISTEN/NOTIFY), through any instance on the same
  // store, so held requests wake wherever the change happened (SPEC §6.1). One watcher; set
  // it before serving. Where a backend may miss changes of other instances (a lost database
  // connection), it calls the watcher with an empty hash: "anything may have changed".
  virtual void watch_link_codes(LinkCodeWatcher watcher) = 0;

  // Consume a throttle. Relaxed. One event against a limit (the per-device throttle).
  virtual server::RateDecision consume_rate(const std::string& key, const server::RateLimit& limit,
                                            Millis now) = 0;

  // Housekeeping. Deletes dead rows, min(cutoffs.batch, how many are dead) of each kind:
  // link codes with expires_at <= cutoffs.link_codes_expired_before, rate-limit rows with tat <= now, access tokens
  // with expires_at <= now, MVPD profiles with not_after <= now, MVPD sessions with
  // expires_at <= cutoffs.sessions_expired_before. Returns how many rows it deleted; core
  // calls it again while that reaches the batch. Relaxed: a row a crash brings back is
  // deleted again.
  virtual std::size_t purge_expired(const PurgeCutoffs& cutoffs) = 0;

  // MVPD sessions and profiles of the compact REST API V2 part, all durable.
  // A session dead at the new one's created_at with the same code hash is replaced; a live
  // one is a StoreError.
  virtual void insert_mvpd_session(const MvpdSessionRecord& session) = 0;
  virtual std::optional<MvpdSessionRecord> find_mvpd_session(const std::string& code_hash) = 0;
  // Creates the profile unless a live one (not_after > now) exists for (sp, profile, mvpd);
  // either way returns the stored live profile (an SSO profile keeps its first login).
  virtual MvpdProfileRecord upsert_mvpd_profile(const MvpdProfileRecord& profile, Millis now) = 0;
  // Live profiles (not_after > now) of an SSO profile, by not_before, then mvpd.
  virtual std::vector<MvpdProfileRecord> list_mvpd_profiles(const std::string& sp, const std::string& profile_id,
                                                            Millis now) = 0;
  // Deletes the live profile; false when there was none.
  virtual bool delete_mvpd_profile(const std::string& sp, const std::string& profile_id, const std::string& mvpd,
                                   Millis now) = 0;
};

}  // namespace ssokit::store
