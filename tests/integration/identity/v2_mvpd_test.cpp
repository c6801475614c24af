// The compact REST API V2 profile part with the server's mock MVPD page (SPEC §2 "Compact
// REST API V2 profile part"): sessions, the login page, profiles by code and for the whole
// SSO profile, and logout.
#include <sys/stat.h>

#include <chrono>
#include <thread>

#include "api_test.hpp"
#include "clock.hpp"
#include "files.hpp"
#include "json_text.hpp"

namespace ssokit::testing {
namespace {

constexpr long long kMvpdProfileTtlSeconds = 7200;
constexpr long long kSessionLifetimeMs = 30LL * 60 * 1000;
const std::string kSessionForm = "mvpd=demo-mvpd&domainName=example.com&redirectUrl=" +
                                 url_encode("https://example.com/done");

long long number(const HttpResponse& response, const std::string& path) {
  return std::stoll(response.json(path).value_or("-1"));
}

class V2Test : public ApiTest {
 protected:
  std::vector<std::string> extra_args() const override {
    return {"--mvpd-profile-ttl", std::to_string(kMvpdProfileTtlSeconds)};
  }

  HttpResponse start_session(const SignedIn& device, const std::string& form = kSessionForm) {
    Headers headers = token_headers(device);
    headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    return call("POST", "/api/v2/demo/sessions", headers, form);
  }
  HttpResponse profiles_by_code(const SignedIn& device, const std::string& code) {
    return call("GET", "/api/v2/demo/profiles/code/" + code, token_headers(device));
  }
  HttpResponse profiles(const SignedIn& device) { return call("GET", "/api/v2/demo/profiles", token_headers(device)); }
  HttpResponse logout(const SignedIn& device, const std::string& mvpd = "demo-mvpd") {
    return call("GET", "/api/v2/demo/logout/" + mvpd, token_headers(device));
  }
  static HttpResponse login(const std::string& url, const std::string& user, const std::string& password) {
    return send({"POST", url, {{"Content-Type", "application/x-www-form-urlencoded"}},
                 "user=" + url_encode(user) + "&password=" + url_encode(password)});
  }
  // A full MVPD login from `device`; returns the session answer.
  HttpResponse log_in_mvpd(const SignedIn& device, const std::string& user = "demo",
                           const std::string& password = "demo") {
    const HttpResponse session = start_session(device);
    EXPECT_EQ(session.status, 200) << session.body;
    const HttpResponse done = login(session.json("url").value_or(""), user, password);
    EXPECT_EQ(done.status, 200) << done.body;
    return session;
  }
  SignedIn join_by_code(const SignedIn& first, const std::string& device) {
    return join(device, create_link_code(first));
  }
};

void expect_api_error(const HttpResponse& response, long status, const std::string& code) {
  EXPECT_EQ(response.status, status) << response.body;
  EXPECT_EQ(response.json("error.code"), code) << response.body;
  EXPECT_EQ(response.json("error.status"), std::to_string(status)) << response.body;
}

void expect_no_profiles(const HttpResponse& response) {
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.json("profiles"), "{}") << response.body;
}

TEST_F(V2Test, SessionAnswersAnInteractiveAuthentication) {
  const SignedIn phone = sign_in("phone", "alice");
  const HttpResponse session = start_session(phone);
  ASSERT_EQ(session.status, 200) << session.body;
  EXPECT_EQ(session.json("actionName"), "authenticate");
  EXPECT_EQ(session.json("actionType"), "interactive");
  EXPECT_EQ(session.json("reasonType"), "none");
  EXPECT_FALSE(session.json("code").value_or("").empty());
  EXPECT_FALSE(session.json("sessionId").value_or("").empty());
  EXPECT_EQ(session.json("mvpd"), "demo-mvpd");
  EXPECT_EQ(session.json("serviceProvider"), "demo");
  const std::string url = session.json("url").value_or("");
  EXPECT_EQ(url.rfind(server().base_url() + "/", 0), 0u) << "the mock page is the server's own: " << url;
  EXPECT_NE(url.find(session.json("code").value_or("<none>")), std::string::npos) << url;
  ASSERT_TRUE(json_number(session.body, "notBefore").has_value()) << session.body;
  ASSERT_TRUE(json_number(session.body, "notAfter").has_value()) << session.body;
  const long long not_before = number(session, "notBefore");
  EXPECT_NEAR(static_cast<double>(not_before), static_cast<double>(now_ms()), 60000.0);
  EXPECT_EQ(number(session, "notAfter") - not_before, kSessionLifetimeMs);
  EXPECT_EQ(session.header("cache-control"), "no-store");

  // Two sessions are two codes.
  const HttpResponse other = start_session(phone);
  ASSERT_EQ(other.status, 200) << other.body;
  EXPECT_NE(other.json("code"), session.json("code"));
  EXPECT_NE(other.json("sessionId"), session.json("sessionId"));
}

TEST_F(V2Test, MockPageLoginCreatesTheProfileSeenByCode) {
  const SignedIn phone = sign_in("phone", "alice");
  const HttpResponse session = start_session(phone);
  ASSERT_EQ(session.status, 200) << session.body;
  const std::string code = session.json("code").value_or("");
  const std::string url = session.json("url").value_or("");

  // Before the login the app's poll sees nothing.
  expect_no_profiles(profiles_by_code(phone, code));

  const HttpResponse page = send({"GET", url, {}, std::nullopt});
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.header("content-type").find("text/html"), std::string::npos) << page.header("content-type");
  EXPECT_NE(page.body.find("<form"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("name=\"user\""), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("name=\"password\""), std::string::npos) << page.body;

  EXPECT_EQ(login(url, "demo", "wrong").status, 401);
  EXPECT_EQ(login(url, "nobody", "demo").status, 401);
  expect_no_profiles(profiles_by_code(phone, code));

  const long long before = now_ms();
  const HttpResponse done = login(url, "demo", "demo");
  ASSERT_EQ(done.status, 200) << done.body;

  const HttpResponse found = profiles_by_code(phone, code);
  ASSERT_EQ(found.status, 200) << found.body;
  EXPECT_EQ(found.json_keys("profiles"), std::vector<std::string>{"demo-mvpd"});
  EXPECT_EQ(found.json("profiles.demo-mvpd.issuer"), "demo-mvpd");
  EXPECT_EQ(found.json("profiles.demo-mvpd.type"), "regular");
  EXPECT_EQ(found.json("profiles.demo-mvpd.attributes.userID.value"), "demo");
  EXPECT_EQ(found.json("profiles.demo-mvpd.attributes.userID.state"), "plain");
  const long long not_before = number(found, "profiles.demo-mvpd.notBefore");
  EXPECT_GE(not_before, before - 1000);
  EXPECT_EQ(number(found, "profiles.demo-mvpd.notAfter") - not_before, kMvpdProfileTtlSeconds * 1000);
  EXPECT_EQ(found.header("cache-control"), "no-store");

  // The profile list of the device agrees.
  const HttpResponse listed = profiles(phone);
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(listed.json("profiles.demo-mvpd"), found.json("profiles.demo-mvpd"));
}

TEST_F(V2Test, ProfilesBeforeAnyLoginAreEmpty) {
  const SignedIn phone = sign_in("phone", "alice");
  expect_no_profiles(profiles(phone));
}

TEST_F(V2Test, SecondDeviceOfTheSsoProfileSeesTheMvpdProfile) {
  const SignedIn phone = sign_in("phone", "alice");
  const SignedIn tv = join_by_code(phone, "tv");
  log_in_mvpd(phone);

  const HttpResponse on_phone = profiles(phone);
  const HttpResponse on_tv = profiles(tv);
  ASSERT_EQ(on_phone.status, 200) << on_phone.body;
  ASSERT_EQ(on_tv.status, 200) << on_tv.body;
  EXPECT_EQ(on_phone.json("profiles.demo-mvpd.type"), "regular");
  EXPECT_EQ(on_tv.json("profiles.demo-mvpd.type"), "serviceTokenSSO");
  EXPECT_EQ(on_tv.json("profiles.demo-mvpd.issuer"), "demo-mvpd");
  EXPECT_EQ(on_tv.json("profiles.demo-mvpd.attributes.userID.value"), "demo");
  EXPECT_EQ(on_tv.json("profiles.demo-mvpd.notAfter"), on_phone.json("profiles.demo-mvpd.notAfter"));
  EXPECT_EQ(on_tv.json("profiles.demo-mvpd.notBefore"), on_phone.json("profiles.demo-mvpd.notBefore"));

  // A device of another SSO profile sees nothing.
  const SignedIn stranger = sign_in("stranger-phone", "bob");
  expect_no_profiles(profiles(stranger));

  // A new session on the TV is authorized directly through SSO.
  const HttpResponse session = start_session(tv);
  ASSERT_EQ(session.status, 200) << session.body;
  EXPECT_EQ(session.json("actionName"), "authorize");
  EXPECT_EQ(session.json("actionType"), "direct");
  EXPECT_EQ(session.json("reasonType"), "authenticatedSSO");
  EXPECT_EQ(session.json("mvpd"), "demo-mvpd");

  // Its code sees the SSO profile too, as the TV's serviceTokenSSO view.
  const HttpResponse by_code = profiles_by_code(tv, session.json("code").value_or(""));
  ASSERT_EQ(by_code.status, 200) << by_code.body;
  EXPECT_EQ(by_code.json("profiles.demo-mvpd.type"), "serviceTokenSSO");
}

TEST_F(V2Test, SsoProfileKeepsTheFirstLoginsNotAfter) {
  const SignedIn phone = sign_in("phone", "alice");
  const SignedIn tv = join_by_code(phone, "tv");
  log_in_mvpd(phone);
  const HttpResponse first = profiles(phone);
  ASSERT_EQ(first.status, 200) << first.body;
  const std::string not_after = first.json("profiles.demo-mvpd.notAfter").value_or("<none>");

  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  // The TV logs in again through its own session: the profile of the SSO profile stays.
  log_in_mvpd(tv);
  const HttpResponse on_tv = profiles(tv);
  const HttpResponse on_phone = profiles(phone);
  EXPECT_EQ(on_tv.json("profiles.demo-mvpd.notAfter"), not_after) << on_tv.body;
  EXPECT_EQ(on_phone.json("profiles.demo-mvpd.notAfter"), not_after) << on_phone.body;
  EXPECT_EQ(on_phone.json("profiles.demo-mvpd.type"), "regular");
  EXPECT_EQ(on_tv.json("profiles.demo-mvpd.type"), "serviceTokenSSO");
}

TEST_F(V2Test, LogoutRemovesTheProfileForEveryDevice) {
  const SignedIn phone = sign_in("phone", "alice");
  const SignedIn tv = join_by_code(phone, "tv");
  const HttpResponse session = log_in_mvpd(phone);
  ASSERT_EQ(profiles(tv).json("profiles.demo-mvpd.type"), "serviceTokenSSO");

  const HttpResponse out = logout(tv);
  ASSERT_EQ(out.status, 200) << out.body;
  EXPECT_EQ(out.json("logouts.demo-mvpd.actionName"), "complete");
  EXPECT_EQ(out.json("logouts.demo-mvpd.actionType"), "none");
  EXPECT_EQ(out.header("cache-control"), "no-store");

  expect_no_profiles(profiles(phone));
  expect_no_profiles(profiles(tv));
  expect_no_profiles(profiles_by_code(phone, session.json("code").value_or("")));

  const HttpResponse again = logout(phone);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json("logouts.demo-mvpd.actionName"), "invalid");

  // After the logout a new session is interactive again.
  const HttpResponse fresh = start_session(tv);
  ASSERT_EQ(fresh.status, 200) << fresh.body;
  EXPECT_EQ(fresh.json("actionName"), "authenticate");
  EXPECT_EQ(fresh.json("reasonType"), "none");
}

TEST_F(V2Test, LogoutWithoutProfileIsInvalid) {
  const SignedIn phone = sign_in("phone", "alice");
  const HttpResponse out = logout(phone);
  ASSERT_EQ(out.status, 200) << out.body;
  EXPECT_EQ(out.json("logouts.demo-mvpd.actionName"), "invalid");
}

TEST_F(V2Test, UnknownMvpdIsInvalidParameterMvpd) {
  const SignedIn phone = sign_in("phone", "alice");
  expect_api_error(start_session(phone, "mvpd=no-such-mvpd&domainName=example.com&redirectUrl=" +
                                            url_encode("https://example.com/done")),
                   400, "invalid_parameter_mvpd");
}

TEST_F(V2Test, MissingDomainNameIsRequestInvalid) {
  const SignedIn phone = sign_in("phone", "alice");
  expect_api_error(start_session(phone, "mvpd=demo-mvpd&redirectUrl=" + url_encode("https://example.com/done")), 400,
                   "request_invalid");
}

TEST_F(V2Test, UnknownCodeIsTokenInvalid) {
  const SignedIn phone = sign_in("phone", "alice");
  expect_api_error(profiles_by_code(phone, "BCDFGHJK"), 400, "token_invalid");
}

TEST_F(V2Test, CodeOfAnotherSsoProfileIsTokenInvalid) {
  const SignedIn phone = sign_in("phone", "alice");
  const SignedIn stranger = sign_in("stranger-phone", "bob");
  const HttpResponse session = log_in_mvpd(phone);
  expect_api_error(profiles_by_code(stranger, session.json("code").value_or("")), 400, "token_invalid");
}

TEST_F(V2Test, MockPageWithUnknownCodeIs400) {
  const HttpResponse page = send({"GET", server().base_url() + "/mvpd/login/BCDFGHJK", {}, std::nullopt});
  EXPECT_EQ(page.status, 400) << page.body;
  EXPECT_EQ(login(server().base_url() + "/mvpd/login/BCDFGHJK", "demo", "demo").status, 400);
}

TEST_F(V2Test, CallsWithoutServiceTokenAreHeaderMissing) {
  const HttpResponse session = call("POST", "/api/v2/demo/sessions",
                                    {{"AP-Device-Identifier", fingerprint("phone")},
                                     {"Content-Type", "application/x-www-form-urlencoded"}},
                                    kSessionForm);
  expect_api_error(session, 401, "header_missing");
  expect_api_error(call("GET", "/api/v2/demo/profiles", {{"AP-Device-Identifier", fingerprint("phone")}}), 401,
                   "header_missing");
  expect_api_error(call("GET", "/api/v2/demo/profiles/code/BCDFGHJK", {{"AP-Device-Identifier", fingerprint("phone")}}),
                   401, "header_missing");
  expect_api_error(call("GET", "/api/v2/demo/logout/demo-mvpd", {{"AP-Device-Identifier", fingerprint("phone")}}), 401,
                   "header_missing");
}

TEST_F(V2Test, UnlinkedDeviceIsDeviceUnlinked) {
  const SignedIn phone = sign_in("phone", "alice");
  const SignedIn tv = join_by_code(phone, "tv");
  log_in_mvpd(phone);
  const HttpResponse unlinked = unlink(phone, devices_body({tv.device_id}));
  ASSERT_EQ(unlinked.status, 200) << unlinked.body;

  expect_api_error(profiles(tv), 401, "device_unlinked");
  EXPECT_EQ(profiles(tv).json("error.action"), "sign_in");
  expect_api_error(start_session(tv), 401, "device_unlinked");
  expect_api_error(logout(tv), 401, "device_unlinked");
  // The phone keeps its profile: the unlinked TV could not log it out.
  EXPECT_EQ(profiles(phone).json("profiles.demo-mvpd.type"), "regular");
}

class CustomMvpdTest : public V2Test {
 protected:
  std::vector<std::string> extra_args() const override {
    std::vector<std::string> args = V2Test::extra_args();
    args.insert(args.end(), {"--mvpd", "custom=u:p"});
    return args;
  }
};

TEST_F(CustomMvpdTest, ConfiguredMvpdReplacesTheDemoDefault) {
  const SignedIn phone = sign_in("phone", "alice");
  expect_api_error(start_session(phone), 400, "invalid_parameter_mvpd");  // demo-mvpd is gone

  const HttpResponse session =
      start_session(phone, "mvpd=custom&domainName=example.com&redirectUrl=" + url_encode("https://example.com/done"));
  ASSERT_EQ(session.status, 200) << session.body;
  EXPECT_EQ(session.json("mvpd"), "custom");
  const std::string url = session.json("url").value_or("");
  EXPECT_EQ(login(url, "demo", "demo").status, 401);
  EXPECT_EQ(login(url, "u", "p").status, 200);
  const HttpResponse found = profiles_by_code(phone, session.json("code").value_or(""));
  ASSERT_EQ(found.status, 200) << found.body;
  EXPECT_EQ(found.json("profiles.custom.issuer"), "custom");
  EXPECT_EQ(found.json("profiles.custom.attributes.userID.value"), "u");
  EXPECT_EQ(found.json("profiles.custom.type"), "regular");
}

// --mvpd-password-file NAME=USER:PATH: the test user's password stays off the command line
// (every local user can read a process's arguments), in a file only the server's user reads.
class MvpdPasswordFileTest : public V2Test {
 protected:
  void SetUp() override {
    secrets_ = std::make_unique<TempDir>();
    password_file_ = secrets_->path() + "/mvpd-password";
    write_file(password_file_, "s3cret from a file\n");
    ::chmod(password_file_.c_str(), 0600);
    V2Test::SetUp();
  }
  std::vector<std::string> extra_args() const override {
    return {"--mvpd-password-file", "demo-mvpd=alice:" + password_file_};
  }
  std::unique_ptr<TempDir> secrets_;
  std::string password_file_;
};

TEST_F(MvpdPasswordFileTest, TheTestUserLogsInWithThePasswordFromTheFile) {
  const SignedIn phone = sign_in("phone", "mvpd-user");
  const HttpResponse session = start_session(phone);
  ASSERT_EQ(session.status, 200) << session.body;
  const std::string url = session.json("url").value_or("");
  EXPECT_EQ(login(url, "alice", "wrong").status, 401);
  EXPECT_EQ(login(url, "demo", "demo").status, 401);  // the file's user replaces the demo default
  EXPECT_EQ(login(url, "alice", "s3cret from a file").status, 200);
}

TEST(MvpdPasswordFileFlagTest, APasswordFileOthersCanReadIsRefused) {
  TempDir temp;
  const std::string file = temp.path() + "/password";
  write_file(file, "hunter2-xyz\n");
  ::chmod(file.c_str(), 0644);
  const CommandResult result =
      run_server_command({"serve", "--data", temp.path() + "/data", "--listen", "127.0.0.1:0", "--mvpd-password-file",
                          "demo-mvpd=alice:" + file},
                         std::chrono::seconds(10));
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_NE(result.err.find("--mvpd-password-file demo-mvpd"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("chmod 600"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find("hunter2-xyz"), std::string::npos) << "the password leaked into the error";
}

}  // namespace
}  // namespace ssokit::testing
