// SPEC §2 decisions: every call that takes AD-Service-Token checks signature, aud, time,
// did and that the device is still linked; refresh grace; required headers of link,
// unlink and list.
#include <string>

#include "clock.hpp"
#include "json_text.hpp"
#include "jwt.hpp"
#include "sso_helpers.hpp"

namespace ssokit::testing::sso {
namespace {

using TokenChecksTest = SsoTest;

// Replaces `from` by `to` in the JWS payload, keeping header and signature.
std::string with_payload_edit(const std::string& token, const std::string& from, const std::string& to) {
  const auto parts = jws_parts(token);
  if (parts.empty()) return {};
  std::string payload = jwt_payload_json(token);
  const auto at = payload.find(from);
  if (at == std::string::npos) return {};
  payload.replace(at, from.size(), to);
  return parts[0] + "." + base64url(payload) + "." + parts[2];
}

std::string with_header(const std::string& token, const std::string& header_json, bool keep_signature) {
  const auto parts = jws_parts(token);
  if (parts.empty()) return {};
  return base64url(header_json) + "." + parts[1] + "." + (keep_signature ? parts[2] : std::string());
}

class TokenCalls : public SsoTest {
 protected:
  HttpResponse do_refresh(const SignedIn& d) { return refresh(d); }
  HttpResponse do_link(const SignedIn& d) { return link(d); }
  HttpResponse do_list(const SignedIn& d) { return list(d); }
  HttpResponse do_unlink(const SignedIn& d) { return unlink(d, devices_body({d.device_id})); }

  // Asserts `expected` on refresh, link, list and unlink with `token` presented by `device`.
  void expect_on_every_call(const std::string& device, const std::string& token, long status,
                            const std::string& code, const std::string& action) {
    const SignedIn presented{device, token};
    {
      SCOPED_TRACE("GET serviceToken");
      expect_error(do_refresh(presented), status, code, action);
    }
    {
      SCOPED_TRACE("POST link");
      expect_error(do_link(presented), status, code, action);
    }
    {
      SCOPED_TRACE("GET list");
      expect_error(do_list(presented), status, code, action);
    }
    {
      SCOPED_TRACE("POST unlink");
      expect_error(do_unlink(presented), status, code, action);
    }
  }
};

TEST_F(TokenCalls, GarbageTokenIsHeaderInvalid) {
  const SignedIn phone = sign_in("phone", "alice");
  for (const std::string& garbage : {std::string("garbage"), std::string("a.b.c"), std::string("a.b"),
                                    phone.service_token + "x.y", std::string("....")}) {
    SCOPED_TRACE("token '" + garbage + "'");
    expect_on_every_call(phone.device_id, garbage, 401, "header_invalid", "get_new_token");
  }
  // The real token still works after all that.
  EXPECT_EQ(list(phone).status, 200);
}

TEST_F(TokenCalls, PayloadAlteredSignatureKeptIsHeaderInvalid) {
  const SignedIn phone = sign_in("phone", "alice");
  const std::string victim = sub_of(sign_in("victim-phone", "victim").service_token);
  const std::string forged =
      with_payload_edit(phone.service_token, "\"" + sub_of(phone.service_token) + "\"", "\"" + victim + "\"");
  ASSERT_FALSE(forged.empty()) << jwt_payload_json(phone.service_token);
  expect_on_every_call(phone.device_id, forged, 401, "header_invalid", "get_new_token");

  // Changing only the expiry is a forgery too.
  const std::string payload = jwt_payload_json(phone.service_token);
  const std::string exp = as_json(payload).json("exp").value_or("");
  ASSERT_FALSE(exp.empty());
  const std::string longer = with_payload_edit(phone.service_token, "\"exp\":" + exp, "\"exp\":" + exp + "0");
  ASSERT_FALSE(longer.empty()) << payload;
  expect_error(refresh({phone.device_id, longer}), 401, "header_invalid", "get_new_token");
}

TEST_F(TokenCalls, AnHs256SignatureOfTheWrongLengthIsHeaderInvalidAndHarmless) {
  // A MAC cut to 1..31 bytes or padded: refused before the JOSE library compares 32 bytes.
  const SignedIn phone = sign_in("phone", "alice");
  const auto parts = jws_parts(phone.service_token);
  ASSERT_EQ(parts.size(), 3u);
  const std::string mac = base64url_decode(parts[2]).value_or("");
  ASSERT_EQ(mac.size(), 32u);
  for (const std::size_t size : {std::size_t{1}, std::size_t{16}, std::size_t{31}, std::size_t{33}, std::size_t{64}}) {
    SCOPED_TRACE("signature of " + std::to_string(size) + " bytes");
    std::string signature = mac;
    signature.resize(size, '\x01');
    expect_on_every_call(phone.device_id, parts[0] + "." + parts[1] + "." + base64url(signature), 401,
                         "header_invalid", "get_new_token");
  }
  EXPECT_EQ(list(phone).status, 200);  // still serving, the real token still good
}

TEST_F(TokenCalls, AlgNoneIsHeaderInvalid) {
  const SignedIn phone = sign_in("phone", "alice");
  const std::string kid = as_json(jwt_header_json(phone.service_token)).json("kid").value_or("");
  const std::string bare_none = with_header(phone.service_token, "{\"alg\":\"none\"}", false);
  ASSERT_FALSE(bare_none.empty());
  expect_on_every_call(phone.device_id, bare_none, 401, "header_invalid", "get_new_token");
  const std::string none_with_kid =
      with_header(phone.service_token, "{\"alg\":\"none\",\"kid\":\"" + kid + "\",\"typ\":\"JWT\"}", false);
  expect_error(refresh({phone.device_id, none_with_kid}), 401, "header_invalid", "get_new_token");
  // HS256 with the signature stripped.
  const std::string unsigned_token = with_header(
      phone.service_token, "{\"alg\":\"HS256\",\"kid\":\"" + kid + "\",\"typ\":\"JWT\"}", false);
  expect_error(refresh({phone.device_id, unsigned_token}), 401, "header_invalid", "get_new_token");
}

TEST_F(TokenCalls, UnknownKidIsHeaderInvalid) {
  const SignedIn phone = sign_in("phone", "alice");
  const std::string unknown =
      with_header(phone.service_token, "{\"alg\":\"HS256\",\"kid\":\"no-such-kid\",\"typ\":\"JWT\"}", true);
  expect_on_every_call(phone.device_id, unknown, 401, "header_invalid", "get_new_token");
}

TEST_F(TokenCalls, TokenOfAnotherServiceProviderIsHeaderInvalid) {
  const std::string other_access = new_access_token("other");
  ASSERT_FALSE(other_access.empty());
  const HttpResponse other = call("POST", "/api/other/serviceToken",
                                  {{"Authorization", "Bearer " + other_access},
                                   {"AP-Device-Identifier", fingerprint("phone")},
                                   {"X-SSO-ID", "alice"}});
  ASSERT_EQ(other.status, 201) << other.body;
  const std::string token = other.json("serviceToken").value_or("");
  EXPECT_EQ(as_json(jwt_payload_json(token)).json("aud"), "other");
  // Even with the same device and the same common id signed in on demo.
  sign_in("phone", "alice");
  expect_on_every_call(device_id("phone"), token, 401, "header_invalid", "get_new_token");
}

TEST_F(TokenCalls, TokenReplayedFromAnotherDeviceIsHeaderInvalid) {
  const SignedIn phone = sign_in("phone", "alice");
  sign_in("tablet", "alice");  // same profile: only the did binding refuses it
  expect_on_every_call(device_id("tablet"), phone.service_token, 401, "header_invalid", "get_new_token");
  // The tablet was not unlinked by the attempt.
  EXPECT_EQ(list(phone).json_keys("devices").size(), 2u);
}

TEST_F(TokenCalls, UnlinkedDeviceIsDeviceUnlinkedOnEveryCall) {
  const SignedIn phone = sign_in("phone", "alice");
  const SignedIn tv = join("tv", create_link_code(phone));
  ASSERT_EQ(unlink(phone, devices_body({tv.device_id})).status, 200);
  expect_on_every_call(tv.device_id, tv.service_token, 401, "device_unlinked", "sign_in");
}

TEST_F(TokenChecksTest, MissingServiceTokenOnLinkUnlinkListIs401HeaderMissing) {
  sign_in("phone", "alice");
  const Headers device_only = {{"AP-Device-Identifier", fingerprint("phone")}};
  expect_error(call("POST", path("link"), device_only), 401, "header_missing", "check_headers");
  expect_error(call("GET", path("list"), device_only), 401, "header_missing", "check_headers");
  Headers unlink_headers = device_only;
  unlink_headers.emplace_back("Content-Type", "application/json");
  expect_error(call("POST", path("unlink"), unlink_headers, devices_body({device_id("phone")})), 401,
               "header_missing", "check_headers");
}

TEST_F(TokenChecksTest, MissingDeviceIdentifierOnLinkUnlinkListIs400HeaderMissing) {
  const SignedIn phone = sign_in("phone", "alice");
  const Headers token_only = {{"AD-Service-Token", phone.service_token}};
  expect_error(call("POST", path("link"), token_only), 400, "header_missing", "check_headers");
  expect_error(call("GET", path("list"), token_only), 400, "header_missing", "check_headers");
  Headers unlink_headers = token_only;
  unlink_headers.emplace_back("Content-Type", "application/json");
  expect_error(call("POST", path("unlink"), unlink_headers, devices_body({phone.device_id})), 400, "header_missing",
               "check_headers");
  // Nothing was unlinked.
  EXPECT_EQ(list(phone).status, 200);
}

TEST_F(TokenChecksTest, MalformedDeviceIdentifierOnLinkUnlinkListIs400HeaderInvalid) {
  const SignedIn phone = sign_in("phone", "alice");
  const Headers bad = {{"AP-Device-Identifier", "device " + phone.device_id}, {"AD-Service-Token", phone.service_token}};
  expect_error(call("POST", path("link"), bad), 400, "header_invalid", "check_headers");
  expect_error(call("GET", path("list"), bad), 400, "header_invalid", "check_headers");
  Headers unlink_headers = bad;
  unlink_headers.emplace_back("Content-Type", "application/json");
  expect_error(call("POST", path("unlink"), unlink_headers, devices_body({phone.device_id})), 400, "header_invalid",
               "check_headers");
}

// ---- time: refresh grace and the 60 s skew ------------------------------------------------

std::int64_t exp_ms(const std::string& token) {
  return static_cast<std::int64_t>(json_number(jwt_payload_json(token), "exp").value_or(0)) * 1000;
}

class NoGraceTest : public SsoTest {
  std::vector<std::string> extra_args() const override {
    return {"--service-token-ttl", "1", "--refresh-grace", "0"};
  }
};

TEST_F(NoGraceTest, JustExpiredTokenIsAcceptedWithinSkewButNotRefreshedPastGrace) {
  // JWT times are whole seconds: sign in early in a second so that "before exp" has room.
  if (now_ms() % 1000 > 400) sleep_until_ms((now_ms() / 1000 + 1) * 1000 + 10);
  const SignedIn phone = sign_in("phone", "alice");
  const std::int64_t exp = exp_ms(phone.service_token);
  ASSERT_GT(exp, 0);
  // Before exp the token refreshes (grace 0 still allows now < exp).
  const HttpResponse early = refresh(phone);
  ASSERT_EQ(early.status, 200) << early.body;
  EXPECT_EQ(json_number(early.body, "notAfter").value_or(0) - json_number(early.body, "notBefore").value_or(0),
            1000.0);
  sleep_until_ms(exp + 30);

  // Expired 30 ms ago: well within the 60 s skew, so calls still accept it...
  const HttpResponse listed = list(phone);
  EXPECT_EQ(listed.status, 200) << listed.body;
  const HttpResponse linked = link(phone);
  EXPECT_EQ(linked.status, 201) << linked.body;
  // ...but refresh is bounded by exp + grace, which the skew does not stretch.
  expect_error(refresh(phone), 401, "token_expired", "get_new_token");
}

class ShortGraceTest : public SsoTest {
  std::vector<std::string> extra_args() const override {
    return {"--service-token-ttl", "1", "--refresh-grace", "1"};
  }
};

TEST_F(ShortGraceTest, RefreshWorksWithinGraceAfterExpiryAndNotPastIt) {
  const SignedIn phone = sign_in("phone", "alice");
  const std::int64_t exp = exp_ms(phone.service_token);
  ASSERT_GT(exp, 0);
  sleep_until_ms(exp + 30);

  const HttpResponse within = refresh(phone);
  ASSERT_EQ(within.status, 200) << within.body;
  EXPECT_EQ(within.json("status"), "OK");
  const HttpResponse claims = as_json(jwt_payload_json(within.json("serviceToken").value_or("")));
  EXPECT_EQ(claims.json("sub"), sub_of(phone.service_token));
  EXPECT_EQ(claims.json("did"), phone.device_id);
  EXPECT_GT(static_cast<std::int64_t>(json_number(claims.body, "exp").value_or(0)) * 1000, now_ms());

  sleep_until_ms(exp + 1000 + 30);
  expect_error(refresh(phone), 401, "token_expired", "get_new_token");
}

}  // namespace
}  // namespace ssokit::testing::sso
