// serve --test-control (SPEC §6.4): off by default (every /test/ path 404), refused unless
// --listen is a loopback address, and every /test/ call logged at warn.
#include "test_control_support.hpp"
#include "text.hpp"

namespace ssokit::testing::test_control {
namespace {

using WithoutTestControl = ApiTest;

TEST_F(WithoutTestControl, EveryTestPathIs404AndTheClockIsTheSystemClock) {
  for (const auto& [method, route] : std::vector<std::pair<std::string, std::string>>{
           {"GET", "/test/clock"},
           {"POST", "/test/clock"},
           {"GET", "/test/link-codes?sp=demo&device=abc"},
           {"POST", "/test/faults"},
           {"DELETE", "/test/faults"},
           {"GET", "/test/requests"},
           {"POST", "/test/reset"},
           {"GET", "/test/anything"}}) {
    const HttpResponse response =
        send({method, server().base_url() + route, {{"Content-Type", "application/json"}},
              method == "GET" ? std::nullopt : std::optional<std::string>("{\"advanceSeconds\":3600}")});
    expect_error(response, 404, "resource_not_found");
  }
  const HttpResponse health = send({"GET", server().base_url() + "/healthz", {}, std::nullopt});
  EXPECT_NEAR(static_cast<double>(parse_http_date(health.header("date"))), static_cast<double>(std::time(nullptr)),
              5.0);
  EXPECT_TRUE(log_lines(server().log(), "test control call").empty());
}

std::string describe(const CommandResult& result) {
  return "exit " + std::to_string(result.exit_code) + (result.timed_out ? " (timed out, killed)" : "") +
         "\nstderr: " + result.err;
}

TEST(TestControlFlag, IsRefusedAtStartUnlessListenIsLoopback) {
  TempDir temp;
  for (const char* listen : {"0.0.0.0:0", "[::]:0", "192.0.2.1:0"}) {
    const CommandResult result = run_server_command(
        {"serve", "--data", temp.path() + "/data", "--test-control", "--listen", listen}, std::chrono::seconds(8));
    EXPECT_FALSE(result.timed_out) << describe(result);
    EXPECT_NE(result.exit_code, 0) << describe(result);
    EXPECT_EQ(line_count(result.err), 1u) << describe(result);
    EXPECT_NE(result.err.find("--test-control"), std::string::npos) << describe(result);
    EXPECT_NE(result.err.find("loopback"), std::string::npos) << describe(result);
  }
}

TEST(TestControlFlag, StartsOnAnyLoopbackAddress) {
  for (const char* listen : {"localhost:0", "127.0.0.2:0"}) {
    TempDir temp;
    ServerProcess server(temp.path() + "/data", {"--test-control", "--listen", listen});
    const HttpResponse clock = send({"GET", server.base_url() + "/test/clock", {}, std::nullopt});
    EXPECT_EQ(clock.status, 200) << listen << ": " << clock.body;
  }
}

TEST_F(TestControlTest, EveryTestCallIsLoggedAtWarn) {
  EXPECT_EQ(test_call("GET", "/test/clock").status, 200);
  EXPECT_EQ(advance(0).status, 200);
  EXPECT_EQ(test_call("GET", "/test/requests?limit=1").status, 200);
  EXPECT_EQ(test_call("DELETE", "/test/faults").status, 200);
  EXPECT_EQ(test_call("POST", "/test/reset").status, 200);
  expect_error(test_call("GET", "/test/link-codes?sp=demo"), 400, "request_invalid");
  expect_error(test_call("GET", "/test/nothing"), 404, "resource_not_found");
  const std::vector<HttpResponse> lines = log_lines(server().log(), "test control call");
  ASSERT_EQ(lines.size(), 7u) << server().log();
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"GET", "/test/clock"},    {"POST", "/test/clock"}, {"GET", "/test/requests"}, {"DELETE", "/test/faults"},
      {"POST", "/test/reset"}, {"GET", "/test/link-codes"}, {"GET", "(none)"}};
  for (std::size_t i = 0; i < lines.size(); ++i) {
    EXPECT_EQ(lines[i].json("level"), "warn");
    EXPECT_EQ(lines[i].json("method"), expected[i].first);
    EXPECT_EQ(lines[i].json("route"), expected[i].second);
    EXPECT_TRUE(is_uuid(lines[i].json("trace").value_or("")));
  }
  EXPECT_EQ(lines[5].json("status"), "400");
  EXPECT_EQ(log_lines(server().log(), "test control is on: /test/ routes move the clock and show link codes").size(), 1u);
}

}  // namespace
}  // namespace ssokit::testing::test_control
