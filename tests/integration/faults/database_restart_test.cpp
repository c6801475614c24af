// PostgreSQL going away under a running server (SPEC §4): while the database is down,
// calls answer 503 store_unavailable with Retry-After within their timeout and /healthz
// says 503; when it is back (after a crash: immediate stop, no shutdown checkpoint) the
// server recovers by itself, without a restart, and no acknowledged write is lost. The
// database is a cluster of the test's own (scripts/postgres.sh), so stopping it disturbs
// no other test.
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "api_test.hpp"
#include "json_text.hpp"
#include "write_load.hpp"

namespace ssokit::testing {
namespace {

class DatabaseRestartTest : public ApiTest {
 protected:
  void SetUp() override {
    if (!testing_on_postgres()) GTEST_SKIP() << "PostgreSQL only: an SQLite store is a file of the server's own";
    static int counter = 0;
    cluster_dir_ = "/tmp/ssokit-faults-pg-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
    const CommandResult started = postgres({"start", cluster_dir_});
    ASSERT_EQ(started.exit_code, 0) << started.err;
    cluster_url_ = started.out.substr(0, started.out.find('\n'));
    ApiTest::SetUp();
  }
  void TearDown() override {
    ApiTest::TearDown();
    if (!cluster_dir_.empty()) postgres({"stop", cluster_dir_});
  }
  std::vector<std::string> extra_args() const override { return {"--store", cluster_url_}; }

  static CommandResult postgres(const std::vector<std::string>& args) {
    return run_program(SSOKIT_POSTGRES_SCRIPT, args, std::chrono::seconds(90));
  }
  void crash_database() {
    const CommandResult halted = postgres({"halt", cluster_dir_, "immediate"});
    ASSERT_EQ(halted.exit_code, 0) << halted.err;
  }
  void start_database_again() {
    const CommandResult resumed = postgres({"resume", cluster_dir_});
    ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  }
  // Polls /healthz until it answers `status` (bounded).
  bool wait_for_health(long status, std::chrono::seconds within) {
    const auto deadline = std::chrono::steady_clock::now() + within;
    while (std::chrono::steady_clock::now() < deadline) {
      if (call("GET", "/healthz").status == status) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

  std::string cluster_dir_;
  std::string cluster_url_;
};

TEST_F(DatabaseRestartTest, WhileTheDatabaseIsDownCallsAnswer503QuicklyAndRecoverWithoutARestart) {
  const SignedIn phone = sign_in("phone", "alice");
  crash_database();

  const auto started = std::chrono::steady_clock::now();
  const HttpResponse refused = call("POST", path("serviceToken"),
                                    {{"AP-Device-Identifier", fingerprint("tv")}, {"X-SSO-ID", "bob"}});
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_EQ(refused.json("error.code"), "store_unavailable") << refused.body;
  EXPECT_EQ(refused.json("error.action"), "retry") << refused.body;
  EXPECT_FALSE(refused.header("retry-after").empty());
  EXPECT_LT(took, std::chrono::seconds(10)) << "the call hung instead of answering 503";
  EXPECT_EQ(call("GET", path("list"), token_headers(phone)).status, 503);
  EXPECT_EQ(call("GET", "/healthz").status, 503);

  start_database_again();
  ASSERT_TRUE(wait_for_health(200, std::chrono::seconds(30))) << "the server did not recover by itself";
  EXPECT_EQ(call("GET", path("list"), token_headers(phone)).status, 200);
  EXPECT_EQ(sign_in("tv", "bob").service_token.empty(), false);
}

TEST_F(DatabaseRestartTest, ADatabaseCrashUnderLoadLosesNoAcknowledgedWrite) {
  WriteLoad load({server().base_url()}, sp_, access_token(), 4);
  ASSERT_TRUE(load.wait_for_acknowledged(60, 60000)) << "the load did not get going";
  crash_database();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const auto before_restart = load.statuses();
  start_database_again();
  const std::size_t at_restart = load.acknowledged();
  EXPECT_TRUE(load.wait_for_acknowledged(at_restart + 60, 60000)) << "writes did not resume after the restart";
  const std::vector<AcknowledgedWrite> writes = load.stop();

  // Refusals while it was down are 503s, never 500s or silence: the server stayed up.
  for (const auto& [status, n] : load.statuses()) {
    EXPECT_TRUE(status == 201 || status == 503) << n << " answers with status " << status;
  }
  EXPECT_GT(before_restart.count(503), 0u) << "no call met the database down";

  const std::vector<std::string> missing = find_missing_writes(server().base_url(), sp_, access_token(), writes);
  EXPECT_TRUE(missing.empty()) << missing.size() << " acknowledged writes lost, the first: " << missing.front();
}

}  // namespace
}  // namespace ssokit::testing
