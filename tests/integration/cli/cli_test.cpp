// ssokit-cli (SPEC §5) against the real server: one --state folder per simulated device.
#include <sys/stat.h>

#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "cli_runner.hpp"
#include "files.hpp"
#include "json_text.hpp"
#include "text.hpp"

namespace ssokit::testing {
namespace {

constexpr const char* kJws = R"(^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$)";

// Exactly one stderr line "error: <code>: <message>".
void expect_error_line(const CommandResult& result, const std::string& code) {
  EXPECT_NE(result.exit_code, 0);
  EXPECT_EQ(line_count(result.err), 1u) << result.err;
  EXPECT_EQ(result.err.rfind("error: " + code + ": ", 0), 0u) << result.err;
  EXPECT_GT(trimmed(result.err).size(), ("error: " + code + ": ").size()) << result.err;
  EXPECT_EQ(result.err.back(), '\n');
}

void expect_usage_error(const CommandResult& result) {
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_EQ(line_count(result.err), 1u) << result.err;
  EXPECT_EQ(result.err.rfind("error: usage: ", 0), 0u) << result.err;
  EXPECT_EQ(result.out, "");
}

unsigned mode_of(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return 0;
  return static_cast<unsigned>(info.st_mode) & 0777u;
}

// The items of the array `key` of a JSON object text, each printed as JSON text.
std::vector<std::string> items_of(const std::string& json_text, const std::string& key) {
  std::vector<std::string> items;
  const JsonPtr root(cJSON_Parse(json_text.c_str()));
  const cJSON* array = root ? cJSON_GetObjectItemCaseSensitive(root.get(), key.c_str()) : nullptr;
  const cJSON* item = nullptr;
  cJSON_ArrayForEach(item, array) {
    char* text = cJSON_PrintUnformatted(item);
    items.emplace_back(text);
    cJSON_free(text);
  }
  return items;
}

// `flags` with the server's host written 127.1: this machine to the resolver, but not a form
// the SDK takes for loopback, so it stands for a server elsewhere.
std::vector<std::string> server_elsewhere(std::vector<std::string> flags) {
  for (std::string& flag : flags)
    flag = std::regex_replace(flag, std::regex(R"(^http://127\.0\.0\.1:)"), "http://127.1:");
  return flags;
}

using CliCommands = CliTest;

TEST_F(CliCommands, SignInThenTokenPrintsAJwsServedFromTheCacheWithoutTheServer) {
  sign_in("phone", "alice@example.com");
  const CommandResult first = cli("phone", {"token"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.err, "");
  EXPECT_EQ(line_count(first.out), 1u);
  const std::string token = trimmed(first.out);
  EXPECT_TRUE(std::regex_match(token, std::regex(kJws))) << token;

  ASSERT_EQ(server().terminate(), 0);
  const CommandResult cached = cli("phone", {"token"});
  EXPECT_EQ(cached.exit_code, 0) << cached.err;
  EXPECT_EQ(cached.err, "");
  EXPECT_EQ(trimmed(cached.out), token);
}

TEST_F(CliCommands, TokenJsonHasTheTokenAndItsWindow) {
  sign_in("phone", "alice@example.com");
  const CommandResult result = cli("phone", {"token", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const HttpResponse json = as_json(result.out);
  EXPECT_EQ(json.json_keys(""), (std::vector<std::string>{"serviceToken", "notBefore", "notAfter"}));
  EXPECT_TRUE(std::regex_match(json.json("serviceToken").value_or(""), std::regex(kJws)));
  EXPECT_EQ(json_type(result.out, "notBefore"), "integer");
  EXPECT_EQ(json_type(result.out, "notAfter"), "integer");
}

TEST_F(CliCommands, LinkPrintsSixDigitsAndRedeemInASecondStateFolderJoins) {
  sign_in("phone", "alice@example.com");
  const CommandResult link_result = cli("phone", {"link"});
  ASSERT_EQ(link_result.exit_code, 0) << link_result.err;
  EXPECT_TRUE(std::regex_match(link_result.out, std::regex("^[0-9]{6}\n$"))) << link_result.out;

  const CommandResult joined = cli("tv", {"redeem", trimmed(link_result.out)}, "tizen");
  EXPECT_EQ(joined.exit_code, 0) << joined.err;
  EXPECT_EQ(joined.err, "");
  const CommandResult token = cli("tv", {"token"}, "tizen");
  EXPECT_EQ(token.exit_code, 0) << token.err;
  EXPECT_TRUE(std::regex_match(trimmed(token.out), std::regex(kJws)));
}

TEST_F(CliCommands, LinkJsonHasTheCodeAndItsWindow) {
  sign_in("phone", "alice@example.com");
  const CommandResult result = cli("phone", {"link", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const HttpResponse json = as_json(result.out);
  EXPECT_EQ(json.json_keys(""), (std::vector<std::string>{"code", "notBefore", "notAfter", "approval"}));
  EXPECT_TRUE(std::regex_match(json.json("code").value_or(""), std::regex("^[0-9]{6}$")));
  EXPECT_EQ(json.json("approval"), "optional");
  EXPECT_EQ(json_type(result.out, "notAfter"), "integer");
}

TEST_F(CliCommands, LinkQrPrintsTheCodeAndBlockCharacters) {
  sign_in("phone", "alice@example.com");
  const CommandResult result = cli("phone", {"link", "--qr"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::string first_line = result.out.substr(0, result.out.find('\n'));
  EXPECT_TRUE(std::regex_match(first_line, std::regex("^[0-9]{6}$"))) << result.out;
  EXPECT_NE(result.out.find("\u2588"), std::string::npos) << result.out;  // full block
  EXPECT_GT(line_count(result.out), 10u);
}

TEST_F(CliCommands, DevicesJsonHasExactlyTheSpecFieldsOneCurrentAndBothLinkTypes) {
  sign_in("phone", "alice@example.com", "android");
  const std::string code = link("phone");
  ASSERT_EQ(cli("tv", {"redeem", code}, "tizen").exit_code, 0);

  const CommandResult result = cli("tv", {"devices", "--json"}, "tizen");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(line_count(result.out), 1u);
  const JsonPtr root(cJSON_Parse(result.out.c_str()));
  ASSERT_NE(root, nullptr) << result.out;
  EXPECT_EQ(as_json(result.out).json_keys(""), std::vector<std::string>{"devices"});
  const cJSON* devices = json_at(root.get(), "devices");
  ASSERT_TRUE(cJSON_IsArray(devices));
  ASSERT_EQ(cJSON_GetArraySize(devices), 2);
  int current = 0;
  std::vector<std::string> types;
  std::string tv_type;
  const cJSON* item = nullptr;
  cJSON_ArrayForEach(item, devices) {
    char* text = cJSON_PrintUnformatted(item);
    const std::string item_json = text;
    cJSON_free(text);
    EXPECT_EQ(as_json(item_json).json_keys(""), (std::vector<std::string>{"id", "deviceType", "model", "os",
                                                                          "osVersion", "lastSeen", "type", "current"}));
    for (const char* key : {"id", "deviceType", "model", "os", "osVersion", "type"}) {
      EXPECT_EQ(json_type(item_json, key), "string") << key;
    }
    EXPECT_EQ(json_type(item_json, "lastSeen"), "integer");
    EXPECT_EQ(json_type(item_json, "current"), "bool");
    const bool is_current = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(item, "current"));
    current += is_current ? 1 : 0;
    const std::string type = json_string_member(item_json, "type").value_or("");
    types.push_back(type);
    if (is_current) {
      EXPECT_EQ(type, "sso");  // the TV joined with a link code
      tv_type = json_string_member(item_json, "deviceType").value_or("");
    } else {
      EXPECT_EQ(type, "regular");
    }
  }
  EXPECT_EQ(current, 1);
  EXPECT_EQ(tv_type, "TV");  // --platform tizen
}

TEST_F(CliCommands, TheUnlinkedDeviceFailsWithOneDeviceUnlinkedLine) {
  sign_in("phone", "alice@example.com");
  ASSERT_EQ(cli("tv", {"redeem", link("phone")}, "tizen").exit_code, 0);
  const std::string tv_id = current_id("tv", "tizen");
  ASSERT_FALSE(tv_id.empty());

  const CommandResult unlinked = cli("phone", {"unlink", tv_id});
  EXPECT_EQ(unlinked.exit_code, 0) << unlinked.err;
  EXPECT_EQ(unlinked.out, tv_id + "\n");

  const CommandResult result = cli("tv", {"devices"}, "tizen");
  expect_error_line(result, "device_unlinked");
  EXPECT_EQ(result.out, "");
  // The phone still lists itself, alone.
  const CommandResult phone = cli("phone", {"devices", "--json"});
  ASSERT_EQ(phone.exit_code, 0) << phone.err;
  EXPECT_EQ(phone.out.find(tv_id), std::string::npos) << phone.out;
  EXPECT_EQ(items_of(phone.out, "devices").size(), 1u) << phone.out;
}

TEST_F(CliCommands, RedeemingAUsedCodeFailsWithOneLinkCodeInvalidLine) {
  sign_in("phone", "alice@example.com");
  const std::string code = link("phone");
  ASSERT_EQ(cli("tv", {"redeem", code}, "tizen").exit_code, 0);
  const CommandResult again = cli("tv2", {"redeem", code}, "webos");
  expect_error_line(again, "link_code_invalid");
  EXPECT_EQ(again.out, "");
}

TEST_F(CliCommands, StateFolderIsPrivate) {
  sign_in("phone", "alice@example.com");
  const std::string dir = state_dir("phone");
  EXPECT_EQ(mode_of(dir), 0700u);
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    ++files;
    EXPECT_TRUE(entry.is_regular_file()) << entry.path();
    EXPECT_EQ(mode_of(entry.path().string()), 0600u) << entry.path();
  }
  EXPECT_GE(files, 2u);
}

TEST_F(CliCommands, LoginMvpdThenProfilesListsIt) {
  sign_in("phone", "alice@example.com");
  const CommandResult login = cli("phone", {"login-mvpd", "demo-mvpd", "--user", "demo", "--password", "demo"});
  ASSERT_EQ(login.exit_code, 0) << login.err;
  EXPECT_NE(login.out.find("demo-mvpd"), std::string::npos) << login.out;

  const CommandResult profiles = cli("phone", {"profiles"});
  ASSERT_EQ(profiles.exit_code, 0) << profiles.err;
  EXPECT_NE(profiles.out.find("demo-mvpd"), std::string::npos) << profiles.out;

  const CommandResult json = cli("phone", {"profiles", "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const HttpResponse parsed = as_json(json.out);
  EXPECT_EQ(parsed.json_keys(""), std::vector<std::string>{"profiles"});
  const std::vector<std::string> items = items_of(json.out, "profiles");
  ASSERT_EQ(items.size(), 1u) << json.out;
  EXPECT_EQ(as_json(items[0]).json_keys(""),
            (std::vector<std::string>{"mvpd", "type", "notBefore", "notAfter", "attributes"}));
  EXPECT_EQ(json_string_member(items[0], "mvpd"), "demo-mvpd");
  EXPECT_EQ(json_type(items[0], "attributes"), "object");
}

TEST_F(CliCommands, LoginMvpdWithAWrongPasswordFailsWithOneLine) {
  sign_in("phone", "alice@example.com");
  const CommandResult login = cli("phone", {"login-mvpd", "demo-mvpd", "--user", "demo", "--password", "wrong"});
  EXPECT_NE(login.exit_code, 0);
  EXPECT_EQ(line_count(login.err), 1u) << login.err;
  EXPECT_EQ(login.err.rfind("error: ", 0), 0u) << login.err;
  const CommandResult profiles = cli("phone", {"profiles"});
  ASSERT_EQ(profiles.exit_code, 0) << profiles.err;
  EXPECT_EQ(profiles.out.find("demo-mvpd"), std::string::npos) << profiles.out;
}

TEST_F(CliCommands, SignInWithAMissingPlatformTokenFileFailsWithOneLine) {
  const CommandResult result = cli("tv", {"sign-in", "--platform-token", state_dir("nowhere") + "/token"}, "tizen");
  EXPECT_NE(result.exit_code, 0);
  EXPECT_EQ(line_count(result.err), 1u) << result.err;
  EXPECT_EQ(result.err.rfind("error: ", 0), 0u) << result.err;
  EXPECT_EQ(result.out, "");
}

TEST_F(CliCommands, AnHttpServerElsewhereNeedsAllowInsecureHttp) {
  std::vector<std::string> flags = server_elsewhere(base_flags());
  ASSERT_EQ(flags[1].rfind("http://127.1:", 0), 0u) << flags[1];
  flags.insert(flags.end(), {"--state", state_dir("phone")});
  const auto with = [&flags](const std::vector<std::string>& extra) {
    std::vector<std::string> all = flags;
    all.insert(all.end(), extra.begin(), extra.end());
    return all;
  };
  const CommandResult refused = run_cli(with({"sign-in", "--sso-id", "alice@example.com"}));
  expect_error_line(refused, "invalid_argument");
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("allow_insecure_http"), std::string::npos) << refused.err;
  EXPECT_EQ(refused.out, "");

  const CommandResult allowed = run_cli(with({"--allow-insecure-http", "sign-in", "--sso-id", "alice@example.com"}));
  EXPECT_EQ(allowed.exit_code, 0) << allowed.err;
  EXPECT_EQ(allowed.err, "");
  EXPECT_EQ(allowed.out.rfind("signed in; ", 0), 0u) << allowed.out;
}

TEST_F(CliCommands, HelpNamesAllowInsecureHttp) {
  const CommandResult help = run_cli({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--allow-insecure-http"), std::string::npos) << help.out;
}

class CliDeviceLimit : public CliTest {
 protected:
  std::vector<std::string> extra_args() const override { return {"--max-devices", "1"}; }
};

TEST_F(CliDeviceLimit, ADeviceBeyondTheProfilesLimitIsOneDeviceLimitReachedLine) {
  sign_in("phone", "alice@example.com");
  const CommandResult signed_in = cli("tv", {"sign-in", "--sso-id", "alice@example.com"}, "tizen");
  expect_error_line(signed_in, "device_limit_reached");
  EXPECT_EQ(signed_in.exit_code, 1);
  EXPECT_EQ(signed_in.out, "");
  const CommandResult redeemed = cli("tv", {"redeem", link("phone")}, "tizen");
  expect_error_line(redeemed, "device_limit_reached");
  EXPECT_EQ(redeemed.exit_code, 1);
}

class CliAddressRate : public CliTest {
 protected:
  // The fixture's own registration and access token are two of the three.
  std::vector<std::string> extra_args() const override { return {"--address-rate", "3/600"}; }
};

TEST_F(CliAddressRate, ARefusedAccessTokenIsOneTooManyRequestsLine) {
  const CommandResult result = cli("phone", {"sign-in", "--sso-id", "alice@example.com"});
  expect_error_line(result, "too_many_requests");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
}

TEST_F(CliCommands, UsageErrorsExitTwoWithOneUsageLine) {
  const std::vector<std::string> base = base_flags();
  const auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> all = base;
    all.insert(all.end(), extra.begin(), extra.end());
    return all;
  };
  const std::string state = state_dir("phone");
  {
    SCOPED_TRACE("no command");
    expect_usage_error(run_cli(with({"--state", state})));
  }
  {
    SCOPED_TRACE("no arguments at all");
    expect_usage_error(run_cli({}));
  }
  {
    SCOPED_TRACE("unknown flag");
    expect_usage_error(run_cli(with({"--state", state, "--frobnicate", "token"})));
  }
  {
    SCOPED_TRACE("missing --state");
    expect_usage_error(run_cli(with({"token"})));
  }
  {
    SCOPED_TRACE("redeem without code");
    expect_usage_error(run_cli(with({"--state", state, "redeem"})));
  }
  // None of them touched the state folder.
  EXPECT_FALSE(std::filesystem::exists(state));
}

}  // namespace
}  // namespace ssokit::testing
