// SPEC §4 "Scale-out on PostgreSQL": several instances on one database behave as one server.
// Two real ssokit-server processes share one PostgreSQL store (the pepper copied from the
// first one's --data folder, as an operator would), and every sentence of the SPEC is
// checked through them: a code made on one redeems on the other, an unlink through one
// refuses the next call on the other, failures and a device's calls (the throttle) spread
// over both are counted together, a rotated key is honoured and used by both, a service
// provider created while both run works on both, and an instance with a different pepper
// refuses to start.
#include <sys/stat.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "api_test.hpp"
#include "files.hpp"
#include "json_text.hpp"
#include "jwt.hpp"
#include "minted_tokens.hpp"

namespace ssokit::testing {
namespace {

std::string kid_of(const std::string& token) { return as_json(jwt_header_json(token)).json("kid").value_or(""); }

class TwoInstancesTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();  // instance A: server(), on the data folder's PostgreSQL schema
    store_url_ = store_url_for(data_dir());
    second_ = start_another_instance(server(), data_dir() + "-b", server_args());
  }
  void TearDown() override {
    second_.reset();
    ApiTest::TearDown();
  }

  const std::string& a() { return server().base_url(); }
  const std::string& b() { return second_->base_url(); }

  std::string store_url_;
  std::unique_ptr<ServerProcess> second_;
};

TEST_F(TwoInstancesTest, ACodeMadeOnOneRedeemsOnTheOther) {
  route_calls_to(a());
  const SignedIn phone = sign_in("phone", "alice");
  const std::string code = create_link_code(phone);
  route_calls_to(b());
  const SignedIn tv = join("tv", code);
  // Single use across instances: the same code is spent on A too.
  route_calls_to(a());
  EXPECT_EQ(redeem("tablet", code).status, 400);
  // Both instances list the same two devices.
  for (const std::string& instance : {a(), b()}) {
    route_calls_to(instance);
    const HttpResponse listed = call("GET", path("list"), token_headers(tv));
    ASSERT_EQ(listed.status, 200) << listed.body;
    EXPECT_NE(listed.body.find(phone.device_id), std::string::npos) << listed.body;
    EXPECT_NE(listed.body.find(tv.device_id), std::string::npos) << listed.body;
  }
}

TEST_F(TwoInstancesTest, AnUnlinkOnOneRefusesTheNextCallOnTheOther) {
  route_calls_to(a());
  const SignedIn phone = sign_in("phone", "alice");
  route_calls_to(b());
  const SignedIn tv = join("tv", create_link_code(phone));
  EXPECT_EQ(call("GET", path("list"), token_headers(tv)).status, 200);  // B knows the TV
  route_calls_to(a());
  ASSERT_EQ(unlink(phone, devices_body({tv.device_id})).status, 200);
  route_calls_to(b());
  for (const char* tail : {"list", "serviceToken"}) {
    const HttpResponse refused = call("GET", path(tail), token_headers(tv));
    EXPECT_EQ(refused.status, 401) << tail << ": " << refused.body;
    EXPECT_EQ(refused.json("error.code"), "device_unlinked") << refused.body;
  }
}

class SharedFailuresTest : public TwoInstancesTest {
  std::vector<std::string> extra_args() const override { return {"--redeem-failures", "5/600"}; }
};

TEST_F(SharedFailuresTest, FiveFailedGuessesSpreadOverBothAreFive) {
  route_calls_to(a());
  const SignedIn phone = sign_in("phone", "alice");
  const std::string code = create_link_code(phone);
  const std::string wrong = code == "000000" ? "111111" : "000000";
  // Three on A and two on B: five in all, the limit.
  for (int i = 0; i < 5; ++i) {
    route_calls_to(i % 2 == 0 ? a() : b());
    const HttpResponse failed = redeem("guesser", wrong);
    ASSERT_EQ(failed.status, 400) << "guess " << i << ": " << failed.body;
  }
  // The sixth is refused on either instance, even with the right code.
  for (const std::string& instance : {a(), b()}) {
    route_calls_to(instance);
    const HttpResponse limited = redeem("guesser", code);
    EXPECT_EQ(limited.status, 429) << limited.body;
    EXPECT_EQ(limited.json("error.code"), "too_many_attempts") << limited.body;
    EXPECT_FALSE(limited.header("retry-after").empty());
  }
}

class SharedThrottleTest : public TwoInstancesTest {
  // Three calls at once, then one a second (the calls below take well under a second).
  std::vector<std::string> extra_args() const override { return {"--device-rate", "3/1"}; }
};

TEST_F(SharedThrottleTest, ADevicesCallsSpreadOverBothCountTogether) {
  route_calls_to(a());
  const SignedIn phone = sign_in("phone", "alice");  // 1, on A
  route_calls_to(b());
  ASSERT_EQ(call("GET", path("list"), token_headers(phone)).status, 200);  // 2, on B
  route_calls_to(a());
  ASSERT_EQ(call("GET", path("list"), token_headers(phone)).status, 200);  // 3, on A
  // The fourth is refused on either instance.
  for (const std::string& instance : {b(), a()}) {
    route_calls_to(instance);
    const HttpResponse limited = call("GET", path("list"), token_headers(phone));
    EXPECT_EQ(limited.status, 429) << instance << ": " << limited.body;
    EXPECT_EQ(limited.json("error.code"), "too_many_requests") << limited.body;
  }
}

TEST_F(TwoInstancesTest, AKeyRotatedWhileBothRunIsHonouredAndUsedByBoth) {
  route_calls_to(a());
  const SignedIn phone = sign_in("phone", "alice");
  const std::string old_kid = kid_of(phone.service_token);
  ASSERT_FALSE(old_kid.empty());

  const CommandResult rotated = run_server_command(
      {"rotate-keys", "--data", data_dir(), "--store", store_url_, "--purpose", "service-token"},
      std::chrono::seconds(30));
  ASSERT_EQ(rotated.exit_code, 0) << rotated.err;
  const std::optional<ServiceTokenKey> key = read_service_token_key(data_dir());
  ASSERT_TRUE(key);
  ASSERT_NE(key->kid, old_kid);
  ASSERT_NE(rotated.out.find(key->kid), std::string::npos) << rotated.out;

  // A token signed with the new key (the phone's own claims, re-signed), as the first
  // instance to pick the key up would issue it: both honour it. An unknown kid makes an
  // instance re-read the keys at most every 5 s, so allow a few seconds.
  const std::string payload = jwt_payload_json(phone.service_token);
  const SignedIn rotated_phone{phone.device_id, mint(*key, payload)};
  int signed_in = 0;
  for (const std::string& instance : {a(), b()}) {
    route_calls_to(instance);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    HttpResponse listed = call("GET", path("list"), token_headers(rotated_phone));
    while (listed.status != 200 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
      listed = call("GET", path("list"), token_headers(rotated_phone));
    }
    EXPECT_EQ(listed.status, 200) << instance << ": " << listed.body;
    // Having read the new key, the instance signs with it; the old tokens keep working.
    EXPECT_EQ(kid_of(sign_in("tv-" + std::to_string(++signed_in), "alice").service_token), key->kid) << instance;
    EXPECT_EQ(call("GET", path("list"), token_headers(phone)).status, 200) << instance;
  }
}

TEST_F(TwoInstancesTest, AServiceProviderCreatedWhileBothRunWorksOnBoth) {
  // Before it exists, both instances say so (and must not remember that answer).
  for (const std::string& instance : {a(), b()}) {
    route_calls_to(instance);
    const HttpResponse unknown =
        call("POST", "/api/late-sp/serviceToken", {{"AP-Device-Identifier", fingerprint("early")}, {"X-SSO-ID", "a"}});
    EXPECT_EQ(unknown.status, 400) << unknown.body;
    EXPECT_EQ(unknown.json("error.code"), "invalid_parameter_service_provider") << unknown.body;
  }
  // `software-statement --store` on the shared database, while both instances serve.
  const CommandResult made = run_server_command(
      {"software-statement", "--data", data_dir(), "--store", store_url_, "--service-provider", "late-sp"},
      std::chrono::seconds(30));
  ASSERT_EQ(made.exit_code, 0) << made.err;
  std::string statement = made.out;
  while (!statement.empty() && statement.back() == '\n') statement.pop_back();

  sp_ = "late-sp";
  for (const std::string& instance : {a(), b()}) {
    route_calls_to(instance);
    const HttpResponse registered =
        send({"POST", instance + "/o/client/register", {{"Content-Type", "application/json"}},
              "{\"software_statement\":\"" + statement + "\"}"});
    ASSERT_EQ(registered.status, 201) << instance << ": " << registered.body;
    const HttpResponse token = request_access_token(registered);
    ASSERT_EQ(token.status, 201) << token.body;
    // The access token of one instance signs a device in through the other.
    route_calls_to(instance == a() ? b() : a());
    const HttpResponse signed_in =
        call("POST", path("serviceToken"),
             {{"Authorization", "Bearer " + token.json("access_token").value_or("")},
              {"AP-Device-Identifier", fingerprint("phone-" + std::to_string(instance == a()))},
              {"X-SSO-ID", "alice"}});
    EXPECT_EQ(signed_in.status, 201) << signed_in.body;
  }
}

TEST_F(TwoInstancesTest, AnInstanceWithADifferentPepperRefusesToStart) {
  const std::string other = data_dir() + "-other";
  ASSERT_EQ(::mkdir(other.c_str(), 0700), 0);
  const std::string pepper = other + "/link-code-pepper";
  write_file(pepper, std::string(64, 'e') + "\n");
  ASSERT_EQ(::chmod(pepper.c_str(), 0600), 0);
  const CommandResult refused = run_server_command(
      {"serve", "--data", other, "--listen", "127.0.0.1:0", "--store", store_url_}, std::chrono::seconds(30));
  EXPECT_FALSE(refused.timed_out) << "an instance with another pepper started";
  EXPECT_EQ(refused.exit_code, 1) << refused.err;
  EXPECT_NE(refused.err.find("does not match the pepper"), std::string::npos) << refused.err;
  EXPECT_EQ(refused.err.find(std::string(64, 'e')), std::string::npos) << "the pepper leaked into the error";
  // Those that match keep serving.
  route_calls_to(b());
  EXPECT_EQ(sign_in("phone", "alice").service_token.empty(), false);
}

}  // namespace
}  // namespace ssokit::testing
