// Times a broken or hostile server (or a tampered secure store) may send: tokens living
// for centuries, times at the ends of the ranges, Date headers far from the device's clock,
// Retry-After of decades. None may overflow std::chrono arithmetic (run these under UBSan)
// or make the SDK keep a token, trust a clock or wait for an absurd length of time.
#include <cstdint>
#include <ctime>
#include <limits>

#include "client_fixture.hpp"

namespace ssokit::testing {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;

constexpr std::int64_t kMaxJsonTime = std::int64_t{1} << 53;  // the largest time the wire format takes
constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kInt64Min = std::numeric_limits<std::int64_t>::min();
constexpr hours kYear{24 * 365};  // the SDK's documented maximum lifetime and clock offset

std::string http_date(std::int64_t seconds_since_epoch) {
  const auto seconds = static_cast<std::time_t>(seconds_since_epoch);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[64];
  std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return text;
}

class HostileTimeTest : public ClientTest {
 protected:
  void sign_in_with_times(std::int64_t not_before, std::int64_t not_after, std::vector<HttpHeader> headers = {}) {
    script_registration();
    transport_->respond("POST", "/serviceToken", 201,
                        R"({"serviceToken":"token-1","notBefore":)" + std::to_string(not_before) + R"(,"notAfter":)" +
                            std::to_string(not_after) + "}",
                        std::move(headers));
    auto token = client().sign_in("alice");
    ASSERT_TRUE(token.ok()) << token.status().message();
  }
  // The token the client serves now, and whether serving it took a refresh.
  bool refreshes_now() {
    const std::size_t before = transport_->count("GET", "/serviceToken");
    script_service_token("GET", "token-2", now_ms(*platform_.clock));
    auto token = client().service_token();
    EXPECT_TRUE(token.ok()) << token.status().message();
    return transport_->count("GET", "/serviceToken") > before;
  }
  std::string stored(const std::string& key) {
    const auto contents = platform_.store->contents();
    const auto found = contents.find(key);
    return found == contents.end() ? std::string("<none>") : found->second;
  }
};

TEST_F(HostileTimeTest, ATokenClaimingACenturyIsRefreshedWithinAYear) {
  const std::int64_t now = now_ms(*platform_.clock);
  sign_in_with_times(now, now + 100 * std::int64_t{kYear.count()} * 3'600'000);
  platform_.clock->advance(kYear - hours(1));
  EXPECT_FALSE(refreshes_now());
  platform_.clock->advance(hours(1));
  script_access_token("access-2");  // the day-long access token is long gone too
  EXPECT_TRUE(refreshes_now()) << "a token is kept at most a year, whatever its notAfter";
}

TEST_F(HostileTimeTest, TimesAtTheEndOfTheWireRangeDoNotOverflowTheSteadyClock) {
  // notAfter - now is about 285,000 years: in nanoseconds, far beyond int64.
  sign_in_with_times(kMaxJsonTime, kMaxJsonTime);
  EXPECT_FALSE(refreshes_now());
  platform_.clock->advance(kYear + minutes(1));
  script_access_token("access-2");
  EXPECT_TRUE(refreshes_now());
}

TEST_F(HostileTimeTest, ALinkCodeClaimingACenturyIsCutToAYear) {
  signed_in();
  const std::int64_t now = now_ms(*platform_.clock);
  transport_->respond("POST", "/link", 201,
                      R"({"code":"228128","notBefore":)" + std::to_string(now) + R"(,"notAfter":)" +
                          std::to_string(kMaxJsonTime) + "}");
  auto code = client().create_link_code();
  ASSERT_TRUE(code.ok()) << code.status().message();
  EXPECT_EQ(code->not_after - code->not_before, milliseconds(kYear));
}

TEST_F(HostileTimeTest, ADateCenturiesInThePastIsIgnored) {
  const std::int64_t now = now_ms(*platform_.clock);
  // 1678: the device clock minus this is beyond ±292 years of nanoseconds.
  sign_in_with_times(now, now + 3'600'000, {{"Date", "Mon, 03 Jan 1678 00:00:00 GMT"}});
  EXPECT_EQ(stored("server_offset_ms"), "0");
  platform_.clock->advance(minutes(50));
  EXPECT_FALSE(refreshes_now()) << "the token's hour is counted on the device's clock";
}

TEST_F(HostileTimeTest, ADateCenturiesAheadIsIgnored) {
  const std::int64_t now = now_ms(*platform_.clock);
  sign_in_with_times(now, now + 3'600'000, {{"Date", "Fri, 11 Apr 2262 23:47:16 GMT"}});
  EXPECT_EQ(stored("server_offset_ms"), "0");
  EXPECT_FALSE(refreshes_now());
}

TEST_F(HostileTimeTest, ADateMoreThanAYearOffIsIgnoredAndOneWithinAYearIsApplied) {
  const std::int64_t now = now_ms(*platform_.clock);
  const std::int64_t two_years_ahead = now / 1000 + 2 * 365 * 86'400;
  sign_in_with_times(now, now + 3'600'000, {{"Date", http_date(two_years_ahead)}});
  EXPECT_EQ(stored("server_offset_ms"), "0");
  EXPECT_FALSE(refreshes_now());

  const std::int64_t half_a_year_behind = now / 1000 - 182 * 86'400;
  script_service_token("POST", "token-3", now - std::int64_t{182} * 86'400'000, 3'600'000,
                       {{"Date", http_date(half_a_year_behind)}});
  ASSERT_TRUE(client().sign_in("alice").ok());
  EXPECT_EQ(stored("server_offset_ms"), std::to_string(std::int64_t{-182} * 86'400'000));
}

TEST_F(HostileTimeTest, AStoredTokenWithTimesOutOfRangeIsNotServed) {
  for (const std::string& times :
       {std::to_string(kInt64Min) + "\n" + std::to_string(kInt64Max), "-1\n" + std::to_string(kInt64Max),
        std::string("0\n99999999999999999999999"), std::string("10\n5"), std::string("x\ny")}) {
    platform_.store->put("service_token", "stored-token\n" + times);
    client_.emplace(make_client());
    EXPECT_EQ(client().service_token().status().code(), ErrorCode::kNotSignedIn) << times;
  }
}

TEST_F(HostileTimeTest, AStoredClockOffsetOutOfRangeIsIgnored) {
  const std::int64_t now = now_ms(*platform_.clock);
  for (const std::int64_t offset : {kInt64Max, kInt64Min, std::int64_t{2} * 365 * 86'400'000}) {
    platform_.store->put("service_token",
                         "stored-token\n" + std::to_string(now) + "\n" + std::to_string(now + 3'600'000));
    platform_.store->put("server_offset_ms", std::to_string(offset));
    client_.emplace(make_client());
    auto token = client().service_token();
    ASSERT_TRUE(token.ok()) << offset << ": " << token.status().message();
    EXPECT_EQ(token->value, "stored-token") << offset << ": served from the store, on the device's clock";
  }
}

TEST_F(HostileTimeTest, AStoredAccessTokenWithAnExpiryOutOfRangeIsRenewed) {
  signed_in();
  for (const std::int64_t expiry : {kInt64Max, kInt64Min, std::int64_t{-1}}) {
    platform_.store->put("access_token", "stored-access\n" + std::to_string(expiry));
    client_.emplace(make_client());
    script_access_token("fresh-access");
    transport_->respond("GET", "/list", 200, R"({"devices":{}})");
    auto devices = client().list_devices();
    ASSERT_TRUE(devices.ok()) << expiry << ": " << devices.status().message();
    const HttpRequest list = transport_->requests().back();
    bool used_fresh = false;
    for (const auto& header : list.headers) used_fresh |= header.value == "Bearer fresh-access";
    EXPECT_TRUE(used_fresh) << expiry;
  }
}

TEST_F(HostileTimeTest, AnAccessTokenClaimingCenturiesIsRenewedWithinAYear) {
  script_registration(kMaxJsonTime);  // expires_in, seconds
  script_service_token("POST", "token-1", now_ms(*platform_.clock));
  ASSERT_TRUE(client().sign_in("alice").ok());
  platform_.clock->advance(kYear);
  script_access_token("access-2");
  script_service_token("POST", "token-2", now_ms(*platform_.clock));
  ASSERT_TRUE(client().sign_in("alice").ok());
  EXPECT_EQ(transport_->count("POST", "/o/client/token"), 2u);
}

TEST_F(HostileTimeTest, ARetryAfterOfDecadesIsPassedOnAsAtMostAnHour) {
  script_registration();
  transport_->respond("POST", "/serviceToken", 429, error_body(429, "too_many_attempts", "retry"),
                      {{"Retry-After", "9999999999999999999999"}});
  auto joined = client().redeem_link_code("123456");
  ASSERT_EQ(joined.status().code(), ErrorCode::kRateLimited);
  EXPECT_EQ(joined.status().retry_after(), hours(1));
}

TEST_F(HostileTimeTest, ARetryAfterDateFarAheadIsPassedOnAsAtMostAnHour) {
  script_registration();
  transport_->respond("POST", "/serviceToken", 429, error_body(429, "too_many_attempts", "retry"),
                      {{"Retry-After", "Fri, 11 Apr 2262 23:47:16 GMT"}, {"Date", "Mon, 03 Jan 1678 00:00:00 GMT"}});
  auto joined = client().redeem_link_code("123456");
  ASSERT_EQ(joined.status().code(), ErrorCode::kRateLimited);
  EXPECT_EQ(joined.status().retry_after(), hours(1));
}

}  // namespace
}  // namespace ssokit::testing
