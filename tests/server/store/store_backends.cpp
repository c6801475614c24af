// The backends the store contract suite runs against (store_contract.hpp).
//
// Adding a backend: push one more StoreBackend in store_backends(), with an open() that
// makes a fresh, empty database for the test's folder and an open_another() that connects a
// second instance to that same database. A backend that needs a running server is added
// only when the environment names one, so the suite runs everywhere: the PostgreSQL backend
// goes after the SQLite one, when SSOKIT_TEST_POSTGRES_URL is set (scripts/postgres.sh
// prints such a URL).
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "postgres_test_cluster.hpp"
#include "sqlite_test_support.hpp"
#include "store/postgres_store.hpp"
#include "store_contract.hpp"

namespace ssokit::store::testing {

namespace {

// SQLite: one file in the test's folder; a second instance is another SqliteStore on that
// file (its own writer thread and readers, as another process would have).
StoreBackend sqlite_backend() {
  const auto open = [](const std::string& folder) -> std::unique_ptr<Store> {
    return open_sqlite(folder + "/ssokit.db");
  };
  // One SQLite file is served by one instance (SPEC §4): changes are not shared.
  return StoreBackend{"sqlite", open, open, false};
}

// A database of this test's own: named after the folder, so open_another() finds it again.
std::string database_for(const std::string& folder) {
  return "contract_" + std::to_string(std::hash<std::string>{}(folder));
}

// PostgreSQL: a fresh database per test on the cluster SSOKIT_TEST_POSTGRES_URL names; a
// second instance is another PostgresStore (its own pool) on that database.
StoreBackend postgres_backend(const std::string& server_url) {
  const auto open_another = [server_url](const std::string& folder) -> std::unique_ptr<Store> {
    PostgresOptions options;
    options.url = ssokit::testing::url_with_database(server_url, database_for(folder));
    options.pool_size = 8;
    return std::make_unique<PostgresStore>(options);
  };
  const auto open = [server_url, open_another](const std::string& folder) -> std::unique_ptr<Store> {
    ssokit::testing::create_postgres_database(server_url, database_for(folder));
    return open_another(folder);
  };
  return StoreBackend{"postgresql", open, open_another, true};
}

}  // namespace

std::vector<StoreBackend> store_backends() {
  std::vector<StoreBackend> backends;
  backends.push_back(sqlite_backend());
  if (const std::string url = ssokit::testing::postgres_test_cluster(); !url.empty()) {
    backends.push_back(postgres_backend(url));
  }
  return backends;
}

}  // namespace ssokit::store::testing
