// The pairing demos (samples/pairing/, docs/demos.md) against the real server: the phone demo
// runs in the background and shows a code, the TV demo redeems it, the phone asks its user
// whether the TV may join (answers written to its stdin), and both tell what happened.
#include <chrono>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "api_test.hpp"
#include "background_program.hpp"
#include "files.hpp"
#include "text.hpp"

namespace ssokit::testing {
namespace {

using std::chrono::seconds;

// Lines of a device list: "* " for the current device, two spaces for the others.
std::vector<std::string> device_lines(const std::string& out) {
  std::vector<std::string> lines;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("* ", 0) == 0 || (line.size() > 2 && line.rfind("  ", 0) == 0 && line[2] != ' ')) {
      lines.push_back(line);
    }
  }
  return lines;
}

// The first line of `text` that starts with `prefix`; "" when none does.
std::string line_starting(const std::string& text, const std::string& prefix) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(prefix, 0) == 0) return line;
  }
  return "";
}

// The last space-separated word of `line`.
std::string last_word(const std::string& line) {
  return line.substr(line.find_last_of(' ') + 1);
}

// A stored secret of a state folder: the first line of its file (FileSecureStore keeps one
// file per key).
std::string stored_secret(const std::string& state_dir, const std::string& key) {
  const std::string text = read_file(state_dir + "/" + key);
  return text.substr(0, text.find('\n'));
}

class DemoTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    devices_ = std::make_unique<TempDir>();
    statement_file_ = devices_->path() + "/statement.jwt";
    write_file(statement_file_, server().software_statement("demo") + "\n");
    server_url_ = server().base_url();
  }
  void TearDown() override {
    devices_.reset();
    ApiTest::TearDown();
  }

  std::string state_dir(const std::string& device) const { return devices_->path() + "/" + device; }

  std::vector<std::string> flags(const std::string& device, const std::vector<std::string>& more = {}) const {
    std::vector<std::string> all = {"--server",      server_url(), "--service-provider", "demo", "--statement",
                                    statement_file_, "--state",    state_dir(device)};
    all.insert(all.end(), more.begin(), more.end());
    return all;
  }
  const std::string& server_url() const { return server_url_; }

  // The phone demo, signed in as alice, in the background; its user will allow the device
  // that redeems its code (the "y" waits in its stdin until it asks).
  std::unique_ptr<BackgroundProgram> start_phone(const std::string& wait_seconds = "60") const {
    auto phone = start_phone_unanswered(wait_seconds);
    EXPECT_TRUE(phone->write_stdin("y\n"));
    return phone;
  }
  // The same, with nothing typed yet.
  std::unique_ptr<BackgroundProgram> start_phone_unanswered(const std::string& wait_seconds = "60",
                                                            const std::vector<std::string>& more = {}) const {
    std::vector<std::string> args = {"--sso-id", "alice@example.com", "--wait", wait_seconds};
    args.insert(args.end(), more.begin(), more.end());
    return std::make_unique<BackgroundProgram>(SSOKIT_PHONE_DEMO_BIN, flags("phone", args));
  }
  // GET /api/{sp}/list requests in the server's log.
  std::size_t list_requests_logged() {
    std::size_t count = 0;
    const std::string log = server().log();
    for (std::size_t at = log.find(R"("route":"/api/{sp}/list")"); at != std::string::npos;
         at = log.find(R"("route":"/api/{sp}/list")", at + 1)) {
      ++count;
    }
    return count;
  }

  // The code from the phone's "code: " line ("" and a failure when it shows none).
  static std::string code_of(BackgroundProgram& phone) {
    const auto line = phone.wait_for_line("code: ", seconds(30));
    if (!line) {
      ADD_FAILURE() << "the phone showed no code; stdout:\n" << phone.out_so_far() << "stderr:\n" << phone.err_so_far();
      return "";
    }
    const std::string code = line->substr(6);
    EXPECT_TRUE(std::regex_match(code, std::regex("^[0-9]{6}$"))) << *line;
    return code;
  }

  // ssokit-tv-demo with `more` flags, stdin from /dev/null.
  CommandResult tv(const std::vector<std::string>& more) const {
    return run_program(SSOKIT_TV_DEMO_BIN, flags("tv", more), seconds(60));
  }

  // The TV's output lists two devices: itself marked, with `tv_id`, and alice's phone.
  static void expect_tv_and_phone_listed(const std::string& out, const std::string& tv_id) {
    const std::vector<std::string> lines = device_lines(out);
    ASSERT_EQ(lines.size(), 2u) << out;
    int current = 0;
    for (const std::string& line : lines) {
      if (line.rfind("* ", 0) == 0) {
        ++current;
        EXPECT_NE(line.find("TV"), std::string::npos) << line;
        EXPECT_NE(line.find(" " + tv_id + " "), std::string::npos) << line;
        EXPECT_NE(line.find("(this device)"), std::string::npos) << line;
      } else {
        EXPECT_NE(line.find("MobilePhone"), std::string::npos) << line;
        EXPECT_NE(line.find("Pixel 8"), std::string::npos) << line;
        EXPECT_EQ(line.find(tv_id), std::string::npos) << line;
      }
    }
    EXPECT_EQ(current, 1) << out;
  }

  // Neither the tokens nor the client secret of `device` appear in `text`.
  void expect_no_secret(const std::string& device, const std::string& text) const {
    for (const char* key : {"service_token", "access_token", "client_secret"}) {
      const std::string secret = stored_secret(state_dir(device), key);
      ASSERT_GT(secret.size(), 10u) << device << " has no " << key;
      EXPECT_EQ(text.find(secret), std::string::npos) << device << "'s " << key << " was printed";
    }
  }

  // The phone's "joined: " line after it exits; the joined device's id.
  static std::string joined_id(BackgroundProgram& phone, const std::string& outcome = "joined: ") {
    const CommandResult result = phone.wait(seconds(30));
    EXPECT_FALSE(result.timed_out);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(result.err, "");
    const std::string joined = line_starting(result.out, outcome);
    EXPECT_EQ(joined.rfind(outcome + "TV QE55Q80C ", 0), 0u) << result.out;
    return joined.empty() ? "" : last_word(joined);
  }

  std::string statement_file_;

 private:
  std::unique_ptr<TempDir> devices_;
  std::string server_url_;
};

TEST_F(DemoTest, TheTvJoinsThePhoneWithTheCodeItShows) {
  const auto phone = start_phone();
  const std::string code = code_of(*phone);
  ASSERT_FALSE(code.empty());

  const CommandResult joined = tv({"--code", code});
  EXPECT_FALSE(joined.timed_out);
  ASSERT_EQ(joined.exit_code, 0) << joined.out << joined.err;
  EXPECT_EQ(joined.err, "");
  EXPECT_NE(joined.out.find("now signed in"), std::string::npos) << joined.out;
  EXPECT_EQ(joined.out.find("Type the code"), std::string::npos) << joined.out;

  const std::string tv_id = joined_id(*phone);
  ASSERT_FALSE(tv_id.empty());
  expect_tv_and_phone_listed(joined.out, tv_id);

  // The phone's screen: the code for people and as a QR code.
  const std::string phone_out = phone->out_so_far();
  EXPECT_TRUE(std::regex_search(phone_out, std::regex("\nType this code on your TV: " + code +
                                                      R"( \(valid until [0-9]{2}:[0-9]{2}:[0-9]{2}\)\n)")))
      << phone_out;
  EXPECT_NE(phone_out.find("\u2588"), std::string::npos) << phone_out;  // the QR code's blocks
  EXPECT_GT(line_count(phone_out), 15u);

  expect_no_secret("tv", joined.out + joined.err);
  expect_no_secret("phone", phone_out + phone->err_so_far());
}

TEST_F(DemoTest, TheTvJoinsWithTheCodeTypedOnItsKeyboard) {
  const auto phone = start_phone();
  const std::string code = code_of(*phone);
  ASSERT_FALSE(code.empty());

  BackgroundProgram tv_demo(SSOKIT_TV_DEMO_BIN, flags("tv"));
  ASSERT_TRUE(tv_demo.write_stdin(code + "\n"));
  tv_demo.close_stdin();
  const CommandResult joined = tv_demo.wait(seconds(60));
  EXPECT_FALSE(joined.timed_out);
  ASSERT_EQ(joined.exit_code, 0) << joined.out << joined.err;
  EXPECT_EQ(joined.err, "");
  EXPECT_EQ(joined.out.rfind("Type the code shown on your phone: ", 0), 0u) << joined.out;

  const std::string tv_id = joined_id(*phone);
  ASSERT_FALSE(tv_id.empty());
  expect_tv_and_phone_listed(joined.out, tv_id);
  expect_no_secret("tv", joined.out + joined.err);
}

TEST_F(DemoTest, AWrongCodeTellsTheUserToAskThePhoneForANewCode) {
  const auto phone = start_phone();
  const std::string code = code_of(*phone);
  ASSERT_EQ(code.size(), 6u);
  std::string wrong = code;
  wrong.back() = static_cast<char>('0' + (wrong.back() - '0' + 1) % 10);

  const CommandResult refused = tv({"--code", wrong});
  EXPECT_FALSE(refused.timed_out);
  EXPECT_EQ(refused.exit_code, 1) << refused.out << refused.err;  // a failure, not a crash (128+N)
  EXPECT_EQ(refused.err.rfind("error: link_code_invalid: ", 0), 0u) << refused.err;
  EXPECT_NE(refused.err.find("new code"), std::string::npos) << refused.err;
  EXPECT_EQ(line_count(refused.err), 2u) << refused.err;
  EXPECT_TRUE(device_lines(refused.out).empty()) << refused.out;

  // The right code still works after the wrong one, and the phone sees the TV arrive.
  const CommandResult joined = tv({"--code", code});
  ASSERT_EQ(joined.exit_code, 0) << joined.out << joined.err;
  const std::string tv_id = joined_id(*phone);
  ASSERT_FALSE(tv_id.empty());
  expect_tv_and_phone_listed(joined.out, tv_id);
}

TEST_F(DemoTest, ASecondRunOfTheTvIsAlreadySignedInAndAsksForNoCode) {
  const auto phone = start_phone();
  const std::string code = code_of(*phone);
  ASSERT_FALSE(code.empty());
  const CommandResult first = tv({"--code", code});
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  const std::string tv_id = joined_id(*phone);
  ASSERT_FALSE(tv_id.empty());

  // stdin is /dev/null: had the TV asked for a code, it would have read nothing and failed.
  const CommandResult again = tv({});
  EXPECT_FALSE(again.timed_out);
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_EQ(again.err, "");
  EXPECT_NE(again.out.find("already signed in"), std::string::npos) << again.out;
  EXPECT_EQ(again.out.find("Type the code"), std::string::npos) << again.out;
  EXPECT_EQ(again.out.find("Joining"), std::string::npos) << again.out;
  expect_tv_and_phone_listed(again.out, tv_id);
  expect_no_secret("tv", again.out);
}

TEST_F(DemoTest, ThePhoneGivesUpWhenNoDeviceJoinsInTime) {
  const auto phone = start_phone("1");
  EXPECT_FALSE(code_of(*phone).empty());
  const CommandResult result = phone->wait(seconds(30));
  EXPECT_FALSE(result.timed_out);
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_EQ(result.err, "error: timeout: no device joined within 1 s\n");
  EXPECT_EQ(line_starting(result.out, "joined: "), "");
}

TEST_F(DemoTest, AnHttpServerElsewhereNeedsAllowInsecureHttp) {
  // 127.1 is this machine to the resolver, but not a form the SDK takes for loopback.
  const std::string elsewhere =
      std::regex_replace(server_url(), std::regex(R"(^http://127\.0\.0\.1:)"), "http://127.1:");
  ASSERT_NE(elsewhere, server_url());
  std::vector<std::string> tv_flags = flags("tv", {"--code", "123456"});
  tv_flags[1] = elsewhere;
  const CommandResult refused = run_program(SSOKIT_TV_DEMO_BIN, tv_flags, seconds(30));
  EXPECT_EQ(refused.exit_code, 1) << refused.err;
  EXPECT_EQ(refused.err.rfind("error: invalid_argument: ", 0), 0u) << refused.err;
  EXPECT_NE(refused.err.find("allow_insecure_http"), std::string::npos) << refused.err;

  std::vector<std::string> phone_flags = flags("phone", {"--sso-id", "alice@example.com", "--wait", "1"});
  phone_flags[1] = elsewhere;
  const CommandResult phone_refused = run_program(SSOKIT_PHONE_DEMO_BIN, phone_flags, seconds(30));
  EXPECT_EQ(phone_refused.exit_code, 1) << phone_refused.err;
  EXPECT_NE(phone_refused.err.find("allow_insecure_http"), std::string::npos) << phone_refused.err;

  // With the flag the phone reaches the server: it signs in and shows a code.
  phone_flags.push_back("--allow-insecure-http");
  BackgroundProgram phone(SSOKIT_PHONE_DEMO_BIN, phone_flags);
  EXPECT_FALSE(code_of(phone).empty());
  const CommandResult done = phone.wait(seconds(30));
  EXPECT_EQ(done.err, "error: timeout: no device joined within 1 s\n");
}

TEST_F(DemoTest, ThePhoneAsksItsUserAndTheTvJoinsOnlyOnceAllowed) {
  const auto phone = start_phone_unanswered();
  const std::string code = code_of(*phone);
  ASSERT_FALSE(code.empty());
  BackgroundProgram tv_demo(SSOKIT_TV_DEMO_BIN, flags("tv", {"--code", code}));
  tv_demo.close_stdin();

  // The TV redeems and waits while nobody answers the phone's question.
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  ASSERT_TRUE(phone->write_stdin("y\n"));

  const CommandResult joined = tv_demo.wait(seconds(30));
  ASSERT_EQ(joined.exit_code, 0) << joined.out << joined.err;
  EXPECT_EQ(joined.err, "");
  std::smatch took;
  ASSERT_TRUE(
      std::regex_search(joined.out, took, std::regex(R"( done \(([0-9]+) ms; the screen drew ([0-9]+) frames)")))
      << joined.out;
  EXPECT_GE(std::stol(took[1].str()), 2000) << "the TV got in only once allowed";
  EXPECT_GE(std::stol(took[2].str()), 15) << "and its screen kept drawing meanwhile";
  EXPECT_NE(joined.out.find("Your phone asks whether this TV may join: allow it there."), std::string::npos)
      << joined.out;
  const std::string tv_id = joined_id(*phone);
  ASSERT_FALSE(tv_id.empty());
  expect_tv_and_phone_listed(joined.out, tv_id);
  // The phone showed the TV as a person knows it.
  EXPECT_NE(phone->out_so_far().find("Samsung TV QE55Q80C, Tizen 7.0, wants to join \u2014 allow? [y/N] y\n"),
            std::string::npos)
      << phone->out_so_far();
  // It waited on the server (GET link/status), not by listing devices: the only list is the TV's.
  EXPECT_EQ(list_requests_logged(), 1u) << server().log();
  expect_no_secret("tv", joined.out + joined.err);
  expect_no_secret("phone", phone->out_so_far() + phone->err_so_far());
}

TEST_F(DemoTest, ThePhonesNoKeepsTheTvOut) {
  const auto phone = start_phone_unanswered();
  ASSERT_TRUE(phone->write_stdin("n\n"));
  const std::string code = code_of(*phone);
  ASSERT_FALSE(code.empty());

  const CommandResult refused = tv({"--code", code});
  EXPECT_EQ(refused.exit_code, 1) << refused.out << refused.err;
  EXPECT_EQ(refused.err.rfind("error: link_denied: ", 0), 0u) << refused.err;
  EXPECT_NE(refused.err.find("Your phone did not allow this TV"), std::string::npos) << refused.err;
  EXPECT_EQ(line_count(refused.err), 2u) << refused.err;
  EXPECT_TRUE(device_lines(refused.out).empty()) << refused.out;
  EXPECT_FALSE(joined_id(*phone, "denied: ").empty());

  // The TV is not signed in: a second run asks for a code again (and stdin is empty).
  const CommandResult again = tv({});
  EXPECT_EQ(again.exit_code, 1) << again.out;
  EXPECT_NE(again.out.find("Type the code shown on your phone"), std::string::npos) << again.out;
}

TEST_F(DemoTest, NoAnswerOnThePhoneIsANo) {
  const auto phone = start_phone_unanswered();
  phone->close_stdin();  // end of input at the question: [y/N] means no
  const std::string code = code_of(*phone);
  ASSERT_FALSE(code.empty());
  const CommandResult refused = tv({"--code", code});
  EXPECT_EQ(refused.err.rfind("error: link_denied: ", 0), 0u) << refused.err;
  EXPECT_FALSE(joined_id(*phone, "denied: ").empty());
}

TEST_F(DemoTest, ACodeWithoutApprovalLetsTheTvJoinWithoutAQuestion) {
  const auto phone = start_phone_unanswered("60", {"--no-approval"});
  phone->close_stdin();
  const std::string code = code_of(*phone);
  ASSERT_FALSE(code.empty());
  const CommandResult joined = tv({"--code", code});
  ASSERT_EQ(joined.exit_code, 0) << joined.out << joined.err;
  EXPECT_EQ(joined.out.find("Your phone asks"), std::string::npos) << joined.out;
  const std::string tv_id = joined_id(*phone);
  ASSERT_FALSE(tv_id.empty());
  EXPECT_EQ(phone->out_so_far().find("allow?"), std::string::npos) << phone->out_so_far();
  expect_tv_and_phone_listed(joined.out, tv_id);
}

TEST_F(DemoTest, ALinkUriTemplateWithoutItsPlaceholderIsRefused) {
  const CommandResult refused = run_program(
      SSOKIT_PHONE_DEMO_BIN, flags("phone", {"--sso-id", "alice@example.com", "--link-uri-template", "myapp://link"}),
      seconds(30));
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_EQ(refused.err.rfind("error: invalid_argument: ClientOptions::link_uri_template must hold {code}", 0), 0u)
      << refused.err;
  EXPECT_EQ(line_count(refused.err), 1u);
}

TEST_F(DemoTest, HelpPrintsTheUsageOfEachDemo) {
  const CommandResult phone = run_program(SSOKIT_PHONE_DEMO_BIN, {"--help"}, seconds(30));
  EXPECT_EQ(phone.exit_code, 0);
  EXPECT_EQ(phone.err, "");
  EXPECT_NE(phone.out.find("usage: ssokit-phone-demo --server URL"), std::string::npos) << phone.out;
  EXPECT_NE(phone.out.find("--allow-insecure-http"), std::string::npos) << phone.out;
  EXPECT_NE(phone.out.find("--no-approval"), std::string::npos) << phone.out;
  EXPECT_NE(phone.out.find("--link-uri-template"), std::string::npos) << phone.out;
  const CommandResult tv_help = run_program(SSOKIT_TV_DEMO_BIN, {"--help"}, seconds(30));
  EXPECT_EQ(tv_help.exit_code, 0);
  EXPECT_EQ(tv_help.err, "");
  EXPECT_NE(tv_help.out.find("usage: ssokit-tv-demo --server URL"), std::string::npos) << tv_help.out;
  EXPECT_NE(tv_help.out.find("--allow-insecure-http"), std::string::npos) << tv_help.out;
}

TEST_F(DemoTest, AWrongCommandLineIsOneClearLine) {
  const auto expect_usage = [](const CommandResult& result, const std::string& start) {
    EXPECT_EQ(result.exit_code, 2) << result.err;
    EXPECT_EQ(result.out, "");
    EXPECT_EQ(line_count(result.err), 1u) << result.err;
    EXPECT_EQ(result.err.rfind(start, 0), 0u) << result.err;
  };
  expect_usage(run_program(SSOKIT_TV_DEMO_BIN, flags("tv", {"--bogus", "1"}), seconds(30)),
               "error: usage: unknown option --bogus");
  expect_usage(run_program(SSOKIT_TV_DEMO_BIN, flags("tv", {"--sso-id", "alice"}), seconds(30)),
               "error: usage: unknown option --sso-id");  // a phone flag
  expect_usage(run_program(SSOKIT_PHONE_DEMO_BIN, flags("phone"), seconds(30)), "error: usage: --sso-id is required");
  expect_usage(run_program(SSOKIT_PHONE_DEMO_BIN, flags("phone", {"--sso-id", "a", "--wait", "soon"}), seconds(30)),
               "error: usage: --wait takes a whole number of seconds");
  expect_usage(run_program(SSOKIT_TV_DEMO_BIN, {"--server", server_url()}, seconds(30)),
               "error: usage: --service-provider is required");
  expect_usage(run_program(SSOKIT_TV_DEMO_BIN, flags("tv", {"--code"}), seconds(30)),
               "error: usage: --code needs a value");

  std::vector<std::string> missing = flags("tv");
  missing[5] = statement_file_ + ".missing";
  expect_usage(run_program(SSOKIT_TV_DEMO_BIN, missing, seconds(30)),
               "error: invalid_argument: cannot read the software statement " + missing[5]);
}

}  // namespace
}  // namespace ssokit::testing
