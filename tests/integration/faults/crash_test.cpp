// No acknowledged write is ever lost (SPEC §2, §4): an instance killed with SIGKILL under a
// load of sign-ins and link codes. On SQLite the one instance is restarted on its data
// folder; on PostgreSQL a second instance shares the store, keeps serving through the kill,
// and finds every write the dead one acknowledged, without a restart.
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "api_test.hpp"
#include "write_load.hpp"

namespace ssokit::testing {
namespace {

class CrashTest : public ApiTest {
 protected:
  // Under load every answer is a success or no answer at all (the dead instance): never a
  // 5xx from a live one.
  static void expect_only_successes_or_silence(const std::map<long, std::size_t>& statuses) {
    std::string seen;
    for (const auto& [status, n] : statuses) seen += " " + std::to_string(status) + ":" + std::to_string(n);
    for (const auto& [status, n] : statuses) {
      EXPECT_TRUE(status == 201 || status == 0) << n << " answers with status " << status << " (all:" << seen << ")";
    }
  }
};

TEST_F(CrashTest, AnInstanceKilledUnderLoadLosesNoAcknowledgedWrite) {
  std::unique_ptr<ServerProcess> survivor;
  std::vector<std::string> targets = {server().base_url()};
  if (testing_on_postgres()) {
    survivor = start_another_instance(server(), data_dir() + "-b", server_args());
    targets.push_back(survivor->base_url());
  }
  WriteLoad load(targets, sp_, access_token(), 4);
  ASSERT_TRUE(load.wait_for_acknowledged(80, 60000)) << "the load did not get going: " << load.acknowledged();
  server().kill_hard();
  const std::size_t at_kill = load.acknowledged();
  if (survivor) {
    // The other instance goes on acknowledging writes.
    EXPECT_TRUE(load.wait_for_acknowledged(at_kill + 40, 60000))
        << "the survivor stopped serving: " << load.acknowledged() - at_kill << " writes since the kill";
  } else {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // calls against a dead server
  }
  const std::vector<AcknowledgedWrite> writes = load.stop();
  expect_only_successes_or_silence(load.statuses());
  ASSERT_GE(writes.size(), at_kill);

  if (!survivor) restart_server();
  std::size_t codes = 0;
  for (const AcknowledgedWrite& write : writes) codes += write.link_code.empty() ? 0 : 1;
  EXPECT_GT(codes, 0u) << "no link code was acknowledged: the load did not exercise them";
  const std::vector<std::string> missing =
      find_missing_writes(survivor ? survivor->base_url() : server().base_url(), sp_, access_token(), writes);
  EXPECT_TRUE(missing.empty()) << missing.size() << " acknowledged writes lost, the first: " << missing.front();
}

}  // namespace
}  // namespace ssokit::testing
