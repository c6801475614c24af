#pragma once
// Chooses and opens the Store named by `--store URL` (SPEC §4).
#include <memory>
#include <string>

#include "store/postgres_store.hpp"
#include "store/store.hpp"

namespace ssokit::store {

// url:
//   ""                       SQLite at <data_dir>/ssokit.db (data_dir is created with mode
//                            0700 when missing)
//   "sqlite:///abs/path.db"  SQLite at that absolute path
//   "sqlite:rel/path.db"     SQLite at that path, relative to the working directory
//   "postgresql://..." or "postgres://..."  PostgreSQL (a libpq URI); unreachable: StoreUnavailable
// Anything else throws StoreError naming the accepted forms. Opening errors throw
// StoreError too. A PostgreSQL store keeps `postgres_pool_size` connections (SQLite has no
// pool: it ignores it).
std::unique_ptr<Store> open_store(const std::string& url, const std::string& data_dir,
                                  std::size_t postgres_pool_size = kDefaultPostgresPoolSize);

}  // namespace ssokit::store
