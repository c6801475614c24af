#pragma once
// The PostgreSQL store's schema, versioned in the table ssokit_schema. The tables are the
// SQLite store's (store.hpp's records), in plain SQL that PostgreSQL-compatible engines take.
#include "store/postgres_pool.hpp"

namespace ssokit::store::postgres {

inline constexpr int kSchemaVersion = 4;

// Creates or migrates the schema to kSchemaVersion in one transaction under an advisory lock,
// so instances starting together on a new database do not race. Throws StoreError when the
// database has a newer version than this code knows.
void migrate(ConnectionPool& pool);

}  // namespace ssokit::store::postgres
