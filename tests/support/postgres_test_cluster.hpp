#pragma once
// The throwaway PostgreSQL cluster tests run against (scripts/postgres.sh starts it and
// scripts/test.sh exports its URL as SSOKIT_TEST_POSTGRES_URL): fresh databases and schemas
// on it, one per test, so tests never see each other's rows.
#include <string>

namespace ssokit::testing {

// SSOKIT_TEST_POSTGRES_URL, or "" when it is not set.
std::string postgres_test_cluster();

// `url` with its database name replaced by `database` (the query string kept).
std::string url_with_database(const std::string& url, const std::string& database);

// Creates `database` on the cluster `cluster_url` names. Throws std::runtime_error.
void create_postgres_database(const std::string& cluster_url, const std::string& database);

// A URL for the cluster's own database whose sessions work in `schema` (created when it does
// not exist yet): a store on it sees only its own tables. A schema costs a few milliseconds
// where a database costs a copy of the template; tests that start servers use these.
// Throws std::runtime_error.
std::string postgres_schema_url(const std::string& cluster_url, const std::string& schema);

}  // namespace ssokit::testing
