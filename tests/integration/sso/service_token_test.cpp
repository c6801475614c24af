// SPEC §2: POST /api/{sp}/serviceToken (sign in) and GET /api/{sp}/serviceToken (refresh).
#include <algorithm>
#include <string>

#include "clock.hpp"
#include "json_text.hpp"
#include "jwt.hpp"
#include "metrics_text.hpp"
#include "sso_helpers.hpp"

namespace ssokit::testing::sso {
namespace {

using PostServiceTokenTest = SsoTest;

// The 201 body and the headers of a token answer.
void expect_token_answer(const HttpResponse& response, long status, const std::string& status_text,
                         std::int64_t ttl_ms) {
  SCOPED_TRACE(response.body);
  ASSERT_EQ(response.status, status);
  EXPECT_EQ(response.json("status"), status_text);
  EXPECT_EQ(json_type(response.body, "serviceToken"), "string");
  EXPECT_EQ(jws_parts(response.json("serviceToken").value_or("")).size(), 3u);
  EXPECT_EQ(json_type(response.body, "notBefore"), "integer");
  EXPECT_EQ(json_type(response.body, "notAfter"), "integer");
  const double not_before = json_number(response.body, "notBefore").value_or(0);
  const double not_after = json_number(response.body, "notAfter").value_or(0);
  EXPECT_EQ(static_cast<std::int64_t>(not_after - not_before), ttl_ms);
  // Milliseconds since the epoch, around now (not seconds).
  EXPECT_NEAR(not_before, static_cast<double>(now_ms()), 5000.0);
  EXPECT_FALSE(response.has_json("error"));
  EXPECT_EQ(response.header("cache-control"), "no-store");
  EXPECT_EQ(response.header("content-type").rfind("application/json", 0), 0u);
}

TEST_F(PostServiceTokenTest, CreatedBodyHasTokenAndMillisecondWindowOfOneHour) {
  const HttpResponse response = post_token("phone", {{"X-SSO-ID", "alice"}});
  expect_token_answer(response, 201, "CREATED", 3600 * 1000);
}

TEST_F(PostServiceTokenTest, TokenIsHs256JwsWithTheSpecClaims) {
  const HttpResponse response = post_token("phone", {{"X-SSO-ID", "alice"}});
  ASSERT_EQ(response.status, 201) << response.body;
  const std::string token = response.json("serviceToken").value_or("");
  const HttpResponse header = as_json(jwt_header_json(token));
  const HttpResponse claims = as_json(jwt_payload_json(token));
  SCOPED_TRACE(header.body + " " + claims.body);

  EXPECT_EQ(header.json("alg"), "HS256");
  EXPECT_EQ(json_type(header.body, "kid"), "string");
  EXPECT_FALSE(header.json("kid").value_or("").empty());
  EXPECT_EQ(json_type(header.body, "typ"), "string");
  EXPECT_FALSE(header.json("typ").value_or("").empty());

  EXPECT_EQ(claims.json("iss"), "ssoservicetoken");
  // sub: the profile's opaque pseudonym (SPEC §2), never the X-SSO-ID sent.
  EXPECT_EQ(json_type(claims.body, "sub"), "string");
  EXPECT_FALSE(claims.json("sub").value_or("").empty());
  EXPECT_NE(claims.json("sub"), "alice");
  EXPECT_EQ(claims.json("aud"), "demo");
  // lid: the device's link to the profile, which an unlink ends.
  EXPECT_EQ(json_type(claims.body, "lid"), "string");
  EXPECT_FALSE(claims.json("lid").value_or("").empty());
  EXPECT_EQ(claims.json("did"), device_id("phone"));
  EXPECT_EQ(json_type(claims.body, "jti"), "string");
  EXPECT_FALSE(claims.json("jti").value_or("").empty());
  for (const char* time : {"nbf", "exp", "iat"}) EXPECT_EQ(json_type(claims.body, time), "integer") << time;
  const double nbf = json_number(claims.body, "nbf").value_or(0);
  const double exp = json_number(claims.body, "exp").value_or(0);
  const double iat = json_number(claims.body, "iat").value_or(0);
  EXPECT_EQ(exp - nbf, 3600.0);
  EXPECT_LE(nbf, iat + 1);
  // JWT times are seconds; the body's are the same instants in milliseconds.
  EXPECT_EQ(nbf * 1000, json_number(response.body, "notBefore").value_or(-1));
  EXPECT_EQ(exp * 1000, json_number(response.body, "notAfter").value_or(-1));
  EXPECT_NEAR(iat, static_cast<double>(now_ms()) / 1000.0, 5.0);

  // Every sign-in gets a new jti.
  const HttpResponse again = post_token("phone", {{"X-SSO-ID", "alice"}});
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_NE(as_json(jwt_payload_json(again.json("serviceToken").value_or(""))).json("jti"), claims.json("jti"));
}

TEST_F(PostServiceTokenTest, MissingDeviceIdentifierIsHeaderMissing) {
  const HttpResponse response = call("POST", path("serviceToken"), {{"X-SSO-ID", "alice"}});
  expect_error(response, 400, "header_missing", "check_headers");
}

TEST_F(PostServiceTokenTest, DeviceIdentifierNotFingerprintBase64IsHeaderInvalid) {
  for (const std::string& value : {std::string("cGhvbmU="), std::string("Bearer cGhvbmU="),
                                  std::string("fingerprint"), std::string("fingerprint "),
                                  std::string("fingerprint !!not*base64!!"), std::string("fingerprint\tcGhvbmU=")}) {
    SCOPED_TRACE("AP-Device-Identifier: '" + value + "'");
    const HttpResponse response =
        call("POST", path("serviceToken"), {{"AP-Device-Identifier", value}, {"X-SSO-ID", "alice"}});
    expect_error(response, 400, "header_invalid", "check_headers");
  }
}

TEST_F(PostServiceTokenTest, DeviceInfoNotBase64OfAnObjectIsInvalidHeaderDeviceInfo) {
  for (const std::string& info : {std::string("%%% not base64 %%%"), base64("not json at all"), base64("[1,2,3]"),
                                 base64("\"a string\""), base64("42"), base64("null")}) {
    SCOPED_TRACE("X-Device-Info: " + info);
    const HttpResponse response = post_token("phone", {{"X-SSO-ID", "alice"}, {"X-Device-Info", info}});
    expect_error(response, 400, "invalid_header_device_info", "check_headers");
  }
  // A valid one is accepted.
  const HttpResponse ok =
      post_token("phone", {{"X-SSO-ID", "alice"}, {"X-Device-Info", device_info("TV", "X1", "Tizen", "7")}});
  EXPECT_EQ(ok.status, 201) << ok.body;
}

TEST_F(PostServiceTokenTest, SsoIdTogetherWithSsoLinkIsRequestInvalidCheckHeaders) {
  const SignedIn phone = sign_in("phone", "alice");
  const std::string code = create_link_code(phone);
  const HttpResponse response = post_token("tv", {{"X-SSO-ID", "bob"}, {"X-SSO-LINK", code}});
  expect_error(response, 400, "request_invalid", "check_headers");
  // Refused before the code is looked at: the code still works.
  EXPECT_EQ(redeem("tv", code).status, 201);
}

TEST_F(PostServiceTokenTest, SsoIdEmptyOrOver256CharactersIsHeaderInvalid) {
  expect_error(post_token("phone", {{"X-SSO-ID", ""}}), 400, "header_invalid", "check_headers");
  expect_error(post_token("phone", {{"X-SSO-ID", std::string(257, 'a')}}), 400, "header_invalid", "check_headers");

  const std::string longest(256, 'b');
  const HttpResponse ok = post_token("phone", {{"X-SSO-ID", longest}});
  ASSERT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(sub_of(ok.json("serviceToken").value_or("")), sub_of(sign_in("tablet", longest).service_token));
}

TEST_F(PostServiceTokenTest, SsoIdLengthCountsCharactersNotBytes) {
  // SPEC: "opaque text, 1..256 chars". 200 two-byte UTF-8 characters are 200 chars (400 bytes).
  std::string accented;
  for (int i = 0; i < 200; ++i) accented += "\xC3\xA9";  // U+00E9
  const HttpResponse ok = post_token("phone", {{"X-SSO-ID", accented}});
  ASSERT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(sub_of(ok.json("serviceToken").value_or("")), sub_of(sign_in("tablet", accented).service_token));
  // 257 of them are too many.
  std::string too_long;
  for (int i = 0; i < 257; ++i) too_long += "\xC3\xA9";
  expect_error(post_token("phone", {{"X-SSO-ID", too_long}}), 400, "header_invalid", "check_headers");
}

TEST_F(PostServiceTokenTest, WithoutSsoIdOrLinkTheDeviceIdIsTheCommonId) {
  const HttpResponse response = post_token("lonely-tv");
  ASSERT_EQ(response.status, 201) << response.body;
  EXPECT_EQ(response.json("status"), "CREATED");
  const HttpResponse claims = as_json(jwt_payload_json(response.json("serviceToken").value_or("")));
  EXPECT_FALSE(claims.json("sub").value_or("").empty());
  EXPECT_NE(claims.json("sub"), device_id("lonely-tv"));
  EXPECT_EQ(claims.json("did"), device_id("lonely-tv"));

  const SignedIn tv{device_id("lonely-tv"), response.json("serviceToken").value_or("")};
  const HttpResponse listed = list(tv);
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(listed.json_keys("devices"), std::vector<std::string>{device_id("lonely-tv")});
  EXPECT_EQ(listed.json("devices." + device_id("lonely-tv") + ".type"), "regular");
}

TEST_F(PostServiceTokenTest, SameSsoIdOnTwoDevicesIsOneProfile) {
  const SignedIn phone = sign_in("phone", "alice");
  const SignedIn tablet = sign_in("tablet", "alice");
  const SignedIn other = sign_in("tv", "bob");
  EXPECT_EQ(sub_of(phone.service_token), sub_of(tablet.service_token));
  EXPECT_NE(sub_of(phone.service_token), sub_of(other.service_token));

  for (const SignedIn* device : {&phone, &tablet}) {
    const HttpResponse listed = list(*device);
    ASSERT_EQ(listed.status, 200) << listed.body;
    auto keys = listed.json_keys("devices");
    std::sort(keys.begin(), keys.end());
    std::vector<std::string> expected = {phone.device_id, tablet.device_id};
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(keys, expected);
    EXPECT_EQ(listed.json("devices." + phone.device_id + ".type"), "regular");
    EXPECT_EQ(listed.json("devices." + tablet.device_id + ".type"), "regular");
  }
  EXPECT_EQ(list(other).json_keys("devices"), std::vector<std::string>{other.device_id});
}

TEST_F(PostServiceTokenTest, UnusablePlatformTokenIsIgnoredAsIfAbsentAndCounted) {
  const std::string bogus = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln";
  // Neither X-SSO-ID nor X-SSO-LINK: the bogus platform token is ignored, the device id is
  // the common id, and the rejection is counted.
  const HttpResponse alone = post_token("roku", {{"X-Roku-Reserved-Roku-Connect-Token", bogus}});
  ASSERT_EQ(alone.status, 201) << alone.body;
  const SignedIn roku{device_id("roku"), alone.json("serviceToken").value_or("")};
  EXPECT_EQ(list(roku).json_keys("devices"), std::vector<std::string>{roku.device_id});  // its own profile
  const double rejected = metric_sum(metrics(), "ssokit_platform_identity_rejected_total{");
  EXPECT_GE(rejected, 1.0);

  // With X-SSO-ID it does not count at all (Roku adds it to every call).
  const HttpResponse with_id =
      post_token("roku", {{"X-SSO-ID", "alice"}, {"X-Roku-Reserved-Roku-Connect-Token", bogus}});
  ASSERT_EQ(with_id.status, 201) << with_id.body;
  EXPECT_EQ(sub_of(with_id.json("serviceToken").value_or("")), sub_of(sign_in("phone", "alice").service_token));
  EXPECT_EQ(metric_sum(metrics(), "ssokit_platform_identity_rejected_total{"), rejected);
}

class RequireSsoIdTest : public SsoTest {
  std::vector<std::string> extra_args() const override { return {"--require-sso-id"}; }
};

TEST_F(RequireSsoIdTest, WithoutSsoIdOrLinkIsHeaderMissing) {
  expect_error(post_token("lonely-tv"), 400, "header_missing", "check_headers");
  // X-SSO-ID and X-SSO-LINK still work.
  const SignedIn phone = sign_in("phone", "alice");
  const std::string code = create_link_code(phone);
  EXPECT_EQ(redeem("tv", code).status, 201);
  // An unusable platform token is no source either.
  expect_error(post_token("roku", {{"X-Roku-Reserved-Roku-Connect-Token", "not.a.token"}}), 400, "header_missing",
               "check_headers");
}

// ---- GET serviceToken (refresh) ---------------------------------------------------------

using RefreshServiceTokenTest = SsoTest;

TEST_F(RefreshServiceTokenTest, OkWithNewTokenKeepingSubAndDid) {
  const SignedIn phone = sign_in("phone", "alice");
  const HttpResponse response = refresh(phone);
  expect_token_answer(response, 200, "OK", 3600 * 1000);
  const std::string token = response.json("serviceToken").value_or("");
  EXPECT_NE(token, phone.service_token);
  const HttpResponse before = as_json(jwt_payload_json(phone.service_token));
  const HttpResponse after = as_json(jwt_payload_json(token));
  EXPECT_EQ(after.json("sub"), before.json("sub"));
  EXPECT_EQ(after.json("lid"), before.json("lid"));
  EXPECT_EQ(after.json("did"), phone.device_id);
  EXPECT_EQ(after.json("aud"), "demo");
  EXPECT_EQ(after.json("iss"), "ssoservicetoken");
  EXPECT_NE(after.json("jti"), before.json("jti"));
  EXPECT_FALSE(after.json("jti").value_or("").empty());

  // The new token works, and so does a refresh without AP-Device-Identifier (SPEC: the
  // did check applies "where one is sent").
  EXPECT_EQ(list({phone.device_id, token}).status, 200);
  const HttpResponse bare = call("GET", path("serviceToken"), {{"AD-Service-Token", token}});
  EXPECT_EQ(bare.status, 200) << bare.body;
}

TEST_F(RefreshServiceTokenTest, RefreshOfAJoinedDeviceKeepsTheProfile) {
  const SignedIn phone = sign_in("phone", "alice");
  const SignedIn tv = join("tv", create_link_code(phone));
  const HttpResponse response = refresh(tv);
  ASSERT_EQ(response.status, 200) << response.body;
  const HttpResponse claims = as_json(jwt_payload_json(response.json("serviceToken").value_or("")));
  EXPECT_EQ(claims.json("sub"), sub_of(phone.service_token));
  EXPECT_EQ(claims.json("did"), tv.device_id);
}

TEST_F(RefreshServiceTokenTest, MissingServiceTokenIsHeaderMissing400) {
  const HttpResponse response = call("GET", path("serviceToken"), {{"AP-Device-Identifier", fingerprint("phone")}});
  expect_error(response, 400, "header_missing", "check_headers");
}

TEST_F(RefreshServiceTokenTest, DeviceIdentifierOfAnotherDeviceIsHeaderInvalid) {
  const SignedIn phone = sign_in("phone", "alice");
  sign_in("tablet", "alice");
  const HttpResponse response = call("GET", path("serviceToken"),
                                     {{"AP-Device-Identifier", fingerprint("tablet")}, {"AD-Service-Token", phone.service_token}});
  expect_error(response, 401, "header_invalid", "get_new_token");
}

TEST_F(RefreshServiceTokenTest, UnlinkedDeviceIsDeviceUnlinked) {
  const SignedIn phone = sign_in("phone", "alice");
  const SignedIn tv = join("tv", create_link_code(phone));
  ASSERT_EQ(unlink(phone, devices_body({tv.device_id})).status, 200);
  expect_error(refresh(tv), 401, "device_unlinked", "sign_in");
  // The phone is unaffected.
  EXPECT_EQ(refresh(phone).status, 200);
}

}  // namespace
}  // namespace ssokit::testing::sso
