#pragma once
// The store contract (store/store.hpp) as a parametrised suite, written once and run against
// every backend that store_backends() lists. Each test gets a fresh folder and a fresh store
// on an empty database; tests about several servers sharing one database open a second,
// independent instance on it. Each store_contract_*_test.cpp file instantiates its suite with
//   INSTANTIATE_TEST_SUITE_P(Backends, <Suite>, ::testing::ValuesIn(store_backends()), backend_name);
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "core/rate_limit.hpp"
#include "store/store.hpp"
#include "store_test_support.hpp"

namespace ssokit::store::testing {

struct StoreBackend {
  std::string name;  // names the test instances: letters, digits and '_' only
  // Opens a store on a new, empty database that belongs to `folder` (an empty temporary
  // folder, removed after the test).
  std::function<std::unique_ptr<Store>(const std::string& folder)> open;
  // Opens another, independent instance on the database open() made for `folder`, with its
  // own connections and caches, as a second server process would (also used to reopen).
  std::function<std::unique_ptr<Store>(const std::string& folder)> open_another;
  // Whether a change of a link code made through one instance reaches the watcher of another
  // (Store::watch_link_codes): a backend served by several instances must say yes.
  bool shares_changes_across_instances = false;
};

// How gtest shows the parameter: the backend's name, not its bytes.
inline void PrintTo(const StoreBackend& backend, std::ostream* out) {
  *out << backend.name;
}

inline std::string backend_name(const ::testing::TestParamInfo<StoreBackend>& info) {
  return info.param.name;
}

// Every backend the contract runs against (store_backends.cpp).
std::vector<StoreBackend> store_backends();

class StoreContractTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override { store_ = GetParam().open(folder()); }

  std::string folder() const { return dir_.path().string(); }
  // A second instance on this test's database.
  std::unique_ptr<Store> open_another() const { return GetParam().open_another(folder()); }
  // Closes the store and opens it again, as a restart would.
  void reopen() {
    store_.reset();
    store_ = open_another();
  }
  // Joins `d` with no limits and returns the link its service tokens carry.
  DeviceLink linked(const DeviceRecord& d) {
    const JoinOutcome outcome = join(*store_, d);
    return DeviceLink{d.service_provider, d.device_id, outcome.link_id, d.profile_id};
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;  // after dir_: closed before the folder goes
};

// ---- limits ----------------------------------------------------------------------------

// "`failures` failures per 600 s" per device and per address, and 1000 per service
// provider, as the service configures redemptions.
inline std::vector<NamedLimit> failure_limits(const std::string& device_id, const std::string& address = "10.0.0.1",
                                              std::int64_t failures = 5) {
  const auto limit = server::RateLimit::per_window(failures, 600);
  return {NamedLimit{"redeem:device:sp:" + device_id, "device", limit},
          NamedLimit{"redeem:address:" + address, "address", limit},
          NamedLimit{"redeem:sp:sp", "service_provider", server::RateLimit::per_window(1000, 600)}};
}

// A creation limit (new devices, clients, access tokens) under `key`.
inline NamedLimit creation_limit(const std::string& key, const server::RateLimit& limit) {
  return NamedLimit{key, "address_create", limit};
}

inline JoinLimits creation_limited(const std::string& key, const server::RateLimit& limit) {
  return JoinLimits{std::nullopt, creation_limit(key, limit)};
}

// ---- counting rows -----------------------------------------------------------------------

// Deletes every row that can expire, however far ahead it expires, and returns how many
// there were: a backend-independent count of the link codes, rate-limit rows, access tokens
// and MVPD rows left in the store. Devices never expire and stay.
inline std::size_t purge_all(Store& store) {
  constexpr Millis kFarFuture = Millis{1} << 60;
  std::size_t total = 0;
  for (;;) {
    const std::size_t deleted = store.purge_expired(PurgeCutoffs{kFarFuture, kFarFuture, kFarFuture, 1'000'000});
    total += deleted;
    if (deleted == 0) return total;
  }
}

}  // namespace ssokit::store::testing
