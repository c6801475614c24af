// When the store fails, the server says so: 500 internal_error on the call (the cause goes
// to the log, not the answer) and 503 store_unavailable on /healthz. The failure is real:
// another process holds the SQLite write lock past the server's busy timeout.
#include <sqlite3.h>

#include <future>
#include <sstream>

#include "api_test.hpp"

namespace ssokit::testing {
namespace {

using StoreFailureTest = ApiTest;

TEST_F(StoreFailureTest, ALockedStoreAnswers500AndHealthSays503) {
  if (testing_on_postgres()) GTEST_SKIP() << "a locked SQLite file; PostgreSQL's outage is store_outage_test";
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open((data_dir() + "/ssokit.db").c_str(), &raw), SQLITE_OK);
  std::unique_ptr<sqlite3, decltype(&sqlite3_close)> other(raw, sqlite3_close);
  ASSERT_EQ(sqlite3_exec(other.get(), "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);

  // Both wait out the server's busy timeout (5 s), so run them side by side.
  auto sign_in_call = std::async(std::launch::async, [&] {
    return call("POST", "/api/demo/serviceToken", {{"AP-Device-Identifier", fingerprint("phone")}, {"X-SSO-ID", "a"}});
  });
  auto health_call = std::async(std::launch::async, [&] { return call("GET", "/healthz"); });
  const HttpResponse failed = sign_in_call.get();
  const HttpResponse health = health_call.get();

  EXPECT_EQ(failed.status, 500) << failed.body;
  EXPECT_EQ(failed.json("status"), "INTERNAL_SERVER_ERROR");
  EXPECT_EQ(failed.json("error.code"), "internal_error");
  EXPECT_EQ(failed.json("error.action"), "none");
  EXPECT_EQ(failed.body.find("locked"), std::string::npos) << "the cause stays in the log";
  const std::string trace = failed.json("error.trace").value_or("?");
  bool logged = false;
  std::istringstream log(server().log());
  for (std::string line; std::getline(log, line);) {
    logged |= line.find(trace) != std::string::npos && line.find("locked") != std::string::npos;
  }
  EXPECT_TRUE(logged) << "the log line with the trace names the cause";

  EXPECT_EQ(health.status, 503) << health.body;
  EXPECT_EQ(health.json("error.code"), "store_unavailable");
  EXPECT_EQ(health.json("error.action"), "retry");

  // Once the lock is gone, everything works again and nothing half-written remains.
  ASSERT_EQ(sqlite3_exec(other.get(), "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_EQ(call("GET", "/healthz").status, 200);
  EXPECT_EQ(sign_in("phone", "a").service_token.empty(), false);
}

}  // namespace
}  // namespace ssokit::testing
