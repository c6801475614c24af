// Platform identity (SPEC §3 and the POST serviceToken decisions of §2): Roku-style connect
// tokens in X-Roku-Reserved-Roku-Connect-Token, as JWS (RS256 / ES256) or as JWE (RSA-OAEP /
// ECDH-ES, A256GCM) nesting such a JWS. Unusable tokens are ignored as if absent, and counted.
#include <algorithm>
#include <memory>
#include <sstream>

#include "api_test.hpp"
#include "clock.hpp"
#include "files.hpp"
#include "jose/jwe.hpp"
#include "jose/jwk.hpp"
#include "jose/jws.hpp"
#include "json_text.hpp"
#include "jwt.hpp"
#include "metrics_text.hpp"
#include "text.hpp"

namespace ssokit::testing {
namespace {

constexpr const char* kPlatformHeader = "X-Roku-Reserved-Roku-Connect-Token";

// Issuer keys are made once per test program: RSA generation is the slow part.
const jose::Jwk& roku_key() {
  static const jose::Jwk key = jose::Jwk::generate_rsa(2048);
  return key;
}
const jose::Jwk& tizen_key() {
  static const jose::Jwk key = jose::Jwk::generate_ec_p256();
  return key;
}

// The first key of a JWKS document with this "use" and "alg", as JSON text.
std::optional<std::string> jwks_key(const std::string& jwks, const std::string& use, const std::string& alg) {
  for (const std::string& key : jwks_keys(jwks)) {
    if (json_string_member(key, "use") == use && json_string_member(key, "alg") == alg) return key;
  }
  return std::nullopt;
}

std::string claims(const std::string& iss, const std::string& sub, long long exp,
                   const std::optional<std::string>& aud = std::nullopt) {
  std::string json = "{\"iss\":\"" + iss + "\",\"sub\":\"" + sub + "\",\"iat\":" + std::to_string(now_seconds()) +
                     ",\"exp\":" + std::to_string(exp);
  if (aud) json += ",\"aud\":\"" + *aud + "\"";
  return json + "}";
}

std::string sign(const std::string& payload, const jose::Jwk& key, const std::string& alg) {
  jose::SignOptions options;
  options.alg = alg;
  options.typ = "JWT";
  return jose::sign_compact(payload, key, options);
}

std::string roku_token(const std::string& sub, const std::optional<std::string>& aud = std::nullopt) {
  return sign(claims("roku", sub, now_seconds() + 600, aud), roku_key(), "RS256");
}

class PlatformIdentityTest : public ApiTest {
 protected:
  void SetUp() override {
    keys_ = std::make_unique<TempDir>();
    roku_pem_ = keys_->path() + "/roku-rsa.pem";
    tizen_pem_ = keys_->path() + "/tizen-ec.pem";
    write_file(roku_pem_, roku_key().to_public_pem().value_or(""));
    write_file(tizen_pem_, tizen_key().to_public_pem().value_or(""));
    ApiTest::SetUp();
  }

  std::vector<std::string> extra_args() const override {
    return {"--platform-issuer", "roku=" + roku_pem_, "--platform-issuer", "tizen=" + tizen_pem_};
  }

  // POST serviceToken from `device` with the platform token (and nothing else naming an id).
  HttpResponse post_platform(const std::string& device, const std::string& token, Headers extra = {}) {
    extra.emplace_back("AP-Device-Identifier", fingerprint(device));
    extra.emplace_back(kPlatformHeader, token);
    return call("POST", "/api/demo/serviceToken", extra);
  }

  // The `sub` of the service token a 201 answer carries: the profile's opaque pseudonym.
  static std::string subject_of(const HttpResponse& response) {
    return as_json(jwt_payload_json(response.json("serviceToken").value_or(""))).json("sub").value_or("<no sub>");
  }
  // The profile a token's platform account names, as another device signing in with a
  // token of that account sees it.
  std::string account_subject(const std::string& token) {
    const HttpResponse witness = post_platform("witness-" + std::to_string(++witnesses_), token);
    EXPECT_EQ(witness.status, 201) << witness.body;
    return subject_of(witness);
  }
  // The profile of `device`'s own device id: what a sign-in with no source at all gives it
  // (and so what an ignored platform token gives it).
  std::string device_subject(const std::string& device) {
    return subject_of(call("POST", "/api/demo/serviceToken", {{"AP-Device-Identifier", fingerprint(device)}}));
  }

  long long rejected(const std::string& reason) {
    const HttpResponse metrics = send({"GET", server().base_url() + "/metrics", {}, std::nullopt});
    EXPECT_EQ(metrics.status, 200);
    return static_cast<long long>(
        metric_value(metrics.body, "ssokit_platform_identity_rejected_total{reason=\"" + reason + "\"}").value_or(0));
  }

  // All rejections, whatever the reason.
  long long total_rejected() {
    const HttpResponse metrics = send({"GET", server().base_url() + "/metrics", {}, std::nullopt});
    EXPECT_EQ(metrics.status, 200);
    return static_cast<long long>(metric_sum(metrics.body, "ssokit_platform_identity_rejected_total{"));
  }

  // The token must be ignored as if absent: 201 with the device id as common id, and one
  // more rejection counted under `reason` (the log is checked in RejectionIsLoggedWithItsReason).
  void expect_ignored(const std::string& token, const std::string& reason) {
    const long long before = rejected(reason);
    const std::string device = "roku-tv-" + reason;
    const HttpResponse response = post_platform(device, token);
    ASSERT_EQ(response.status, 201) << response.body;
    EXPECT_EQ(subject_of(response), device_subject(device)) << "token: " << token;
    EXPECT_EQ(rejected(reason), before + 1) << "reason " << reason << " not counted for token " << token;
  }

  std::string jwks() {
    const HttpResponse response = send({"GET", server().base_url() + "/.well-known/jwks.json", {}, std::nullopt});
    EXPECT_EQ(response.status, 200) << response.body;
    return response.body;
  }

  std::unique_ptr<TempDir> keys_;
  std::string roku_pem_;
  std::string tizen_pem_;
  int witnesses_ = 0;
};

// ---------------------------------------------------------------------------------------
// Accepted tokens

TEST_F(PlatformIdentityTest, Rs256ConnectTokenMakesThePlatformAccountTheCommonId) {
  const HttpResponse response = post_platform("roku-tv", roku_token("acct-1"));
  ASSERT_EQ(response.status, 201) << response.body;
  EXPECT_EQ(response.json("status"), "CREATED");
  const HttpResponse payload = as_json(jwt_payload_json(response.json("serviceToken").value_or("")));
  EXPECT_EQ(payload.json("sub"), account_subject(roku_token("acct-1")));
  EXPECT_NE(payload.json("sub"), "roku:acct-1");  // a pseudonym, not the account
  EXPECT_EQ(payload.json("did"), device_id("roku-tv"));
  EXPECT_EQ(payload.json("aud"), "demo");
  EXPECT_EQ(rejected("untrusted_issuer") + rejected("bad_signature") + rejected("malformed"), 0);
}

TEST_F(PlatformIdentityTest, Es256ConnectTokenWithAudienceIsAccepted) {
  const std::string token = sign(claims("tizen", "acct-2", now_seconds() + 600, std::string("demo")), tizen_key(),
                                 "ES256");
  const HttpResponse response = post_platform("samsung-tv", token);
  ASSERT_EQ(response.status, 201) << response.body;
  EXPECT_EQ(subject_of(response), account_subject(token));
}

TEST_F(PlatformIdentityTest, RokuTokenWithAudienceIsAccepted) {
  const HttpResponse response = post_platform("roku-tv", roku_token("acct-3", std::string("demo")));
  ASSERT_EQ(response.status, 201) << response.body;
  EXPECT_EQ(subject_of(response), account_subject(roku_token("acct-3", std::string("demo"))));
}

TEST_F(PlatformIdentityTest, TwoDevicesOfOnePlatformAccountShareAProfile) {
  const HttpResponse living_room = post_platform("roku-living-room", roku_token("family"));
  const HttpResponse bedroom = post_platform("roku-bedroom", roku_token("family"));
  ASSERT_EQ(living_room.status, 201) << living_room.body;
  ASSERT_EQ(bedroom.status, 201) << bedroom.body;
  EXPECT_EQ(subject_of(living_room), subject_of(bedroom));
  EXPECT_NE(subject_of(living_room), device_subject("roku-spare"));

  const SignedIn second{device_id("roku-bedroom"), bedroom.json("serviceToken").value_or("")};
  const HttpResponse list = call("GET", "/api/demo/list", token_headers(second));
  ASSERT_EQ(list.status, 200) << list.body;
  std::vector<std::string> ids = list.json_keys("devices");
  std::sort(ids.begin(), ids.end());
  std::vector<std::string> expected = {device_id("roku-living-room"), device_id("roku-bedroom")};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(ids, expected);
  EXPECT_EQ(list.json("devices." + device_id("roku-living-room") + ".type"), "regular");
  EXPECT_EQ(list.json("devices." + device_id("roku-bedroom") + ".type"), "regular");

  // Another account of the same platform is another profile.
  const HttpResponse stranger = post_platform("roku-neighbour", roku_token("neighbour"));
  ASSERT_EQ(stranger.status, 201) << stranger.body;
  const HttpResponse their_list = call("GET", "/api/demo/list",
                                       token_headers({device_id("roku-neighbour"),
                                                      stranger.json("serviceToken").value_or("")}));
  ASSERT_EQ(their_list.status, 200) << their_list.body;
  EXPECT_EQ(their_list.json_keys("devices"), std::vector<std::string>{device_id("roku-neighbour")});
}

TEST_F(PlatformIdentityTest, RsaOaepJweNestingAJwsIsAccepted) {
  const auto key_json = jwks_key(jwks(), "enc", "RSA-OAEP");
  ASSERT_TRUE(key_json) << "no RSA-OAEP encryption key in JWKS";
  const auto key = jose::Jwk::from_json(*key_json);
  ASSERT_TRUE(key) << *key_json;
  jose::EncryptOptions options;
  options.alg = "RSA-OAEP";
  options.enc = "A256GCM";
  options.cty = "JWT";
  options.kid = as_json(*key_json).json("kid").value_or("");
  const std::string jwe = jose::encrypt_compact(roku_token("acct-jwe"), *key, options);
  ASSERT_EQ(as_json(jwt_header_json(jwe)).json("enc"), "A256GCM");
  const HttpResponse response = post_platform("roku-tv", jwe);
  ASSERT_EQ(response.status, 201) << response.body;
  const std::string account = account_subject(roku_token("acct-jwe"));
  EXPECT_EQ(subject_of(response), account);

  // Without a kid the key-management algorithm picks our key.
  options.kid.clear();
  const HttpResponse no_kid = post_platform("roku-tv-2", jose::encrypt_compact(roku_token("acct-jwe"), *key, options));
  ASSERT_EQ(no_kid.status, 201) << no_kid.body;
  EXPECT_EQ(subject_of(no_kid), account);
}

TEST_F(PlatformIdentityTest, EcdhEsJweNestingAJwsIsAccepted) {
  const auto key_json = jwks_key(jwks(), "enc", "ECDH-ES");
  ASSERT_TRUE(key_json) << "no ECDH-ES encryption key in JWKS";
  const auto key = jose::Jwk::from_json(*key_json);
  ASSERT_TRUE(key) << *key_json;
  jose::EncryptOptions options;
  options.alg = "ECDH-ES";
  options.enc = "A256GCM";
  options.cty = "JWT";
  const std::string nested = sign(claims("tizen", "acct-ec", now_seconds() + 600), tizen_key(), "ES256");
  const HttpResponse response = post_platform("samsung-tv", jose::encrypt_compact(nested, *key, options));
  ASSERT_EQ(response.status, 201) << response.body;
  EXPECT_EQ(subject_of(response), account_subject(nested));

  options.kid = as_json(*key_json).json("kid").value_or("");
  const HttpResponse with_kid = post_platform("samsung-tv-2", jose::encrypt_compact(nested, *key, options));
  ASSERT_EQ(with_kid.status, 201) << with_kid.body;
  EXPECT_EQ(subject_of(with_kid), subject_of(response));
}

// ---------------------------------------------------------------------------------------
// Refused tokens: ignored as if absent, counted and logged

TEST_F(PlatformIdentityTest, ExpiredTokenIsIgnoredAndCounted) {
  expect_ignored(sign(claims("roku", "acct-1", now_seconds() - 3600), roku_key(), "RS256"), "expired");
}

TEST_F(PlatformIdentityTest, WrongAudienceIsIgnoredAndCounted) {
  expect_ignored(roku_token("acct-1", std::string("other-sp")), "wrong_audience");
}

TEST_F(PlatformIdentityTest, UntrustedIssuerIsIgnoredAndCounted) {
  // Validly signed by a configured key, but naming an issuer nobody configured.
  expect_ignored(sign(claims("webos", "acct-1", now_seconds() + 600), roku_key(), "RS256"), "untrusted_issuer");
}

TEST_F(PlatformIdentityTest, TokenSignedByAnotherKeyIsIgnoredAndCounted) {
  const jose::Jwk impostor = jose::Jwk::generate_rsa(2048);
  expect_ignored(sign(claims("roku", "acct-1", now_seconds() + 600), impostor, "RS256"), "bad_signature");
  const jose::Jwk ec_impostor = jose::Jwk::generate_ec_p256();
  const long long before = rejected("bad_signature");
  const HttpResponse response =
      post_platform("samsung-tv", sign(claims("tizen", "acct-1", now_seconds() + 600), ec_impostor, "ES256"));
  ASSERT_EQ(response.status, 201) << response.body;
  EXPECT_EQ(subject_of(response), device_subject("samsung-tv"));
  EXPECT_EQ(rejected("bad_signature"), before + 1);
}

TEST_F(PlatformIdentityTest, AlgNoneIsIgnoredAndCounted) {
  const std::string header = "{\"alg\":\"none\",\"typ\":\"JWT\"}";
  const std::string token = base64url(header) + "." + base64url(claims("roku", "acct-1", now_seconds() + 600)) + ".";
  expect_ignored(token, "alg_not_allowed");
}

TEST_F(PlatformIdentityTest, Hs256WithThePublicPemAsSecretIsRefused) {
  // The classic key-confusion attack: HMAC keyed with the issuer's public key text.
  const std::string pem = roku_key().to_public_pem().value_or("");
  ASSERT_FALSE(pem.empty());
  const auto hmac = jose::Jwk::from_json("{\"kty\":\"oct\",\"k\":\"" + base64url(pem) + "\"}");
  ASSERT_TRUE(hmac);
  expect_ignored(sign(claims("roku", "acct-1", now_seconds() + 600), *hmac, "HS256"), "alg_not_allowed");

  const std::string ec_pem = tizen_key().to_public_pem().value_or("");
  const auto ec_hmac = jose::Jwk::from_json("{\"kty\":\"oct\",\"k\":\"" + base64url(ec_pem) + "\"}");
  ASSERT_TRUE(ec_hmac);
  const long long before = rejected("alg_not_allowed");
  const HttpResponse response =
      post_platform("samsung-tv", sign(claims("tizen", "acct-1", now_seconds() + 600), *ec_hmac, "HS256"));
  ASSERT_EQ(response.status, 201) << response.body;
  EXPECT_EQ(subject_of(response), device_subject("samsung-tv"));
  EXPECT_EQ(rejected("alg_not_allowed"), before + 1);
}

TEST_F(PlatformIdentityTest, MalformedTokenIsIgnoredAndCounted) {
  expect_ignored("this is not a token", "malformed");
}

TEST_F(PlatformIdentityTest, JweEncryptedToAForeignKeyIsIgnoredAndCounted) {
  const jose::Jwk foreign = jose::Jwk::generate_rsa(2048);
  jose::EncryptOptions options;
  options.alg = "RSA-OAEP";
  options.enc = "A256GCM";
  options.cty = "JWT";
  expect_ignored(jose::encrypt_compact(roku_token("acct-1"), foreign, options), "decrypt_failed");
}

TEST_F(PlatformIdentityTest, JweNestingAnUntrustedJwsIsIgnored) {
  const auto key_json = jwks_key(jwks(), "enc", "RSA-OAEP");
  ASSERT_TRUE(key_json);
  const auto key = jose::Jwk::from_json(*key_json);
  ASSERT_TRUE(key);
  jose::EncryptOptions options;
  options.cty = "JWT";
  const jose::Jwk impostor = jose::Jwk::generate_rsa(2048);
  const std::string nested = sign(claims("roku", "acct-1", now_seconds() + 600), impostor, "RS256");
  expect_ignored(jose::encrypt_compact(nested, *key, options), "bad_signature");
}

TEST_F(PlatformIdentityTest, NotYetValidTokenIsIgnoredAndCounted) {
  const std::string payload = "{\"iss\":\"roku\",\"sub\":\"acct-1\",\"nbf\":" + std::to_string(now_seconds() + 3600) +
                              ",\"exp\":" + std::to_string(now_seconds() + 7200) + "}";
  expect_ignored(sign(payload, roku_key(), "RS256"), "not_yet_valid");
}

TEST_F(PlatformIdentityTest, TokenWithoutSubjectOrExpiryIsIgnored) {
  const std::string no_sub = "{\"iss\":\"roku\",\"exp\":" + std::to_string(now_seconds() + 600) + "}";
  expect_ignored(sign(no_sub, roku_key(), "RS256"), "missing_subject");
  // exp is a required claim (SPEC §3): a token that never expires is not accepted.
  const long long before = total_rejected();
  const HttpResponse response =
      post_platform("roku-tv-no-exp", sign("{\"iss\":\"roku\",\"sub\":\"acct-1\"}", roku_key(), "RS256"));
  ASSERT_EQ(response.status, 201) << response.body;
  EXPECT_EQ(subject_of(response), device_subject("roku-tv-no-exp"));
  EXPECT_EQ(total_rejected(), before + 1);
}

TEST_F(PlatformIdentityTest, JweWithUnsignedClaimsIsIgnored) {
  // Anyone can encrypt to our public key: the JWE must nest a JWS signed by a trusted issuer.
  const auto key_json = jwks_key(jwks(), "enc", "RSA-OAEP");
  ASSERT_TRUE(key_json);
  const auto key = jose::Jwk::from_json(*key_json);
  ASSERT_TRUE(key);
  jose::EncryptOptions options;
  options.cty = "JWT";
  const long long before = total_rejected();
  const HttpResponse response =
      post_platform("roku-tv", jose::encrypt_compact(claims("roku", "acct-1", now_seconds() + 600), *key, options));
  ASSERT_EQ(response.status, 201) << response.body;
  EXPECT_EQ(subject_of(response), device_subject("roku-tv"));
  EXPECT_EQ(total_rejected(), before + 1);
}

TEST_F(PlatformIdentityTest, JweWithAnotherContentEncryptionIsIgnored) {
  const auto key_json = jwks_key(jwks(), "enc", "RSA-OAEP");
  ASSERT_TRUE(key_json);
  const auto key = jose::Jwk::from_json(*key_json);
  ASSERT_TRUE(key);
  jose::EncryptOptions options;
  options.cty = "JWT";
  options.enc = "A128GCM";
  std::string jwe;
  try {
    jwe = jose::encrypt_compact(roku_token("acct-1"), *key, options);
  } catch (const std::exception& e) {
    GTEST_SKIP() << "the JOSE wrapper cannot make A128GCM: " << e.what();
  }
  const long long before = total_rejected();
  const HttpResponse response = post_platform("roku-tv", jwe);
  ASSERT_EQ(response.status, 201) << response.body;
  EXPECT_EQ(subject_of(response), device_subject("roku-tv"));
  EXPECT_EQ(total_rejected(), before + 1);
}

TEST_F(PlatformIdentityTest, RejectionIsLoggedWithItsReason) {
  // SPEC §2: "the server logs and counts the rejection"; §3: "logged with its reason".
  const HttpResponse expired =
      post_platform("roku-tv", sign(claims("roku", "acct-1", now_seconds() - 3600), roku_key(), "RS256"));
  ASSERT_EQ(expired.status, 201) << expired.body;
  const HttpResponse untrusted =
      post_platform("roku-tv", sign(claims("webos", "acct-1", now_seconds() + 600), roku_key(), "RS256"));
  ASSERT_EQ(untrusted.status, 201) << untrusted.body;
  const std::string log = server().log();
  ASSERT_NE(log.find("serviceToken"), std::string::npos) << "no request log lines at all:\n" << log;
  bool expired_logged = false;
  bool untrusted_logged = false;
  std::istringstream lines(log);
  std::string line;
  while (std::getline(lines, line)) {
    expired_logged |= line.find("expired") != std::string::npos;
    untrusted_logged |= line.find("untrusted_issuer") != std::string::npos;
  }
  EXPECT_TRUE(expired_logged) << "no log line names the reason \"expired\":\n" << log;
  EXPECT_TRUE(untrusted_logged) << "no log line names the reason \"untrusted_issuer\":\n" << log;
}

// ---------------------------------------------------------------------------------------
// Precedence and --require-sso-id

TEST_F(PlatformIdentityTest, XSsoIdWinsOverThePlatformToken) {
  const HttpResponse response = post_platform("roku-tv", roku_token("acct-1"), {{"X-SSO-ID", "alice"}});
  ASSERT_EQ(response.status, 201) << response.body;
  EXPECT_EQ(subject_of(response),
            subject_of(call("POST", "/api/demo/serviceToken",
                            {{"AP-Device-Identifier", fingerprint("phone")}, {"X-SSO-ID", "alice"}})));
}

TEST_F(PlatformIdentityTest, XSsoLinkWinsOverThePlatformToken) {
  const SignedIn phone = sign_in("phone", "alice");
  const std::string code = create_link_code(phone);
  const HttpResponse response = post_platform("roku-tv", roku_token("acct-1"), {{"X-SSO-LINK", code}});
  ASSERT_EQ(response.status, 201) << response.body;
  EXPECT_EQ(subject_of(response), as_json(jwt_payload_json(phone.service_token)).json("sub"));
}

TEST_F(PlatformIdentityTest, AnXSsoIdCannotNameAPlatformProfile) {
  // SPEC §2: the platform account is in its own namespace; the same text sent as X-SSO-ID
  // is another profile (and no longer refused: it names nothing it should not).
  const std::string account = account_subject(roku_token("acct-9"));
  const HttpResponse named = call("POST", "/api/demo/serviceToken",
                                  {{"AP-Device-Identifier", fingerprint("impostor")}, {"X-SSO-ID", "roku:acct-9"}});
  ASSERT_EQ(named.status, 201) << named.body;
  EXPECT_NE(subject_of(named), account);
}

TEST_F(PlatformIdentityTest, ByDefaultATokenMayLiveADayAtMost) {
  expect_ignored(sign(claims("roku", "acct-1", now_seconds() + 2 * 86400), roku_key(), "RS256"), "lifetime_too_long");
  const HttpResponse day =
      post_platform("roku-tv-day", sign(claims("roku", "acct-1", now_seconds() + 86000), roku_key(), "RS256"));
  ASSERT_EQ(day.status, 201) << day.body;
  EXPECT_NE(subject_of(day), device_subject("roku-tv-day-probe"));
  EXPECT_EQ(rejected("lifetime_too_long"), 1);
}

class StrictIssuerTest : public PlatformIdentityTest {
 protected:
  std::vector<std::string> extra_args() const override {
    return {"--platform-issuer", "roku=" + roku_pem_ + ",aud-required,max-lifetime=3600"};
  }
};

TEST_F(StrictIssuerTest, ATokenWithoutAudienceIsIgnoredWhenTheIssuerRequiresOne) {
  expect_ignored(roku_token("acct-1"), "missing_audience");
  const HttpResponse with_aud = post_platform("roku-tv", roku_token("acct-1", std::string("demo")));
  ASSERT_EQ(with_aud.status, 201) << with_aud.body;
  EXPECT_EQ(subject_of(with_aud), account_subject(roku_token("acct-1", std::string("demo"))));
  EXPECT_NE(subject_of(with_aud), device_subject("roku-tv"));
}

TEST_F(StrictIssuerTest, ATokenLivingLongerThanTheIssuersMaximumIsIgnored) {
  expect_ignored(sign(claims("roku", "acct-1", now_seconds() + 7200, std::string("demo")), roku_key(), "RS256"),
                 "lifetime_too_long");
  // Without iat the lifetime counts from nbf, or from now.
  const std::string no_iat =
      "{\"iss\":\"roku\",\"sub\":\"acct-1\",\"aud\":\"demo\",\"exp\":" + std::to_string(now_seconds() + 7200) + "}";
  expect_ignored(sign(no_iat, roku_key(), "RS256"), "lifetime_too_long");
  const HttpResponse short_lived = post_platform(
      "roku-tv", sign(claims("roku", "acct-1", now_seconds() + 3000, std::string("demo")), roku_key(), "RS256"));
  ASSERT_EQ(short_lived.status, 201) << short_lived.body;
  EXPECT_NE(subject_of(short_lived), device_subject("roku-tv"));
}

TEST_F(PlatformIdentityTest, PlatformTokenWithoutUsableSignatureDoesNotBlockOtherCalls) {
  // On Roku the OS adds the header to every HTTPS call: a list call carrying a junk one works.
  const SignedIn tv = sign_in("roku-tv", "alice");
  Headers headers = token_headers(tv);
  headers.emplace_back(kPlatformHeader, "junk");
  const HttpResponse list = call("GET", "/api/demo/list", headers);
  EXPECT_EQ(list.status, 200) << list.body;
}

class RequireSsoIdPlatformTest : public PlatformIdentityTest {
 protected:
  std::vector<std::string> extra_args() const override {
    std::vector<std::string> args = PlatformIdentityTest::extra_args();
    args.emplace_back("--require-sso-id");
    return args;
  }
};

TEST_F(RequireSsoIdPlatformTest, RejectedTokenAnswersHeaderMissing) {
  const long long before = rejected("expired");
  const HttpResponse response =
      post_platform("roku-tv", sign(claims("roku", "acct-1", now_seconds() - 3600), roku_key(), "RS256"));
  EXPECT_EQ(response.status, 400) << response.body;
  EXPECT_EQ(response.json("error.code"), "header_missing") << response.body;
  EXPECT_EQ(rejected("expired"), before + 1);

  const HttpResponse nothing = call("POST", "/api/demo/serviceToken", {{"AP-Device-Identifier", fingerprint("tv")}});
  EXPECT_EQ(nothing.status, 400) << nothing.body;
  EXPECT_EQ(nothing.json("error.code"), "header_missing") << nothing.body;
}

TEST_F(RequireSsoIdPlatformTest, ValidTokenIsEnough) {
  const HttpResponse response = post_platform("roku-tv", roku_token("acct-1"));
  ASSERT_EQ(response.status, 201) << response.body;
  EXPECT_EQ(subject_of(response), account_subject(roku_token("acct-1")));
}

// ---------------------------------------------------------------------------------------
// Bad --platform-issuer flags

// `serve` must refuse to start: first checked without any risk of hanging (ServerProcess
// throws when the server exits early), then run to completion for its exit code and stderr.
void expect_serve_refuses(const std::vector<std::string>& flags, const std::string& pem_path) {
  TempDir scratch;
  const std::string data = scratch.path() + "/data";
  bool started = false;
  try {
    ServerProcess server(data, flags);
    started = true;
  } catch (const std::runtime_error&) {
  }
  ASSERT_FALSE(started) << "serve started with a bad --platform-issuer";

  std::vector<std::string> args = {"serve", "--data", data, "--listen", "127.0.0.1:0"};
  args.insert(args.end(), flags.begin(), flags.end());
  const CommandResult result = run_server_command(args);
  EXPECT_NE(result.exit_code, 0);
  EXPECT_FALSE(result.err.empty());
  EXPECT_EQ(line_count(result.err), 1u) << result.err;
  EXPECT_EQ(result.err.rfind("ssokit-server: ", 0), 0u) << result.err;
  EXPECT_NE(result.err.find(pem_path), std::string::npos) << "the error names the offending file: " << result.err;
}

TEST(PlatformIssuerFlagTest, MissingPemFileStopsServe) {
  expect_serve_refuses({"--platform-issuer", "roku=/nonexistent/ssokit/roku.pem"}, "/nonexistent/ssokit/roku.pem");
}

TEST(PlatformIssuerFlagTest, NonPemFileStopsServe) {
  TempDir keys;
  const std::string path = keys.path() + "/not-a-key.pem";
  write_file(path, "hello, I am not a key\n");
  expect_serve_refuses({"--platform-issuer", "roku=" + path}, path);
}

TEST(PlatformIssuerFlagTest, UnknownOptionsAreRefused) {
  TempDir keys;
  const std::string path = keys.path() + "/roku.pem";
  write_file(path, roku_key().to_public_pem().value_or(""));
  for (const std::string& value : {"roku=" + path + ",aud-optional", "roku=" + path + ",max-lifetime=0",
                                   "roku=" + path + ",max-lifetime=ten", "roku=" + path + ","}) {
    const CommandResult result = run_server_command({"serve", "--platform-issuer", value}, std::chrono::seconds(10));
    EXPECT_EQ(result.exit_code, 2) << value;
    EXPECT_NE(result.err.find("aud-required"), std::string::npos) << result.err;
  }
}

TEST(PlatformIssuerFlagTest, FlagWithoutNameStopsServe) {
  TempDir keys;
  const std::string path = keys.path() + "/roku.pem";
  write_file(path, roku_key().to_public_pem().value_or(""));
  expect_serve_refuses({"--platform-issuer", path}, path);
}

}  // namespace
}  // namespace ssokit::testing
