#pragma once
// Internal to the SQLite store's .cpp files: running work on the writer or a reader, reading
// rows, and the rate-limit steps several operations share.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "core/rate_limit.hpp"
#include "store/records.hpp"
#include "store/store.hpp"
#include "store/sqlite_connection.hpp"
#include "store/sqlite_readers.hpp"
#include "store/sqlite_writer.hpp"

namespace ssokit::store::sqlite {

// Runs `f(Connection&)` on the writer thread inside the group-commit transaction and
// returns its result once committed.
template <class F>
auto on_writer(Writer& writer, F&& f, Durability durability = Durability::kDurable) {
  using R = std::invoke_result_t<F&, Connection&>;
  if constexpr (std::is_void_v<R>) {
    writer.run(Writer::Operation(std::ref(f)), durability);
  } else {
    std::optional<R> result;
    writer.run([&](Connection& db) { result.emplace(f(db)); }, durability);
    return std::move(*result);
  }
}

// Runs `f(Connection&)` on a pooled read connection.
template <class F>
auto on_reader(ReaderPool& readers, F&& f) {
  auto lease = readers.acquire();
  return f(*lease);
}

// The columns every device query selects, in the order read_device() reads them.
#define SSOKIT_DEVICE_COLUMNS "service_provider, device_id, profile_id, link_id, type, info_json, first_seen, last_seen"
DeviceRecord read_device(const Query& q);
std::int64_t type_code(DeviceType type);

// GCRA state of a limit key: 0 when the key has no row ("no recent events").
Millis stored_tat(Connection& db, const std::string& key);
void store_tat(Connection& db, const std::string& key, Millis tat);

// Steps of the device and link-code commands, inside the writer's transaction.
struct CurrentLink {
  std::string profile_id;
  std::string link_id;
};
std::optional<CurrentLink> current_link(Connection& db, const std::string& sp, const std::string& device_id);
// Devices of the profile plus its codes awaiting approval (SPEC §6.3 counts both).
std::int64_t profile_size(Connection& db, const std::string& sp, const std::string& profile_id, Millis now);
// Room for one more event on `limit`, without counting it.
server::RateDecision look(Connection& db, const NamedLimit& limit, Millis now);
// join_device() inside a transaction, shared with the link-code commands.
JoinOutcome join_device_on(Connection& db, const DeviceRecord& d, const JoinLimits& limits, Millis now);
// The caller's profile while it is linked (DeviceLink), without moving anything.
std::optional<std::string> profile_if_linked(Connection& db, const DeviceLink& caller);

}  // namespace ssokit::store::sqlite
