// The server program's command line (SPEC §4): flag errors, software-statement errors, the
// store URL, a foreign pepper, a busy port, --help and no arguments.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

#include "api_test.hpp"
#include "files.hpp"
#include "text.hpp"

namespace ssokit::testing {
namespace {

// A flag error must end the program quickly; a server that starts anyway is killed.
CommandResult run_cli(const std::vector<std::string>& args) {
  return run_server_command(args, std::chrono::milliseconds(8000));
}

std::string describe(const CommandResult& result) {
  return "exit " + std::to_string(result.exit_code) + (result.timed_out ? " (timed out, killed)" : "") +
         "\nstdout: " + result.out + "\nstderr: " + result.err;
}

void expect_usage_error(const CommandResult& result, const std::string& names) {
  EXPECT_FALSE(result.timed_out) << describe(result);
  EXPECT_EQ(result.exit_code, 2) << describe(result);
  EXPECT_EQ(line_count(result.err), 1u) << describe(result);
  EXPECT_NE(result.err.find(names), std::string::npos) << "message does not name " << names << "\n" << describe(result);
}

TEST(ServerCliTest, ServeRejectsBadFlagsWithExit2AndOneLineNamingTheFlag) {
  TempDir temp;
  const std::string data = temp.path() + "/data";
  struct Case {
    std::vector<std::string> flag;
    std::string names;
  };
  const std::vector<Case> cases = {
      {{"--no-such-flag", "1"}, "--no-such-flag"},
      {{"--bogus"}, "--bogus"},
      {{"--listen", "nonsense"}, "--listen"},
      {{"--listen", "127.0.0.1:99999"}, "--listen"},
      {{"--listen", "127.0.0.1:"}, "--listen"},
      {{"--listen"}, "--listen"},
      {{"--device-rate", "0/1"}, "--device-rate"},
      {{"--device-rate", "1"}, "--device-rate"},
      {{"--device-rate", "10/0"}, "--device-rate"},
      {{"--link-code-format", "digits:3"}, "--link-code-format"},
      {{"--link-code-format", "hex:6"}, "--link-code-format"},
      {{"--service-token-alg", "RS256"}, "--service-token-alg"},
      {{"--service-token-alg", "none"}, "--service-token-alg"},
      {{"--redeem-failures", "x"}, "--redeem-failures"},
      {{"--redeem-failures", "0/600"}, "--redeem-failures"},
      {{"--redeem-budget", "5"}, "--redeem-budget"},
      {{"--service-token-ttl", "0"}, "--service-token-ttl"},
      {{"--link-code-ttl", "ten"}, "--link-code-ttl"},
      {{"--max-live-codes", "0"}, "--max-live-codes"},
      {{"--log-level", "loud"}, "--log-level"},
      {{"--platform-issuer", "no-equals-sign"}, "--platform-issuer"},
      {{"--mvpd", "broken"}, "--mvpd"},
      {{"--store-pool", "0"}, "--store-pool"},
      {{"--store-pool", "many"}, "--store-pool"},
      {{"--waiting-threads", "-1"}, "--waiting-threads"},
      {{"--waiting-threads", "2000"}, "--waiting-threads"},
      // A pool only means something for PostgreSQL.
      {{"--store-pool", "4"}, "--store-pool"},
      {{"--store", "sqlite:x.db", "--store-pool", "4"}, "--store-pool"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = {"serve", "--data", data, "--listen", "127.0.0.1:0"};
    args.insert(args.end(), c.flag.begin(), c.flag.end());
    SCOPED_TRACE(c.flag.front() + (c.flag.size() > 1 ? " " + c.flag[1] : ""));
    expect_usage_error(run_cli(args), c.names);
  }
}

TEST(ServerCliTest, ServeRejectsAListenHostThatIsNotAnAddressClearly) {
  TempDir temp;
  const CommandResult result = run_cli({"serve", "--data", temp.path() + "/data", "--listen", "not-an-address:8080"});
  EXPECT_FALSE(result.timed_out) << describe(result);
  EXPECT_EQ(result.exit_code, 2) << describe(result);
  EXPECT_EQ(line_count(result.err), 1u) << describe(result);
  EXPECT_NE(result.err.find("--listen"), std::string::npos) << describe(result);
}

TEST(ServerCliTest, SoftwareStatementNeedsAGoodServiceProvider) {
  TempDir temp;
  const std::string data = temp.path() + "/data";
  expect_usage_error(run_cli({"software-statement", "--data", data}), "--service-provider");
  for (const char* bad : {"bad name", "a/b", "sp!", ""}) {
    SCOPED_TRACE(bad);
    expect_usage_error(run_cli({"software-statement", "--data", data, "--service-provider", bad}),
                       "--service-provider");
  }
  expect_usage_error(run_cli({"software-statement", "--data", data, "--service-provider", "ok", "--what", "x"}),
                     "--what");

  // A good one prints exactly one JWT line.
  const CommandResult good = run_cli({"software-statement", "--data", data, "--service-provider", "good-sp"});
  EXPECT_EQ(good.exit_code, 0) << describe(good);
  EXPECT_EQ(line_count(good.out), 1u) << describe(good);
  EXPECT_EQ(std::count(good.out.begin(), good.out.end(), '.'), 2) << describe(good);
}

TEST(ServerCliTest, PostgresqlStoreFailsWithAClearMessage) {
  TempDir temp;
  const CommandResult result = run_cli({"serve", "--data", temp.path() + "/data", "--listen", "127.0.0.1:0", "--store",
                                        "postgresql://ssokit:pw-s3cret@127.0.0.1:1/x"});
  EXPECT_FALSE(result.timed_out) << describe(result);
  EXPECT_NE(result.exit_code, 0) << describe(result);
  EXPECT_EQ(line_count(result.err), 1u) << describe(result);
  EXPECT_NE(to_lower(result.err).find("postgresql"), std::string::npos) << describe(result);
  EXPECT_EQ(result.err.find("pw-s3cret"), std::string::npos) << "the database password leaked: " << describe(result);
}

TEST(ServerCliTest, ServeRefusesADataFolderWhosePepperWasReplaced) {
  TempDir temp;
  const std::string data = temp.path() + "/data";
  // Create the folder (store, keys, pepper) the way a first run does.
  const CommandResult created =
      run_cli(with_store({"software-statement", "--data", data, "--service-provider", "demo"}, data));
  ASSERT_EQ(created.exit_code, 0) << describe(created);
  const std::string pepper_path = data + "/link-code-pepper";
  std::string original;
  {
    std::ifstream in(pepper_path);
    ASSERT_TRUE(std::getline(in, original)) << "no " << pepper_path;
  }
  ASSERT_EQ(original.size(), 64u);
  const std::string other = original.front() == 'a' ? std::string(64, 'b') : std::string(64, 'a');
  write_file(pepper_path, other + "\n");
  const CommandResult refused = run_cli(with_store({"serve", "--data", data, "--listen", "127.0.0.1:0"}, data));
  EXPECT_FALSE(refused.timed_out) << "serve started with a foreign pepper\n" << describe(refused);
  EXPECT_NE(refused.exit_code, 0) << describe(refused);
  EXPECT_NE(refused.err.find("link-code-pepper"), std::string::npos) << describe(refused);
  EXPECT_EQ(line_count(refused.err), 1u) << describe(refused);

  // With the right pepper back, the same folder serves.
  write_file(pepper_path, original + "\n");
  ServerProcess restored(data);
  EXPECT_EQ(send({"GET", restored.base_url() + "/healthz", {}, std::nullopt}).status, 200);
}

TEST(ServerCliTest, AStoreOfANewerServerIsRefusedWithExit1) {
  TempDir temp;
  const std::string data = temp.path() + "/data";
  const CommandResult created =
      run_cli(with_store({"software-statement", "--data", data, "--service-provider", "demo"}, data));
  ASSERT_EQ(created.exit_code, 0) << describe(created);
  // The schema version a later server would record.
  ASSERT_TRUE(change_store(data, testing_on_postgres() ? "UPDATE ssokit_schema SET version = 99"
                                                       : "PRAGMA user_version = 99"));
  const CommandResult refused = run_cli(with_store({"serve", "--data", data, "--listen", "127.0.0.1:0"}, data));
  EXPECT_FALSE(refused.timed_out) << "serve started on a newer schema\n" << describe(refused);
  EXPECT_EQ(refused.exit_code, 1) << describe(refused);
  EXPECT_EQ(line_count(refused.err), 1u) << describe(refused);
  EXPECT_NE(refused.err.find("newer than this server"), std::string::npos) << describe(refused);
  EXPECT_NE(refused.err.find("upgrade the server"), std::string::npos) << describe(refused);
}

// One process serves a SQLite file (its throttle and its held requests live in that
// process): a second `serve` on the same --data is refused, while other commands still work.
TEST(ServerCliTest, ASecondServeOnOneSqliteFileIsRefusedWithExit1) {
  if (testing_on_postgres()) GTEST_SKIP() << "instances share a PostgreSQL store (cluster tests)";
  TempDir temp;
  const std::string data = temp.path() + "/data";
  ServerProcess first(data);
  const CommandResult second = run_cli({"serve", "--data", data, "--listen", "127.0.0.1:0"});
  EXPECT_FALSE(second.timed_out) << "a second serve started on the same file\n" << describe(second);
  EXPECT_EQ(second.exit_code, 1) << describe(second);
  EXPECT_EQ(line_count(second.err), 1u) << describe(second);
  EXPECT_NE(second.err.find("another ssokit-server already serves"), std::string::npos) << describe(second);
  // The first one still answers, and a command that is not `serve` may open the file.
  EXPECT_EQ(send({"GET", first.base_url() + "/healthz", {}, std::nullopt}).status, 200);
  EXPECT_EQ(run_cli({"software-statement", "--data", data, "--service-provider", "demo"}).exit_code, 0);
}

TEST(ServerCliTest, ServeOnABusyPortFailsWithAClearMessage) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  ASSERT_EQ(::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(fd, 4), 0);
  socklen_t length = sizeof address;
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), 0);
  const std::string port = std::to_string(ntohs(address.sin_port));

  TempDir temp;
  const CommandResult result = run_cli({"serve", "--data", temp.path() + "/data", "--listen", "127.0.0.1:" + port});
  ::close(fd);
  EXPECT_FALSE(result.timed_out) << "serve started on a busy port\n" << describe(result);
  EXPECT_NE(result.exit_code, 0) << describe(result);
  EXPECT_EQ(line_count(result.err), 1u) << describe(result);
  EXPECT_NE(result.err.find(port), std::string::npos) << describe(result);
  EXPECT_NE(to_lower(result.err).find("in use"), std::string::npos) << describe(result);
}

TEST(ServerCliTest, HelpListsEveryFlagAndNoArgumentsIsAUsageError) {
  const CommandResult help = run_cli({"--help"});
  EXPECT_EQ(help.exit_code, 0) << describe(help);
  const std::string text = help.out + help.err;
  for (const char* flag :
       {"serve", "software-statement", "--listen", "--data", "--store", "--platform-issuer", "--service-token-ttl",
        "--link-code-ttl", "--refresh-grace", "--access-token-ttl", "--require-sso-id", "--device-rate", "--mvpd",
        "--mvpd-profile-ttl", "--service-token-alg", "--link-code-format", "--max-live-codes", "--redeem-failures",
        "--redeem-budget", "--log-level", "--service-provider", "--store-pool", "--threads", "--waiting-threads"}) {
    EXPECT_NE(text.find(flag), std::string::npos) << flag << " missing from --help:\n" << text;
  }

  const CommandResult none = run_cli({});
  EXPECT_EQ(none.exit_code, 2) << describe(none);
  EXPECT_FALSE(none.timed_out);

  const CommandResult unknown = run_cli({"frobnicate"});
  EXPECT_EQ(unknown.exit_code, 2) << describe(unknown);
  EXPECT_EQ(line_count(unknown.err), 1u) << describe(unknown);
}

}  // namespace
}  // namespace ssokit::testing
