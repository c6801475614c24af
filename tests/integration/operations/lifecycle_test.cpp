// The process lifecycle: restarts (graceful and crash) keep every acknowledged write, SIGTERM
// drains in-flight requests and refuses new connections, software-statement works while the
// server runs.
#include <curl/curl.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "api_test.hpp"
#include "json_text.hpp"
#include "ops_support.hpp"
#include "text.hpp"

namespace ssokit::testing {
namespace {

std::set<std::string> jwks_kids(const std::string& base_url) {
  std::set<std::string> kids;
  const HttpResponse jwks = send({"GET", base_url + "/.well-known/jwks.json", {}, std::nullopt});
  for (const std::string& key : jwks_keys(jwks.body)) kids.insert(json_string_member(key, "kid").value_or(""));
  return kids;
}

class LifecycleTest : public ApiTest {
 protected:
  // Acknowledged writes of every kind: sign-ins, a redemption, a live code, an unlink.
  void make_state() {
    phone_ = sign_in("life-phone", "life-user");
    const std::string first_code = create_link_code(phone_);
    const HttpResponse joined = redeem("life-tv", first_code);
    ASSERT_EQ(joined.status, 201) << joined.body;
    tv_ = {device_id("life-tv"), joined.json("serviceToken").value_or("")};
    tablet_ = sign_in("life-tablet", "life-user");
    const HttpResponse unlinked = unlink(phone_, devices_body({tablet_.device_id}));
    ASSERT_EQ(unlinked.status, 200) << unlinked.body;
    ASSERT_EQ(unlinked.json_strings("unlinkedDevices"), std::vector<std::string>{tablet_.device_id});
    live_code_ = create_link_code(phone_);
    ASSERT_FALSE(live_code_.empty());
    const HttpResponse list = call("GET", "/api/demo/list", token_headers(phone_));
    ASSERT_EQ(list.status, 200) << list.body;
    for (const std::string& id : list.json_keys("devices")) {
      devices_before_[id] = list.json("devices." + id + ".type").value_or("");
    }
    ASSERT_EQ(devices_before_.size(), 2u) << list.body;
    kids_before_ = jwks_kids(server().base_url());
  }

  void expect_state_survived() {
    // The old access token (the client) still works, and so do both old service tokens.
    const HttpResponse list = call("GET", "/api/demo/list", token_headers(phone_));
    ASSERT_EQ(list.status, 200) << list.body;
    std::map<std::string, std::string> devices_after;
    for (const std::string& id : list.json_keys("devices")) {
      devices_after[id] = list.json("devices." + id + ".type").value_or("");
    }
    EXPECT_EQ(devices_after, devices_before_) << list.body;
    const HttpResponse tv_list = call("GET", "/api/demo/list", token_headers(tv_));
    EXPECT_EQ(tv_list.status, 200) << tv_list.body;
    const HttpResponse refreshed = call("GET", "/api/demo/serviceToken", token_headers(phone_));
    EXPECT_EQ(refreshed.status, 200) << refreshed.body;
    // The unlink stuck.
    const HttpResponse tablet = call("GET", "/api/demo/list", token_headers(tablet_));
    EXPECT_EQ(tablet.status, 401) << tablet.body;
    EXPECT_EQ(tablet.json("error.code"), "device_unlinked") << tablet.body;
    // The keys are the same keys.
    EXPECT_EQ(jwks_kids(server().base_url()), kids_before_);
    // The live code still redeems, into the same profile.
    const HttpResponse joined = redeem("life-stb", live_code_);
    ASSERT_EQ(joined.status, 201) << joined.body;
    const HttpResponse after = call("GET", "/api/demo/list", token_headers(phone_));
    EXPECT_EQ(after.json("devices." + device_id("life-stb") + ".type"), "sso") << after.body;
  }

  SignedIn phone_;
  SignedIn tv_;
  SignedIn tablet_;
  std::string live_code_;
  std::map<std::string, std::string> devices_before_;
  std::set<std::string> kids_before_;
};

TEST_F(LifecycleTest, GracefulRestartOnTheSameDataKeepsEverything) {
  make_state();
  EXPECT_EQ(server().terminate(), 0) << server().stderr_text();
  restart_server();
  expect_state_survived();
}

TEST_F(LifecycleTest, CrashRightAfterAcknowledgedWritesLosesNothing) {
  make_state();
  server().kill_hard();
  restart_server();
  expect_state_survived();
}

TEST_F(LifecycleTest, SigtermDrainsAPartlyReceivedRequestAndRefusesNewConnections) {
  const SignedIn phone = sign_in("drain-phone", "drain-user");
  const std::string code = create_link_code(phone);
  ASSERT_EQ(redeem("drain-tv", code).status, 201);
  const std::string tv_id = device_id("drain-tv");
  const int port = ops::port_of(server().base_url());

  // The header of an unlink, with Expect: 100-continue so that we know the server has read it
  // before we send the signal; the body follows after the signal.
  const std::string body = "{\"devices\":[\"" + tv_id + "\"]}";
  ops::RawConnection connection(port);
  connection.send_all("POST /api/demo/unlink HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + access_token() +
                      "\r\nAP-Device-Identifier: fingerprint " + phone.device_id +
                      "\r\nAD-Service-Token: " + phone.service_token +
                      "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                      "\r\nExpect: 100-continue\r\n\r\n");
  const std::string interim = connection.read_until("\r\n\r\n", std::chrono::milliseconds(5000));
  ASSERT_EQ(interim.rfind("HTTP/1.1 100", 0), 0u) << interim;

  ASSERT_EQ(::kill(server().pid(), SIGTERM), 0);
  // New connections are refused once the signal is handled.
  bool refused = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!refused && std::chrono::steady_clock::now() < deadline) {
    refused = ops::connect_refused(port);
    if (!refused) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(refused) << "new connections still accepted after SIGTERM";

  // The in-flight request completes with a full answer.
  connection.send_all(body);
  EXPECT_TRUE(connection.read_to_eof(std::chrono::milliseconds(8000))) << "connection not closed after the answer";
  const std::string raw = connection.received().substr(interim.size());
  const ops::RawResponse response = ops::parse_raw_response(raw);
  ASSERT_TRUE(response.complete) << raw;
  EXPECT_EQ(response.status, 200) << raw;
  EXPECT_EQ(as_json(response.body).json_strings("unlinkedDevices"), std::vector<std::string>{tv_id}) << response.body;
  EXPECT_EQ(to_lower(response.header("connection")), "close") << raw;

  EXPECT_EQ(server().terminate(), 0) << server().stderr_text();

  // The acknowledged unlink is on disk.
  restart_server();
  const HttpResponse list = call("GET", "/api/demo/list", token_headers(phone));
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_FALSE(list.has_json("devices." + tv_id)) << list.body;
}

// ---- SIGTERM under load -------------------------------------------------------------------

struct Attempt {
  CURLcode code = CURLE_OK;
  long status = 0;
  std::string body;
  std::string device;
  std::chrono::steady_clock::time_point started;
  std::chrono::steady_clock::time_point finished;
};

Attempt sign_in_attempt(const std::string& base_url, const std::string& access_token, const std::string& device) {
  Attempt attempt;
  attempt.device = device;
  attempt.started = std::chrono::steady_clock::now();
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  curl_slist* headers = nullptr;
  const std::string auth = "Authorization: Bearer " + access_token;
  const std::string fingerprint = "AP-Device-Identifier: fingerprint " + device;
  headers = curl_slist_append(headers, auth.c_str());
  headers = curl_slist_append(headers, fingerprint.c_str());
  // One profile each: a crowd in one profile would meet --max-devices.
  const std::string sso_id = "X-SSO-ID: crowd-user-" + device;
  headers = curl_slist_append(headers, sso_id.c_str());
  const std::string url = base_url + "/api/demo/serviceToken";
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_POST, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, "");
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE, 0L);
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, 15000L);
  curl_easy_setopt(curl.get(), CURLOPT_FORBID_REUSE, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, append_to_string);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &attempt.body);
  attempt.code = curl_easy_perform(curl.get());
  curl_slist_free_all(headers);
  if (attempt.code == CURLE_OK) curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &attempt.status);
  attempt.finished = std::chrono::steady_clock::now();
  return attempt;
}

TEST_F(LifecycleTest, SigtermUnderConcurrentLoadAnswersCompletelyAndExitsZero) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  const std::string base = server().base_url();
  const std::string token = access_token();
  constexpr int kThreads = 6;
  std::atomic<bool> signalled{false};
  std::mutex mutex;
  std::vector<Attempt> attempts;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
      for (int i = 0; std::chrono::steady_clock::now() < give_up; ++i) {
        Attempt attempt = sign_in_attempt(base, token, base64("crowd-" + std::to_string(t) + "-" + std::to_string(i)));
        const bool failed = attempt.code != CURLE_OK;
        {
          std::lock_guard<std::mutex> lock(mutex);
          attempts.push_back(std::move(attempt));
        }
        if (failed && signalled.load()) break;  // the server is gone: stop
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  signalled = true;
  const auto signal_time = std::chrono::steady_clock::now();
  ASSERT_EQ(::kill(server().pid(), SIGTERM), 0);
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(server().terminate(), 0) << server().stderr_text();

  std::set<std::string> acknowledged;
  int refused = 0;
  int straddling = 0;  // started before the signal, answered after it
  for (const Attempt& attempt : attempts) {
    if (attempt.code == CURLE_OK && attempt.started < signal_time && attempt.finished > signal_time) ++straddling;
  }
  RecordProperty("answered_across_sigterm", straddling);
  RecordProperty("attempts", static_cast<int>(attempts.size()));
  for (const Attempt& attempt : attempts) {
    if (attempt.code == CURLE_OK) {
      // Every answer that came is a complete, successful one.
      EXPECT_EQ(attempt.status, 201) << attempt.body;
      const HttpResponse response = as_json(attempt.body);
      EXPECT_EQ(response.json("status"), "CREATED") << attempt.body;
      EXPECT_FALSE(response.json("serviceToken").value_or("").empty()) << attempt.body;
      if (attempt.status == 201) acknowledged.insert(attempt.device);
    } else {
      ++refused;
      // No answer at all (connection refused or dropped before the request was read) is fine;
      // a partial or garbled answer is not.
      EXPECT_TRUE(attempt.code == CURLE_COULDNT_CONNECT || attempt.code == CURLE_GOT_NOTHING ||
                  attempt.code == CURLE_RECV_ERROR || attempt.code == CURLE_SEND_ERROR)
          << "curl error " << attempt.code << ": " << curl_easy_strerror(attempt.code);
    }
  }
  EXPECT_GT(acknowledged.size(), 0u);
  EXPECT_GE(refused, kThreads) << "every thread should have met the closed server";

  // No acknowledged sign-in is lost: after a restart, each device's token still works and
  // its profile lists it.
  restart_server();
  for (const Attempt& attempt : attempts) {
    if (acknowledged.count(attempt.device) == 0) continue;
    const std::string service_token = as_json(attempt.body).json("serviceToken").value_or("");
    const HttpResponse list = call("GET", "/api/demo/list", token_headers({attempt.device, service_token}));
    ASSERT_EQ(list.status, 200) << "acknowledged device " << attempt.device << " lost: " << list.body;
    EXPECT_EQ(list.json_keys("devices"), std::vector<std::string>{attempt.device});
  }
}

TEST_F(LifecycleTest, SoftwareStatementWhileRunningMakesANewServiceProviderWorkAtOnce) {
  const HttpResponse before = call("POST", "/api/fresh-sp/serviceToken",
                                   {{"AP-Device-Identifier", fingerprint("fresh-phone")}, {"X-SSO-ID", "fresh"}});
  EXPECT_TRUE(before.status == 400 || before.status == 401) << before.status << " " << before.body;

  // software-statement on the same --data while the server runs.
  const std::string fresh_token = new_access_token("fresh-sp");
  ASSERT_FALSE(fresh_token.empty());
  const HttpResponse created = call("POST", "/api/fresh-sp/serviceToken",
                                    {{"Authorization", "Bearer " + fresh_token},
                                     {"AP-Device-Identifier", fingerprint("fresh-phone")},
                                     {"X-SSO-ID", "fresh"}});
  ASSERT_EQ(created.status, 201) << created.body;
  const HttpResponse list = call("GET", "/api/fresh-sp/list",
                                 {{"Authorization", "Bearer " + fresh_token},
                                  {"AP-Device-Identifier", fingerprint("fresh-phone")},
                                  {"AD-Service-Token", created.json("serviceToken").value_or("")}});
  EXPECT_EQ(list.status, 200) << list.body;
  EXPECT_TRUE(list.has_json("devices." + device_id("fresh-phone"))) << list.body;
  // The demo client is not valid for the new service provider.
  const HttpResponse cross = call("GET", "/api/fresh-sp/list",
                                  {{"AP-Device-Identifier", fingerprint("fresh-phone")},
                                   {"AD-Service-Token", created.json("serviceToken").value_or("")}});
  EXPECT_EQ(cross.status, 401) << cross.body;
  EXPECT_EQ(cross.json("error.code"), "invalid_access_token_service_provider") << cross.body;
}

}  // namespace
}  // namespace ssokit::testing
