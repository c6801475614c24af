#include "test_store.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <sstream>
#include <stdexcept>

#include "postgres_test_cluster.hpp"
#include "server_process.hpp"

namespace ssokit::testing {
namespace {

// The PostgreSQL pass needs a cluster: without one, every test is skipped (by
// configuration, with the reason), not failed. Registered before main() by this file's
// static initialiser; the linker keeps it because server_process.cpp calls into this file.
class PostgresClusterRequired : public ::testing::Environment {
 public:
  void SetUp() override {
    if (testing_on_postgres() && postgres_test_cluster().empty()) {
      GTEST_SKIP() << "SSOKIT_TEST_STORE=postgresql without SSOKIT_TEST_POSTGRES_URL: scripts/test.sh starts a "
                      "cluster (scripts/postgres.sh start DIR prints its URL)";
    }
  }
};
[[maybe_unused]] ::testing::Environment* const kPostgresClusterRequired =
    ::testing::AddGlobalTestEnvironment(new PostgresClusterRequired);

std::string schema_for(const std::string& data_dir) {
  const std::string canonical = std::filesystem::weakly_canonical(data_dir).string();
  std::ostringstream name;
  name << "it_" << std::hex << std::hash<std::string>{}(canonical);
  return name.str();
}

std::optional<std::string> successful_output(const CommandResult& result) {
  if (result.exit_code != 0) return std::nullopt;
  return result.out;
}

}  // namespace

bool testing_on_postgres() {
  const char* store = std::getenv("SSOKIT_TEST_STORE");
  return store != nullptr && std::string(store) == "postgresql";
}

std::string store_url_for(const std::string& data_dir) {
  if (!testing_on_postgres()) return {};
  const std::string cluster = postgres_test_cluster();
  if (cluster.empty()) throw std::runtime_error("SSOKIT_TEST_STORE=postgresql needs SSOKIT_TEST_POSTGRES_URL");
  return postgres_schema_url(cluster, schema_for(data_dir));
}

std::vector<std::string> store_args(const std::string& data_dir) {
  if (!testing_on_postgres()) return {};
  return {"--store", store_url_for(data_dir)};
}

std::vector<std::string> with_store(std::vector<std::string> command, const std::string& data_dir) {
  const std::vector<std::string> store = store_args(data_dir);
  command.insert(command.end(), store.begin(), store.end());
  return command;
}

std::optional<std::string> query_store(const std::string& data_dir, const std::string& sql) {
  if (testing_on_postgres()) {
    return successful_output(
        run_program("/usr/bin/psql", {"--no-psqlrc", "--quiet", "--no-align", "--tuples-only", "--field-separator= ",
                                      "--set=ON_ERROR_STOP=1", "--dbname=" + store_url_for(data_dir), "--command=" + sql}));
  }
  return successful_output(
      run_program("/usr/bin/sqlite3", {"-readonly", "-separator", " ", data_dir + "/ssokit.db", sql}));
}

bool change_store(const std::string& data_dir, const std::string& sql) {
  if (testing_on_postgres()) {
    return run_program("/usr/bin/psql", {"--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1",
                                         "--dbname=" + store_url_for(data_dir), "--command=" + sql})
               .exit_code == 0;
  }
  return run_program("/usr/bin/sqlite3", {data_dir + "/ssokit.db", sql}).exit_code == 0;
}

std::optional<std::string> dump_store(const std::string& data_dir) {
  if (testing_on_postgres()) {
    return successful_output(run_program(
        "/usr/bin/pg_dump", {"--no-owner", "--schema=" + schema_for(data_dir), "--dbname=" + store_url_for(data_dir)}));
  }
  return successful_output(run_program("/usr/bin/sqlite3", {"-readonly", data_dir + "/ssokit.db", ".dump"}));
}

}  // namespace ssokit::testing
