#pragma once
// The one storage interface of the reference server. Every method is one atomic unit:
// when it returns without throwing, its write is durable (acknowledged writes survive a
// crash or power loss). Everything a second server instance must see lives here.
//
// Failures of the storage itself throw store::StoreError; the API layer answers 500
// internal_error. "Not found" is never an exception.
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
  std::string key;    // e.g. "redeem:device:<sp>:<id>"
  std::string label;  // "device", "address" or "service_provider"
  server::RateLimit limit;
};

enum class RedeemResult { kRedeemed, kInvalid, kLimited };

struct RedeemOutcome {
  RedeemResult result = RedeemResult::kInvalid;
  std::string profile_id;        // kRedeemed: the profile the code was bound to
  Millis retry_after_ms = 0;     // kLimited
  std::string limited_by;        // kLimited: the label of the first limit that refused
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
  virtual std::optional<ClientRecord> find_client(const std::string& client_id) = 0;
  virtual void insert_access_token(const AccessTokenRecord& token, Millis now) = 0;
  virtual std::optional<AccessTokenRecord> find_access_token(const std::string& token_hash) = 0;

  // Devices. A device belongs to at most one profile per service provider; signing in
  // again moves it (keeping first_seen). Unlinking deletes it.
  virtual void upsert_device(const DeviceRecord& device) = 0;
  virtual std::optional<DeviceRecord> find_device(const std::string& sp, const std::string& device_id) = 0;
  // Moves last_seen to `now` if the device is linked to `profile_id`; false otherwise.
  virtual bool touch_device(const std::string& sp, const std::string& device_id,
                            const std::string& profile_id, Millis now) = 0;
  virtual std::vector<DeviceRecord> list_devices(const std::string& sp, const std::string& profile_id) = 0;
  // Deletes those of `device_ids` that belong to `profile_id`; returns them in request
  // order without duplicates. Unknown ids and other profiles' devices are skipped.
  virtual std::vector<std::string> delete_devices(const std::string& sp, const std::string& profile_id,
                                                  const std::vector<std::string>& device_ids) = 0;

  // Link codes. Inserts the code unless a live code (expires_at > now) of the same service
  // provider has the same hash (returns false: the caller draws another code). Dead rows
  // with that hash are replaced. Afterwards, if the profile has more than
  // `max_live_codes` live codes, its oldest ones are deleted.
  virtual bool insert_link_code(const LinkCodeRecord& code, Millis now, int max_live_codes) = 0;

  // The whole redemption as one atomic unit:
  //  1. if any limit in `failure_limits` has no room for one more failure: kLimited
  //     (even when the code is right: a success must not confirm a guess);
  //  2. if a live code of `joining.service_provider` has `code_hash`: delete it (single
  //     use), upsert `joining` with profile_id set to the code's profile, kRedeemed;
  //  3. otherwise record one failure against every limit: kInvalid.
  // Of two concurrent redemptions of one code exactly one is kRedeemed.
  virtual RedeemOutcome redeem_link_code(const std::string& code_hash, const DeviceRecord& joining,
                                         const std::vector<NamedLimit>& failure_limits, Millis now) = 0;

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
