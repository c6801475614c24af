// The C API (ssokit/c/ssokit.h) from a C program against the real server: c_api_walk.c signs
// a phone in, pairs a TV by link code, lists, unlinks and checks errors, async calls and
// cancellation; here it runs against a fresh server (SQLite, and PostgreSQL with the
// "postgresql." prefix) and every step it reports is checked.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "api_test.hpp"
#include "files.hpp"
#include "server_process.hpp"

namespace ssokit::testing {
namespace {

class CApiTest : public ApiTest {
 protected:
  void walk_with(const std::string& program);
};

TEST_F(CApiTest, ACProgramPairsTwoDevicesListsUnlinksAndSeesTheServersErrors) { walk_with(SSOKIT_C_API_WALK_BIN); }

#ifdef SSOKIT_C_API_WALK_SHARED_BIN
TEST_F(CApiTest, TheSameProgramOnTheSharedLibrary) { walk_with(SSOKIT_C_API_WALK_SHARED_BIN); }
#endif

void CApiTest::walk_with(const std::string& program) {
  TempDir tv_state;
  const CommandResult walk =
      run_program(program, {server().base_url(), server().software_statement("demo"), tv_state.path() + "/tv"},
                  std::chrono::seconds(120));
  ASSERT_FALSE(walk.timed_out);
  EXPECT_EQ(walk.exit_code, 0) << walk.out << walk.err;
  EXPECT_EQ(walk.err, "");
  for (const char* step :
       {"ok: errors before any call", "ok: the phone signed in", "ok: a wrong code: link_code_invalid (HTTP 4",
        "ok: the TV joined with the phone's code", "ok: the phone lists itself and the TV", "ok: the async list",
        "ok: a cancelled call", "ok: the phone unlinked the TV and the TV found out",
        "ok: a failing store is SSOKIT_STORAGE_ERROR", "ok: the walk is complete"}) {
    EXPECT_NE(walk.out.find(step), std::string::npos) << "missing step \"" << step << "\" in:\n" << walk.out;
  }
}

}  // namespace
}  // namespace ssokit::testing
