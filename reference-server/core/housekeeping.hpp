#pragma once
// What counts as dead in the store, and deleting it in bounded steps, off the request path.
// The store only deletes what it is told to (store::PurgeCutoffs); the rules live here.
#include <cstddef>

#include "core/clock.hpp"
#include "store/store.hpp"

namespace ssokit::server {

// Expired MVPD sessions stay findable this long, so the API can still tell "expired" from
// "unknown"; rate-limit rows, access tokens and MVPD profiles go once dead.
inline constexpr Millis kMvpdSessionGraceMs = 24LL * 3600 * 1000;
// A link code's status stays readable this long after its notAfter (SPEC §6.1).
inline constexpr Millis kLinkCodeStatusRetentionMs = 10LL * 60 * 1000;
// Rows per table per store call: a call stays short however much is dead.
inline constexpr std::int64_t kPurgeBatch = 256;
// How often the server runs it.
inline constexpr Millis kHousekeepingPeriodMs = 10 * 1000;

class Housekeeping {
 public:
  Housekeeping(store::Store& store, Clock& clock) : store_(store), clock_(clock) {}

  // Deletes what is dead now, in batches, until a batch comes back short; returns the rows
  // deleted. Safe to run on every instance at once.
  std::size_t run_once();

 private:
  store::Store& store_;
  Clock& clock_;
};

}  // namespace ssokit::server
