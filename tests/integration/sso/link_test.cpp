// SPEC §2: POST /api/{sp}/link and redemption with X-SSO-LINK (single use, no oracle,
// per-profile cap, per-SP codes, concurrency, configurable format).
#include <map>
#include <string>
#include <thread>

#include "clock.hpp"
#include "json_text.hpp"
#include "jwt.hpp"
#include "sso_helpers.hpp"
#include "text.hpp"

namespace ssokit::testing::sso {
namespace {

using LinkTest = SsoTest;

TEST_F(LinkTest, CreatedBodyHasSixDigitCodeAndTenMinuteWindow) {
  const SignedIn phone = sign_in("phone", "alice");
  const HttpResponse response = link(phone);
  ASSERT_EQ(response.status, 201) << response.body;
  EXPECT_EQ(response.json("status"), "CREATED");
  EXPECT_EQ(json_type(response.body, "code"), "string");
  const std::string code = response.json("code").value_or("");
  EXPECT_EQ(code.size(), 6u) << code;
  EXPECT_EQ(code.find_first_not_of("0123456789"), std::string::npos) << code;
  EXPECT_EQ(json_type(response.body, "notBefore"), "integer");
  EXPECT_EQ(json_type(response.body, "notAfter"), "integer");
  const double not_before = json_number(response.body, "notBefore").value_or(0);
  EXPECT_EQ(json_number(response.body, "notAfter").value_or(0) - not_before, 600.0 * 1000);
  EXPECT_NEAR(not_before, static_cast<double>(now_ms()), 5000.0);
  EXPECT_FALSE(response.has_json("error"));
  EXPECT_EQ(response.header("cache-control"), "no-store");
}

TEST_F(LinkTest, RedeemedCodeJoinsTheProfileAsSsoDeviceAndIsSingleUse) {
  const SignedIn phone = sign_in("phone", "alice");
  const std::string code = create_link_code(phone);

  const HttpResponse joined = redeem("tv", code);
  ASSERT_EQ(joined.status, 201) << joined.body;
  EXPECT_EQ(joined.json("status"), "CREATED");
  EXPECT_EQ(joined.header("cache-control"), "no-store");
  const HttpResponse claims = as_json(jwt_payload_json(joined.json("serviceToken").value_or("")));
  EXPECT_EQ(claims.json("sub"), sub_of(phone.service_token));
  EXPECT_EQ(claims.json("did"), device_id("tv"));
  EXPECT_EQ(list(phone).json("devices." + device_id("tv") + ".type"), "sso");

  // Single use: neither another device nor the same one can use it again.
  const HttpResponse again = redeem("tablet", code);
  expect_error(again, 400, "link_code_invalid", "get_new_link_code");
  expect_error(redeem("tv", code), 400, "link_code_invalid", "get_new_link_code");
  EXPECT_EQ(list(phone).json_keys("devices").size(), 2u);
}

TEST_F(LinkTest, UnknownAndUsedCodesAnswerTheSame) {
  const SignedIn phone = sign_in("phone", "alice");
  const std::string code = create_link_code(phone);
  join("tv", code);
  const HttpResponse used = redeem("tablet", code);
  // An unknown code (any live one differs from it with overwhelming odds; make sure).
  std::string unknown = code == "000000" ? "000001" : "000000";
  const HttpResponse missing = redeem("tablet", unknown);
  expect_error(used, 400, "link_code_invalid", "get_new_link_code");
  expect_error(missing, 400, "link_code_invalid", "get_new_link_code");
  EXPECT_EQ(used.json("error.message"), missing.json("error.message"));
  // Not even the shape of the input shows: a non-digit code answers the same.
  const HttpResponse nonsense = redeem("tablet", "not-a-code");
  expect_error(nonsense, 400, "link_code_invalid", "get_new_link_code");
  EXPECT_EQ(nonsense.json("error.message"), missing.json("error.message"));
}

TEST_F(LinkTest, CodeOfOneServiceProviderDoesNotRedeemInAnother) {
  const std::string other_access = new_access_token("other");
  const SignedIn phone = sign_in("phone", "alice");
  const std::string code = create_link_code(phone);
  const HttpResponse elsewhere = call("POST", "/api/other/serviceToken",
                                      {{"Authorization", "Bearer " + other_access},
                                       {"AP-Device-Identifier", fingerprint("tv")},
                                       {"X-SSO-LINK", code}});
  expect_error(elsewhere, 400, "link_code_invalid", "get_new_link_code");
  // Not consumed: it still works where it was made.
  const SignedIn tv = join("tv", code);
  EXPECT_EQ(as_json(jwt_payload_json(tv.service_token)).json("aud"), "demo");
}

TEST_F(LinkTest, EachCodeIsBoundToTheProfileThatMadeIt) {
  const SignedIn alice = sign_in("phone", "alice");
  const SignedIn bob = sign_in("bob-phone", "bob");
  const std::string alice_code = create_link_code(alice);
  const std::string bob_code = create_link_code(bob);
  const SignedIn tv1 = join("tv1", alice_code);
  const SignedIn tv2 = join("tv2", bob_code);
  EXPECT_EQ(sub_of(tv1.service_token), sub_of(alice.service_token));
  EXPECT_EQ(sub_of(tv2.service_token), sub_of(bob.service_token));
  EXPECT_NE(sub_of(tv1.service_token), sub_of(tv2.service_token));
}

TEST_F(LinkTest, ConcurrentRedemptionsOfOneCodeHaveExactlyOneWinner) {
  const SignedIn phone = sign_in("phone", "alice");
  const std::string base_url = server().base_url();
  for (int round = 0; round < 10; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    const std::string code = create_link_code(phone);
    HttpResponse results[2];
    std::thread racers[2];
    for (int i = 0; i < 2; ++i) {
      const std::string device = "racer-" + std::to_string(round) + (i == 0 ? "-a" : "-b");
      racers[i] = std::thread([&, i, device] {
        results[i] = send({"POST", base_url + "/api/demo/serviceToken",
                           {{"Authorization", "Bearer " + access_token()},
                            {"AP-Device-Identifier", fingerprint(device)},
                            {"X-SSO-LINK", code}},
                           std::nullopt});
      });
    }
    for (std::thread& racer : racers) racer.join();
    const int winners = (results[0].status == 201 ? 1 : 0) + (results[1].status == 201 ? 1 : 0);
    ASSERT_EQ(winners, 1) << results[0].body << " / " << results[1].body;
    const HttpResponse& loser = results[0].status == 201 ? results[1] : results[0];
    expect_error(loser, 400, "link_code_invalid", "get_new_link_code");
  }
  // The phone plus one winner per round.
  EXPECT_EQ(list(phone).json_keys("devices").size(), 11u);
}

class LiveCodeCapTest : public SsoTest {
  std::vector<std::string> extra_args() const override { return {"--max-live-codes", "2"}; }
};

TEST_F(LiveCodeCapTest, ThirdCodeRetiresTheOldest) {
  const SignedIn phone = sign_in("phone", "alice");
  const std::string first = create_link_code(phone);
  const std::string second = create_link_code(phone);
  const std::string third = create_link_code(phone);
  ASSERT_NE(first, second);
  ASSERT_NE(first, third);
  expect_error(redeem("tv1", first), 400, "link_code_invalid", "get_new_link_code");
  EXPECT_EQ(redeem("tv2", second).status, 201);
  EXPECT_EQ(redeem("tv3", third).status, 201);
}

TEST_F(LiveCodeCapTest, CapIsPerProfile) {
  const SignedIn alice = sign_in("phone", "alice");
  const SignedIn bob = sign_in("bob-phone", "bob");
  const std::string alice_first = create_link_code(alice);
  create_link_code(bob);
  create_link_code(bob);
  create_link_code(bob);
  // Bob's codes do not push out Alice's.
  EXPECT_EQ(redeem("tv", alice_first).status, 201);
}

class ShortCodeTtlTest : public SsoTest {
  std::vector<std::string> extra_args() const override { return {"--link-code-ttl", "1"}; }
};

TEST_F(ShortCodeTtlTest, ExpiredCodeIsLinkCodeInvalidWithTheSameMessage) {
  const SignedIn phone = sign_in("phone", "alice");
  const HttpResponse created = link(phone);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string code = created.json("code").value_or("");
  const auto not_after = static_cast<std::int64_t>(json_number(created.body, "notAfter").value_or(0));
  EXPECT_EQ(not_after - static_cast<std::int64_t>(json_number(created.body, "notBefore").value_or(0)), 1000);
  sleep_until_ms(not_after + 30);

  const HttpResponse expired = redeem("tv", code);
  expect_error(expired, 400, "link_code_invalid", "get_new_link_code");
  const HttpResponse unknown = redeem("tv", code == "000000" ? "000001" : "000000");
  expect_error(unknown, 400, "link_code_invalid", "get_new_link_code");
  EXPECT_EQ(expired.json("error.message"), unknown.json("error.message"));
}

class Base20CodeTest : public SsoTest {
  std::vector<std::string> extra_args() const override { return {"--link-code-format", "base20:8"}; }
};

TEST_F(Base20CodeTest, EightLettersOfTheRfc8628AlphabetAndLowercaseRedeems) {
  const SignedIn phone = sign_in("phone", "alice");
  const std::string code = create_link_code(phone);
  EXPECT_EQ(code.size(), 8u) << code;
  EXPECT_EQ(code.find_first_not_of("BCDFGHJKLMNPQRSTVWXZ"), std::string::npos) << code;
  const SignedIn tv = join("tv", to_lower(code));
  EXPECT_EQ(sub_of(tv.service_token), sub_of(phone.service_token));
  // And it was the one use.
  expect_error(redeem("tablet", code), 400, "link_code_invalid", "get_new_link_code");
}

class FourDigitCodeTest : public SsoTest {
  std::vector<std::string> extra_args() const override { return {"--link-code-format", "digits:4"}; }
};

TEST_F(FourDigitCodeTest, LiveCodesAreUniqueAcrossProfiles) {
  // 300 live codes in a space of 10,000: about four collisions are expected if the server
  // did not redraw; every live code must be distinct and redeem into its own profile.
  std::map<std::string, std::string> owner;  // code -> the sub of the profile that made it
  for (int p = 0; p < 60; ++p) {
    const SignedIn device = sign_in("phone-" + std::to_string(p), "user-" + std::to_string(p));
    const std::string profile = sub_of(device.service_token);
    for (int c = 0; c < 5; ++c) {
      const std::string code = create_link_code(device);
      ASSERT_EQ(code.size(), 4u) << code;
      ASSERT_EQ(code.find_first_not_of("0123456789"), std::string::npos) << code;
      const auto [it, fresh] = owner.emplace(code, profile);
      EXPECT_TRUE(fresh) << "code " << code << " issued to " << it->second << " and " << profile;
    }
  }
  int n = 0;
  for (const auto& [code, profile] : owner) {
    if (n++ % 10 != 0) continue;  // a sample is enough to see codes land in their profile
    const SignedIn tv = join("tv-" + code, code);
    EXPECT_EQ(sub_of(tv.service_token), profile) << code;
  }
}

class StoredCodeTest : public SsoTest {
  std::vector<std::string> extra_args() const override { return {"--link-code-format", "base20:8"}; }
};

TEST_F(StoredCodeTest, DatabaseDumpRevealsNoLiveCode) {
  const SignedIn phone = sign_in("phone", "alice");
  const std::string code = create_link_code(phone);
  ASSERT_EQ(code.size(), 8u);
  const std::optional<std::string> dumped = dump_store(data_dir());
  ASSERT_TRUE(dumped) << "cannot dump the store (scripts/deps.sh installs sqlite3 and PostgreSQL)";
  const std::string& dump = *dumped;
  ASSERT_NE(dump.find("CREATE TABLE"), std::string::npos) << dump;
  ASSERT_NE(dump.find("link_codes"), std::string::npos);
  const std::string lower = to_lower(code);
  EXPECT_EQ(dump.find(code), std::string::npos) << "live code " << code << " stored in clear";
  EXPECT_EQ(dump.find(lower), std::string::npos) << "live code " << code << " stored in clear";
  // The code is live all the same.
  EXPECT_EQ(redeem("tv", code).status, 201);
}

}  // namespace
}  // namespace ssokit::testing::sso
