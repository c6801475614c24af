// Test control (SPEC §6.4) on a router: faults before the handler, the moved clock's Date,
// the request history with secrets redacted, and the link codes kept in clear text.
#include "api/test_control.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <stdexcept>
#include <thread>

#include "api/responses.hpp"
#include "api/router.hpp"
#include "core/json.hpp"

namespace ssokit::api {
namespace {

using namespace std::chrono_literals;

std::string header_of(const http::Response& response, const std::string& name) {
  for (const http::Header& header : response.headers) {
    if (header.name == name) return header.value;
  }
  return "";
}

std::string error_field(const http::Response& response, const char* name) {
  const server::Json json = server::json_parse(response.body);
  const cJSON* error = cJSON_GetObjectItemCaseSensitive(json.get(), "error");
  const cJSON* item = cJSON_GetObjectItemCaseSensitive(error, name);
  if (cJSON_IsString(item)) return item->valuestring;
  if (cJSON_IsNumber(item)) return std::to_string(item->valueint);
  return "";
}

// The answer of a held response, waiting up to `wait`.
std::optional<http::Response> await(const http::Response& held, std::chrono::milliseconds wait = 2s) {
  auto promise = std::make_shared<std::promise<http::Response>>();
  auto future = promise->get_future();
  held.later->then([promise](http::Response out) { promise->set_value(std::move(out)); });
  if (future.wait_for(wait) != std::future_status::ready) return std::nullopt;
  return future.get();
}

class TestControlTest : public ::testing::Test {
 protected:
  TestControlTest() : logger_(LogLevel::kOff), router_(logger_, metrics_, random_, "http://sso.test"),
                      control_(clock_, logger_, router_) {
    router_.add("GET", "/api/{sp}/list", Produces::kJson, [this](RouteContext& context) {
      handled_.fetch_add(1);
      server::Json body = server::json_object();
      json_set(body.get(), "device", context.header("AP-Device-Identifier").value_or(""));
      return json_response(200, body.get());
    });
    router_.add("POST", "/api/{sp}/boom", Produces::kJson, [](RouteContext&) -> http::Response {
      throw std::runtime_error("disk on fire");
    });
    router_.add("GET", "/api/{sp}/link/status", Produces::kJson, [this](RouteContext&) {
      // A route that holds its answer (SPEC §6.1), completed later from another thread.
      auto later = std::make_shared<http::LaterResponse>();
      std::atomic_store(&held_, later);
      return http::Response::held(later);
    });
    router_.add("GET", "/test/clock", Produces::kJson, [](RouteContext&) { return http::Response{}; });
    router_.set_interceptor(&control_);
  }

  http::Response call(const std::string& method, const std::string& path, std::vector<http::Header> headers = {}) {
    http::Request request;
    request.method = method;
    request.path = path;
    request.target = path;
    request.headers = std::move(headers);
    return router_.handle(request);
  }

  void add_fault(const std::string& body) {
    auto fault = parse_fault(body, [this](const std::string& method, const std::string& pattern) {
      return control_.has_route(method, pattern);
    });
    ASSERT_TRUE(fault.ok()) << fault.error().message;
    ASSERT_TRUE(control_.faults().add(*fault));
  }

  Logger logger_;
  Metrics metrics_;
  server::CryptoRandom random_;
  server::AdjustableClock clock_;
  Router router_;
  TestControl control_;
  std::atomic<int> handled_{0};
  std::shared_ptr<http::LaterResponse> held_;
};

TEST_F(TestControlTest, AStatusFaultAnswersTheEnvelopeWithItsStatusForCountCallsThenTheRouteRuns) {
  add_fault(R"({"route":"GET /api/{sp}/list","status":503,"code":"internal_error","count":2})");
  for (int i = 0; i < 2; ++i) {
    const http::Response faulted = call("GET", "/api/demo/list");
    EXPECT_EQ(faulted.status, 503);
    EXPECT_EQ(error_field(faulted, "code"), "internal_error");
    EXPECT_EQ(error_field(faulted, "status"), "503");
    EXPECT_EQ(error_field(faulted, "trace"), header_of(faulted, "X-Trace-Id"));
    EXPECT_EQ(header_of(faulted, "Retry-After"), "1");
  }
  EXPECT_EQ(handled_.load(), 0) << "a status fault answers instead of the handler";
  EXPECT_EQ(call("GET", "/api/demo/list").status, 200);
  EXPECT_EQ(handled_.load(), 1);
}

TEST_F(TestControlTest, ADropFaultAsksTheServerToCloseWithoutAnAnswer) {
  add_fault(R"({"route":"GET /api/{sp}/list","drop":true})");
  EXPECT_TRUE(call("GET", "/api/demo/list").drop);
  EXPECT_EQ(handled_.load(), 0);
  EXPECT_FALSE(call("GET", "/api/demo/list").drop);
}

TEST_F(TestControlTest, ADelayFaultHoldsTheAnswerThenRunsTheHandlerWithTheRequest) {
  add_fault(R"({"route":"GET /api/{sp}/list","delayMs":150})");
  const auto start = std::chrono::steady_clock::now();
  const http::Response held = call("GET", "/api/demo/list", {{"AP-Device-Identifier", "fingerprint abc"}});
  ASSERT_TRUE(held.later) << "the calling thread does not wait";
  EXPECT_LT(std::chrono::steady_clock::now() - start, 100ms);
  EXPECT_EQ(handled_.load(), 0);
  const auto answer = await(held);
  ASSERT_TRUE(answer);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 150ms);
  EXPECT_EQ(answer->status, 200);
  EXPECT_NE(answer->body.find("fingerprint abc"), std::string::npos) << "the handler saw the request: " << answer->body;
  EXPECT_EQ(header_of(*answer, "X-Trace-Id").size(), 36u);
}

TEST_F(TestControlTest, ADelayedHandlerThatThrowsAnswers500LikeAnyOther) {
  add_fault(R"({"route":"POST /api/{sp}/boom","delayMs":10})");
  const http::Response held = call("POST", "/api/demo/boom");
  ASSERT_TRUE(held.later);
  const auto answer = await(held);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 500);
  EXPECT_EQ(error_field(*answer, "code"), "internal_error");
}

TEST_F(TestControlTest, ADelayedRouteThatHoldsItsAnswerCompletesOursWhenItsCompletes) {
  add_fault(R"({"route":"GET /api/{sp}/link/status","delayMs":20})");
  const http::Response held = call("GET", "/api/demo/link/status");
  ASSERT_TRUE(held.later);
  for (int i = 0; i < 200 && std::atomic_load(&held_) == nullptr; ++i) std::this_thread::sleep_for(5ms);
  ASSERT_TRUE(std::atomic_load(&held_)) << "the route ran after the delay";
  auto promise = std::make_shared<std::promise<http::Response>>();
  auto answer = promise->get_future();
  held.later->then([promise](http::Response out) { promise->set_value(std::move(out)); });
  EXPECT_EQ(answer.wait_for(50ms), std::future_status::timeout) << "still held by the route itself";
  http::Response done;
  done.status = 202;
  std::thread([later = std::atomic_load(&held_), done] { later->complete(done); }).join();
  ASSERT_EQ(answer.wait_for(2s), std::future_status::ready);
  const http::Response out = answer.get();
  EXPECT_EQ(out.status, 202);
  EXPECT_EQ(header_of(out, "X-Trace-Id").size(), 36u);
  EXPECT_FALSE(header_of(out, "Date").empty());
}

TEST_F(TestControlTest, DateFollowsTheMovedClock) {
  clock_.advance(48LL * 3600 * 1000);
  const http::Response response = call("GET", "/api/demo/list");
  const auto then = std::chrono::system_clock::now() + 48h;
  const std::string date = header_of(response, "Date");
  EXPECT_TRUE(date == http::http_date(then) || date == http::http_date(then - 1s)) << date;
}

TEST_F(TestControlTest, TheHistoryKeepsRouteStatusTraceAndHeadersWithSecretsRedacted) {
  const http::Response answered = call("GET", "/api/demo/list",
                                       {{"Authorization", "Bearer access-secret"},
                                        {"ap-device-identifier", "fingerprint ZGV2aWNl"},
                                        {"X-SSO-LINK", "123456"},
                                        {"X-SSO-ID", "alice"},
                                        {"AD-Service-Token", "eyJ.token"},
                                        {"X-Roku-Reserved-Roku-Connect-Token", "eyJ.roku"},
                                        {"Cookie", "session=1"},
                                        {"Proxy-Authorization", "Basic xyz"},
                                        {"X-Device-Info", "eyJtb2RlbCI6IngifQ=="}});
  call("GET", "/api/demo/nothing");
  call("GET", "/test/clock");  // not recorded
  const std::vector<RecordedRequest> recorded = control_.requests().last(10);
  ASSERT_EQ(recorded.size(), 2u);
  EXPECT_EQ(recorded[0].method, "GET");
  EXPECT_EQ(recorded[0].route, "/api/{sp}/list");
  EXPECT_EQ(recorded[0].status, 200);
  EXPECT_EQ(recorded[0].trace, header_of(answered, "X-Trace-Id"));
  ASSERT_EQ(recorded[0].headers.size(), 9u);
  for (const http::Header& header : recorded[0].headers) {
    if (header.name == "X-Device-Info") {
      EXPECT_EQ(header.value, "eyJtb2RlbCI6IngifQ==");
    } else {
      EXPECT_EQ(header.value, kRedacted) << header.name;
    }
  }
  EXPECT_EQ(recorded[1].route, "(none)");
  EXPECT_EQ(recorded[1].status, 404);
}

TEST_F(TestControlTest, ADroppedCallIsRecordedWithStatus0) {
  add_fault(R"({"route":"GET /api/{sp}/list","drop":true})");
  call("GET", "/api/demo/list");
  const auto recorded = control_.requests().last(1);
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded[0].status, 0);
}

TEST_F(TestControlTest, ResetClearsFaultsHistoryAndTheClockOffset) {
  add_fault(R"({"route":"GET /api/{sp}/list","drop":true})");
  call("GET", "/api/demo/nothing");
  clock_.advance(1000);
  control_.reset();
  EXPECT_EQ(clock_.offset_ms(), 0);
  EXPECT_TRUE(control_.requests().last(10).empty());
  EXPECT_EQ(call("GET", "/api/demo/list").status, 200);
}

TEST(RequestHistory, KeepsTheLastRequestsOldestFirst) {
  RequestHistory history;
  for (std::size_t i = 0; i < RequestHistory::kCapacity + 5; ++i) {
    history.add("GET", "/r" + std::to_string(i), 200, "t", {});
  }
  const auto all = history.last(RequestHistory::kCapacity + 100);
  ASSERT_EQ(all.size(), RequestHistory::kCapacity);
  EXPECT_EQ(all.front().route, "/r5");
  EXPECT_EQ(all.back().route, "/r" + std::to_string(RequestHistory::kCapacity + 4));
  const auto two = history.last(2);
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[0].route, "/r" + std::to_string(RequestHistory::kCapacity + 3));
  EXPECT_EQ(two[1].route, "/r" + std::to_string(RequestHistory::kCapacity + 4));
  history.clear();
  EXPECT_TRUE(history.last(5).empty());
}

TEST(LinkCodeBook, ListsADevicesLiveCodesInTheOrderMade) {
  server::AdjustableClock clock;
  LinkCodeBook book(clock);
  const server::Millis now = clock.now_ms();
  book.keep("demo", "phone", "111111", now + 60'000, false);
  book.keep("demo", "phone", "222222", now + 120'000, true);
  book.keep("demo", "tablet", "333333", now + 60'000, false);
  book.keep("other", "phone", "444444", now + 60'000, false);
  const auto codes = book.live("demo", "phone");
  ASSERT_EQ(codes.size(), 2u);
  EXPECT_EQ(codes[0].code, "111111");
  EXPECT_FALSE(codes[0].approval_required);
  EXPECT_EQ(codes[1].code, "222222");
  EXPECT_TRUE(codes[1].approval_required);
  EXPECT_EQ(codes[1].not_after, now + 120'000);

  clock.advance(90'000);
  const auto later = book.live("demo", "phone");
  ASSERT_EQ(later.size(), 1u) << "an expired code is not listed";
  EXPECT_EQ(later[0].code, "222222");
  EXPECT_TRUE(book.live("demo", "nobody").empty());
}

TEST(LinkCodeBook, KeepsABoundedNumberPerDeviceNewestKept) {
  server::AdjustableClock clock;
  LinkCodeBook book(clock);
  const server::Millis not_after = clock.now_ms() + 600'000;
  for (std::size_t i = 0; i < LinkCodeBook::kMaxPerDevice + 3; ++i) {
    book.keep("demo", "phone", std::to_string(100000 + i), not_after, false);
  }
  const auto codes = book.live("demo", "phone");
  ASSERT_EQ(codes.size(), LinkCodeBook::kMaxPerDevice);
  EXPECT_EQ(codes.front().code, "100003");
  EXPECT_EQ(codes.back().code, std::to_string(100000 + LinkCodeBook::kMaxPerDevice + 2));
}

TEST(LinkCodeBook, KeepsABoundedNumberInAll) {
  server::AdjustableClock clock;
  LinkCodeBook book(clock);
  const server::Millis not_after = clock.now_ms() + 600'000;
  for (std::size_t i = 0; i < LinkCodeBook::kMaxCodes + 1; ++i) {
    book.keep("demo", "device-" + std::to_string(i), "123456", not_after, false);
  }
  EXPECT_TRUE(book.live("demo", "device-0").empty()) << "the oldest gave way";
  EXPECT_EQ(book.live("demo", "device-1").size(), 1u);
  EXPECT_EQ(book.live("demo", "device-" + std::to_string(LinkCodeBook::kMaxCodes)).size(), 1u);
}

}  // namespace
}  // namespace ssokit::api
