#pragma once
// The SQLite store's schema, versioned with PRAGMA user_version.
#include "store/sqlite_connection.hpp"

namespace ssokit::store::sqlite {

inline constexpr int kSchemaVersion = 4;

// Puts the database in WAL mode and brings its schema to kSchemaVersion inside one
// BEGIN IMMEDIATE transaction (so two processes opening one new file do not race).
// Throws StoreError when the file was written by a newer schema than this code knows.
void migrate(Connection& db);

}  // namespace ssokit::store::sqlite
