#pragma once
// Internal to the PostgreSQL store's .cpp files: reading rows and the rate-limit steps that
// several commands share.
#include <optional>
#include <string>

#include "core/rate_limit.hpp"
#include "store/postgres_connection.hpp"
#include "store/records.hpp"
#include "store/store.hpp"

namespace ssokit::store::postgres {

// The columns every device query selects, in the order read_device() reads them.
#define SSOKIT_PG_DEVICE_COLUMNS \
  "service_provider, device_id, profile_id, link_id, type, info_json, first_seen, last_seen"
DeviceRecord read_device(const Rows& rows, int row);
std::int64_t type_code(DeviceType type);

// GCRA state of a limit key inside the current transaction: 0 when the key has no row.
Millis stored_tat(Connection& db, const std::string& key);
void store_tat(Connection& db, const std::string& key, Millis tat);
// Room for one more event on `limit`, without counting it.
server::RateDecision look(Connection& db, const NamedLimit& limit, Millis now);

// Steps of the device and link-code commands, inside a transaction.
struct CurrentLink {
  std::string profile_id;
  std::string link_id;
};
std::optional<CurrentLink> current_link(Connection& db, const std::string& sp, const std::string& device_id);
// The caller's profile while it is linked (DeviceLink), without moving anything.
std::optional<std::string> profile_if_linked(Connection& db, const DeviceLink& caller);
// Devices of the profile plus its codes awaiting approval (SPEC §6.3 counts both).
std::int64_t profile_size(Connection& db, const std::string& sp, const std::string& profile_id, Millis now);
// join_device() inside a transaction, shared with the link-code commands.
JoinOutcome join_device_in(Connection& db, const DeviceRecord& d, const JoinLimits& limits, Millis now);

}  // namespace ssokit::store::postgres
