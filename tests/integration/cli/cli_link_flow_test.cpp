// ssokit-cli's commands of SPEC §6.5 against the real server: `link --approval --wait`,
// `redeem --wait`, `approve`, `deny`, the link's URI, their --json output and their errors.
#include <chrono>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "cli_runner.hpp"
#include "json_text.hpp"
#include "text.hpp"

namespace ssokit::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

void expect_error_line(const CommandResult& result, const std::string& code) {
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_EQ(line_count(result.err), 1u) << result.err;
  EXPECT_EQ(result.err.rfind("error: " + code + ": ", 0), 0u) << result.err;
}

void expect_usage_error(const CommandResult& result, const std::string& what) {
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_EQ(result.err, "error: usage: " + what + "\n");
  EXPECT_EQ(result.out, "");
}

// The lines of a QR code drawn with block characters.
std::size_t qr_lines(const std::string& out) {
  std::size_t count = 0;
  std::size_t start = 0;
  while (start < out.size()) {
    const std::size_t end = out.find('\n', start);
    const std::string line = out.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (line.find("\u2588") != std::string::npos) ++count;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return count;
}

class CliLinkFlow : public CliTest {
 protected:
  // The code of a `link` left running in the background: its first line.
  static std::string code_of(BackgroundProgram& link) {
    const auto line = link.wait_for_line("", seconds(30));
    if (!line) {
      ADD_FAILURE() << "no code; stdout: " << link.out_so_far() << " stderr: " << link.err_so_far();
      return "";
    }
    return *line;
  }
};

TEST_F(CliLinkFlow, ApprovalFlowLinkWaitsShowsTheTvThenApproveLetsItIn) {
  sign_in("phone", "alice@example.com", "android");
  const auto phone = cli_in_background("phone", {"link", "--approval", "--wait", "30"}, "android");
  const std::string code = code_of(*phone);
  ASSERT_TRUE(std::regex_match(code, std::regex("^[0-9]{6}$"))) << code;

  // The TV redeems without --wait: taken, awaiting approval, exit 0.
  const CommandResult redeemed = cli("tv", {"redeem", code}, "tizen");
  ASSERT_EQ(redeemed.exit_code, 0) << redeemed.err;
  EXPECT_EQ(redeemed.err, "");
  EXPECT_TRUE(
      std::regex_match(redeemed.out, std::regex("^awaiting approval by the device that made the code \\(until "
                                                "[0-9-]+T[0-9:]+Z\\); run redeem again with --wait to wait for it\n$")))
      << redeemed.out;

  // The phone's wait ends with the TV that waits for its decision.
  const CommandResult shown = phone->wait(seconds(30));
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_EQ(shown.err, "");
  std::smatch shown_tv;
  ASSERT_TRUE(std::regex_match(shown.out, shown_tv,
                               std::regex("^" + code + "\nawaiting approval: (\\S+)  TV  QE55Q80C  Tizen 7\\.0\n$")))
      << shown.out;

  const CommandResult approved = cli("phone", {"approve", code}, "android");
  ASSERT_EQ(approved.exit_code, 0) << approved.err;
  const CommandResult joined = cli("tv", {"redeem", code, "--wait", "10"}, "tizen");
  ASSERT_EQ(joined.exit_code, 0) << joined.err;
  EXPECT_EQ(current_id("tv", "tizen"), shown_tv[1].str());  // the phone was shown this very TV
}

TEST_F(CliLinkFlow, RedeemWaitGetsTheTokenWhenThePhoneApproves) {
  sign_in("phone", "alice@example.com", "android");
  const CommandResult made = cli("phone", {"link", "--approval", "--json"}, "android");
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EXPECT_EQ(as_json(made.out).json("approval"), "required");
  const std::string code = as_json(made.out).json("code").value_or("");

  const auto tv = cli_in_background("tv", {"redeem", code, "--wait", "30", "--json"}, "tizen");
  std::this_thread::sleep_for(milliseconds(1500));  // the TV's held request is on the server
  const CommandResult approved = cli("phone", {"approve", code}, "android");
  ASSERT_EQ(approved.exit_code, 0) << approved.err;
  EXPECT_EQ(approved.out, "approved\n");

  const CommandResult joined = tv->wait(seconds(30));
  ASSERT_EQ(joined.exit_code, 0) << joined.err;
  EXPECT_EQ(joined.err, "");
  const HttpResponse json = as_json(joined.out);
  EXPECT_EQ(json.json_keys(""), (std::vector<std::string>{"status", "notBefore", "notAfter"}));
  EXPECT_EQ(json.json("status"), "JOINED");
  EXPECT_EQ(json_type(joined.out, "notAfter"), "integer");
  const CommandResult devices = cli("tv", {"devices", "--json"}, "tizen");
  const JsonPtr listed(cJSON_Parse(devices.out.c_str()));
  EXPECT_EQ(cJSON_GetArraySize(json_at(listed.get(), "devices")), 2) << devices.out;

  // A second decision on the same code: one link_code_invalid line.
  const CommandResult again = cli("phone", {"deny", code, "--json"}, "android");
  expect_error_line(again, "link_code_invalid");
}

TEST_F(CliLinkFlow, DenyMakesTheWaitingRedeemFailWithOneLinkDeniedLine) {
  sign_in("phone", "alice@example.com", "android");
  const std::string code = trimmed(cli("phone", {"link", "--approval"}, "android").out);
  const auto tv = cli_in_background("tv", {"redeem", code, "--wait", "30"}, "tizen");
  std::this_thread::sleep_for(milliseconds(1500));
  const CommandResult denied = cli("phone", {"deny", code, "--json"}, "android");
  ASSERT_EQ(denied.exit_code, 0) << denied.err;
  EXPECT_EQ(denied.out, "{\"decision\":\"denied\"}\n");

  const CommandResult refused = tv->wait(seconds(30));
  expect_error_line(refused, "link_denied");
  EXPECT_EQ(refused.out, "");
  const CommandResult token = cli("tv", {"token"}, "tizen");
  expect_error_line(token, "not_signed_in");
}

TEST_F(CliLinkFlow, RedeemWaitWithoutADecisionIsOneTimeoutLine) {
  sign_in("phone", "alice@example.com", "android");
  const std::string code = trimmed(cli("phone", {"link", "--approval"}, "android").out);
  const auto started = std::chrono::steady_clock::now();
  const CommandResult waited = cli("tv", {"redeem", code, "--wait", "4"}, "tizen");
  EXPECT_LT(std::chrono::steady_clock::now() - started, seconds(10));
  expect_error_line(waited, "timeout");
  EXPECT_NE(waited.err.find("run redeem again with the same code"), std::string::npos) << waited.err;
  // Going on waiting works: the phone approves meanwhile.
  ASSERT_EQ(cli("phone", {"approve", code}, "android").exit_code, 0);
  const CommandResult joined = cli("tv", {"redeem", code, "--wait", "10"}, "tizen");
  ASSERT_EQ(joined.exit_code, 0) << joined.err;
  EXPECT_EQ(joined.out.rfind("joined; the service token is valid until ", 0), 0u) << joined.out;
}

TEST_F(CliLinkFlow, LinkWaitJsonPrintsTheDeviceThatRedeemedAPlainCode) {
  sign_in("phone", "alice@example.com", "android");
  const auto phone = cli_in_background("phone", {"link", "--wait", "30", "--json"}, "android");
  const std::string first = code_of(*phone);
  const std::string code = as_json(first).json("code").value_or("");
  ASSERT_FALSE(code.empty()) << first;
  EXPECT_EQ(as_json(first).json("approval"), "optional");

  const CommandResult joined = cli("tv", {"redeem", code}, "tizen");
  ASSERT_EQ(joined.exit_code, 0) << joined.err;
  EXPECT_EQ(joined.out.rfind("joined; ", 0), 0u) << joined.out;

  const CommandResult done = phone->wait(seconds(30));
  ASSERT_EQ(done.exit_code, 0) << done.err;
  EXPECT_EQ(line_count(done.out), 2u) << done.out;
  const std::string second = done.out.substr(done.out.find('\n') + 1);
  const HttpResponse json = as_json(second);
  EXPECT_EQ(json.json_keys(""), (std::vector<std::string>{"status", "notAfter", "device"}));
  EXPECT_EQ(json.json("status"), "REDEEMED");
  EXPECT_EQ(json.json_keys("device"),
            (std::vector<std::string>{"id", "deviceType", "model", "os", "osVersion", "lastSeen", "type"}));
  EXPECT_EQ(json.json("device.id"), current_id("tv", "tizen"));
  EXPECT_EQ(json.json("device.type"), "sso");
  EXPECT_EQ(json.json("device.model"), "QE55Q80C");
}

TEST_F(CliLinkFlow, LinkWaitWithNoRedemptionIsOneTimeoutLineAfterTheCode) {
  sign_in("phone", "alice@example.com", "android");
  const CommandResult result = cli("phone", {"link", "--wait", "1"}, "android");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(std::regex_match(result.out, std::regex("^[0-9]{6}\n$"))) << result.out;
  EXPECT_EQ(result.err, "error: timeout: no device redeemed the code within 1 s\n");
}

TEST_F(CliLinkFlow, TheLinkUriTemplateMakesTheUriAndTheQrCodeHoldsIt) {
  sign_in("phone", "alice@example.com", "android");
  const std::vector<std::string> with_template = {"--link-uri-template", "myapp://link?code={code}"};
  std::vector<std::string> json_args = with_template;
  json_args.insert(json_args.end(), {"link", "--json"});
  const CommandResult json = cli("phone", json_args, "android");
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const std::string code = as_json(json.out).json("code").value_or("");
  EXPECT_EQ(as_json(json.out).json("uri"), "myapp://link?code=" + code);

  std::vector<std::string> qr_args = with_template;
  qr_args.insert(qr_args.end(), {"link", "--qr"});
  const CommandResult with_uri = cli("phone", qr_args, "android");
  ASSERT_EQ(with_uri.exit_code, 0) << with_uri.err;
  const std::string uri_code = with_uri.out.substr(0, with_uri.out.find('\n'));
  EXPECT_EQ(with_uri.out.rfind(uri_code + "\nmyapp://link?code=" + uri_code + "\n", 0), 0u) << with_uri.out;
  const CommandResult plain = cli("phone", {"link", "--qr"}, "android");
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  // 24 characters take a bigger QR code than 6 digits (version 2, 25 modules, against 21).
  EXPECT_EQ(qr_lines(plain.out), 13u) << plain.out;
  EXPECT_EQ(qr_lines(with_uri.out), 15u) << with_uri.out;

  const CommandResult bad = cli("phone", {"--link-uri-template", "myapp://link", "link"}, "android");
  expect_error_line(bad, "invalid_argument");
  EXPECT_NE(bad.err.find("{code}"), std::string::npos) << bad.err;
}

TEST_F(CliLinkFlow, ApproveOrDenyOfACodeNotAwaitingADecisionIsOneLinkCodeInvalidLine) {
  sign_in("phone", "alice@example.com", "android");
  const std::string code = link("phone");
  expect_error_line(cli("phone", {"approve", code}, "android"), "link_code_invalid");
  expect_error_line(cli("phone", {"deny", "000000"}, "android"), "link_code_invalid");
  expect_error_line(cli("tv", {"approve", code}, "tizen"), "not_signed_in");
}

TEST_F(CliLinkFlow, UsageErrorsOfTheNewCommandsAndFlags) {
  const auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> all = base_flags();
    all.insert(all.end(), {"--state", state_dir("phone")});
    all.insert(all.end(), extra.begin(), extra.end());
    return all;
  };
  expect_usage_error(run_cli(with({"approve"})), "approve takes the code");
  expect_usage_error(run_cli(with({"deny", "1", "2"})), "deny takes the code");
  expect_usage_error(run_cli(with({"redeem", "123456", "--approval"})), "--approval belongs to link");
  expect_usage_error(run_cli(with({"devices", "--wait", "5"})), "--wait belongs to link and redeem");
  expect_usage_error(run_cli(with({"link", "--wait", "0"})),
                     "--wait takes a whole number of seconds from 1 to 86400, not '0'");
  expect_usage_error(run_cli(with({"link", "--wait", "soon"})),
                     "--wait takes a whole number of seconds from 1 to 86400, not 'soon'");
  expect_usage_error(run_cli(with({"link", "--wait"})), "--wait needs a value");
  expect_usage_error(run_cli(with({"link", "--link-uri-template"})), "--link-uri-template needs a value");

  const CommandResult help = run_cli({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  for (const char* word : {"approve CODE", "deny CODE", "--approval", "--wait SECONDS", "--link-uri-template"}) {
    EXPECT_NE(help.out.find(word), std::string::npos) << word;
  }
}

}  // namespace
}  // namespace ssokit::testing
