#pragma once
// Local helpers of the SSO integration tests: JWS pieces, typed JSON checks, the error
// envelope, /metrics counters, a client bound to another loopback address, and waiting
// for a wall-clock instant.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api_test.hpp"

namespace ssokit::testing::sso {

// base64url (no padding) to bytes; nullopt when not base64url.
std::optional<std::string> base64url_decode(const std::string& text);

// The three parts of a compact JWS (header, payload, signature as text); empty when the
// token does not have exactly three parts.
std::vector<std::string> jws_parts(const std::string& token);
// Decoded header / payload JSON text of a compact JWS ("" when not decodable).
std::string jws_header_json(const std::string& token);
std::string jws_payload_json(const std::string& token);

// A JSON document wrapped in an HttpResponse, so its json() accessors can read it.
HttpResponse as_json(const std::string& json_text);

// JSON type of the value at `path` ("" for the root) of `json_text`:
// "string", "number", "integer" (a number with no fraction), "bool", "null", "object",
// "array", or "" when absent / not JSON.
std::string json_type(const std::string& json_text, const std::string& path);
// A number's exact value (no rounding), nullopt when absent or not a number.
std::optional<double> json_number(const std::string& json_text, const std::string& path);

// A canonical lower- or upper-case UUID (8-4-4-4-12 hex).
bool is_uuid(const std::string& text);

// The sum of every sample line of `metrics` whose series starts with `series_prefix`
// (e.g. `ssokit_link_redemptions_total{result="invalid"}` or `ssokit_rate_limited_total{`).
double metric_sum(const std::string& metrics, const std::string& series_prefix);

// Like send(), but the connection leaves from `local_address` (e.g. 127.0.0.2): the server
// then sees another client address.
HttpResponse send_from(const HttpRequest& request, const std::string& local_address);

// Milliseconds since the epoch (the server runs on the same clock).
std::int64_t now_ms();
// Sleeps until now_ms() >= `epoch_ms`.
void sleep_until_ms(std::int64_t epoch_ms);

// Asserts the SPEC §2 error envelope on `response`, with the given HTTP status, code and
// action (use ASSERT_NO_FATAL_FAILURE / EXPECT_NO_FATAL_FAILURE around it, or just call it).
void expect_error(const HttpResponse& response, long status, const std::string& code, const std::string& action);

// The upper-snake reason phrase SPEC §2 wants as the outer "status" of an error.
std::string reason_constant(long status);


// The base of the SSO tests: ApiTest plus the calls of SPEC §2's SSO table. Tests that
// need flags derive and override extra_args() (appended to the harness defaults, so a
// flag given here wins).
class SsoTest : public ApiTest {
 protected:
  std::vector<std::string> server_args() const override {
    std::vector<std::string> args = ApiTest::server_args();
    for (const std::string& arg : extra_args()) args.push_back(arg);
    return args;
  }
  virtual std::vector<std::string> extra_args() const { return {}; }

  std::string path(const std::string& tail) const { return "/api/" + sp_ + "/" + tail; }

  // POST serviceToken from `device` (AP-Device-Identifier added) with `extra` headers.
  HttpResponse post_token(const std::string& device, Headers extra = {}) {
    extra.emplace_back("AP-Device-Identifier", fingerprint(device));
    return call("POST", path("serviceToken"), std::move(extra));
  }
  HttpResponse refresh(const SignedIn& device) { return call("GET", path("serviceToken"), token_headers(device)); }
  HttpResponse link(const SignedIn& device) { return call("POST", path("link"), token_headers(device)); }
  HttpResponse list(const SignedIn& device) { return call("GET", path("list"), token_headers(device)); }
  HttpResponse unlink(const SignedIn& device, const std::string& body,
                      const std::string& content_type = "application/json") {
    Headers headers = token_headers(device);
    if (!content_type.empty()) headers.emplace_back("Content-Type", content_type);
    return call("POST", path("unlink"), std::move(headers), body);
  }
  static std::string devices_body(const std::vector<std::string>& ids) {
    std::string body = "{\"devices\":[";
    for (std::size_t i = 0; i < ids.size(); ++i) body += (i == 0 ? "\"" : ",\"") + ids[i] + "\"";
    return body + "]}";
  }
  // Redeems `code` from `device`; asserts 201.
  SignedIn join(const std::string& device, const std::string& code) {
    const HttpResponse joined = redeem(device, code);
    EXPECT_EQ(joined.status, 201) << joined.body;
    return {device_id(device), joined.json("serviceToken").value_or("")};
  }
  std::string metrics() { return send({"GET", server().base_url() + "/metrics", {}, std::nullopt}).body; }
};

}  // namespace ssokit::testing::sso
