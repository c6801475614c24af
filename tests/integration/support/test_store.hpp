#pragma once
// Which store the servers under test use. By default SQLite, the file ssokit.db in each data
// folder; with SSOKIT_TEST_STORE=postgresql, the PostgreSQL cluster SSOKIT_TEST_POSTGRES_URL
// names (scripts/test.sh starts one), each data folder with a schema of its own. ctest runs
// every integration test both ways: the second time with the "postgresql." prefix.
#include <optional>
#include <string>
#include <vector>

namespace ssokit::testing {

// True when SSOKIT_TEST_STORE=postgresql.
bool testing_on_postgres();

// The store of the data folder `data_dir`: "" on SQLite (the server's default, a file in the
// folder); on PostgreSQL a connection URL for the folder's own schema, created at first use.
std::string store_url_for(const std::string& data_dir);

// {"--store", store_url_for(data_dir)}, or nothing on SQLite: for every server command that
// takes --data.
std::vector<std::string> store_args(const std::string& data_dir);

// `command` (a server command with --data `data_dir`) followed by store_args(data_dir).
std::vector<std::string> with_store(std::vector<std::string> command, const std::string& data_dir);

// Runs `sql` on the store of `data_dir` with the database's own command-line tool (sqlite3
// or psql): its rows, one per line, fields separated by one space. nullopt when the tool is
// missing or the query fails.
std::optional<std::string> query_store(const std::string& data_dir, const std::string& sql);

// Runs `sql` that changes the store of `data_dir` (the server stopped, or not yet started);
// false when it fails.
bool change_store(const std::string& data_dir, const std::string& sql);

// Everything the store of `data_dir` holds, as SQL text (sqlite3 .dump or pg_dump).
std::optional<std::string> dump_store(const std::string& data_dir);

}  // namespace ssokit::testing
