#pragma once
// The one storage interface of the reference server. Every method is one atomic unit:
// when it returns without throwing, its write is durable (acknowledged writes survive a
// crash or power loss). Everything a second server instance must see lives here.
//
// Failures of the storage itself throw store::StoreError; the API layer answers 500
// internal_error. "Not found" is never an exception.
#include <cstddef>
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

enum class RedeemResult { kRedeemed, kInvalid, kLimited, kDeviceLimit, kCreationLimited };

struct RedeemOutcome {
  RedeemResult result = RedeemResult::kInvalid;
  std::string profile_id;                // kRedeemed: the profile the code was bound to
  JoinResult join = JoinResult::kAdded;  // kRedeemed: how the device joined it
  std::string link_id;                   // kRedeemed: the device's link
  Millis retry_after_ms = 0;             // kLimited, kCreationLimited
  std::string limited_by;                // kLimited: the label of the first limit that refused
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

  // Dynamic client registration.
  virtual void insert_client(const ClientRecord& client) = 0;
  // Software statements are revoked by their id (jti), for good: registration refuses them
  // and their clients get no new access token. Revoking twice is no error.
  virtual void revoke_software_statement(const std::string& statement_id, Millis now) = 0;
  virtual bool software_statement_revoked(const std::string& statement_id) = 0;
  virtual std::optional<ClientRecord> find_client(const std::string& client_id) = 0;
  virtual void insert_access_token(const AccessTokenRecord& token, Millis now) = 0;
  virtual std::optional<AccessTokenRecord> find_access_token(const std::string& token_hash) = 0;

  // Devices. A device belongs to at most one profile per service provider; unlinking
  // deletes it, so its link (and every token naming it) is gone for good.
  //
  // Joins `device` to device.profile_id (device.link_id is the link to give it when it
  // starts a new one), as JoinResult says; durable. `now` times the creation limit.
  virtual JoinOutcome join_device(const DeviceRecord& device, const JoinLimits& limits, Millis now) = 0;
  virtual std::optional<DeviceRecord> find_device(const std::string& sp, const std::string& device_id) = 0;
  // The profile of the device if it is still linked by `link_id`, moving its last_seen to
  // `now` (relaxed: a crash may take back the last moves); nullopt otherwise.
  virtual std::optional<std::string> check_device_link(const std::string& sp, const std::string& device_id,
                                                       const std::string& link_id, Millis now) = 0;
  virtual std::vector<DeviceRecord> list_devices(const std::string& sp, const std::string& profile_id) = 0;
  // Deletes those of `device_ids` that belong to `profile_id`; returns them in request
  // order without duplicates. Unknown ids and other profiles' devices are skipped.
  virtual std::vector<std::string> delete_devices(const std::string& sp, const std::string& profile_id,
                                                  const std::vector<std::string>& device_ids) = 0;

  // Renames every profile still named the legacy way (see LegacyProfile) to
  // `rename(profile)`, in devices, link codes and MVPD rows, in one transaction; afterwards
  // there are none. Returns how many profiles it renamed (0 on every later call).
  virtual std::size_t rename_legacy_profiles(const std::function<std::string(const LegacyProfile&)>& rename) = 0;

  // Link codes. Inserts the code unless a live code (expires_at > now) of the same service
  // provider has the same hash (returns false: the caller draws another code). Dead rows
  // with that hash are replaced. Afterwards, if the profile has more than
  // `max_live_codes` live codes, its oldest ones are deleted.
  virtual bool insert_link_code(const LinkCodeRecord& code, Millis now, int max_live_codes) = 0;

  // The whole redemption as one atomic unit:
  //  1. if any limit in `failure_limits` has no room for one more failure: kLimited, and if
  //     the joining device is new and limits.creation_limit has no room: kCreationLimited
  //     (both even when the code is right: a success must not confirm a guess);
  //  2. if a live code of `joining.service_provider` has `code_hash`: join the device to the
  //     code's profile as join_device() would; on kDeviceLimit nothing changes (the code
  //     stays live), otherwise the code is deleted (single use) and the result is kRedeemed;
  //  3. otherwise record one failure against every failure limit: kInvalid.
  // Of two concurrent redemptions of one code exactly one is kRedeemed.
  virtual RedeemOutcome redeem_link_code(const std::string& code_hash, const DeviceRecord& joining,
                                         const std::vector<NamedLimit>& failure_limits, const JoinLimits& limits,
                                         Millis now) = 0;

  // One event against a limit (the per-device throttle).
  virtual server::RateDecision consume_rate(const std::string& key, const server::RateLimit& limit,
                                            Millis now) = 0;

  // MVPD sessions and profiles of the compact REST API V2 part.
  virtual void insert_mvpd_session(const MvpdSessionRecord& session) = 0;
  virtual std::optional<MvpdSessionRecord> find_mvpd_session(const std::string& code_hash) = 0;
  // Creates the profile unless a live one (not_after > now) exists for (sp, profile, mvpd);
  // either way returns the stored live profile (an SSO profile keeps its first login).
  virtual MvpdProfileRecord upsert_mvpd_profile(const MvpdProfileRecord& profile, Millis now) = 0;
  // Live profiles (not_after > now) of an SSO profile.
  virtual std::vector<MvpdProfileRecord> list_mvpd_profiles(const std::string& sp, const std::string& profile_id,
                                                            Millis now) = 0;
  // Deletes the live profile; false when there was none.
  virtual bool delete_mvpd_profile(const std::string& sp, const std::string& profile_id, const std::string& mvpd,
                                   Millis now) = 0;
};

}  // namespace ssokit::store
