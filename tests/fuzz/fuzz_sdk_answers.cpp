// libFuzzer target: every answer the SDK parses, from any bytes a server (or a man in the
// middle) could send. The SDK promises a typed error, never a crash, for every malformed
// answer; this holds it to that beyond the hand-written cases. The input is the body (the
// seed answers in tests/fixtures/seed-responses start the corpus); its length picks the HTTP
// status for status_from_response, and its text split at the first newline also serves as
// Retry-After and Date.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "ssokit/transport.hpp"
#include "wire/wire.hpp"

namespace {

using namespace ssokit;

constexpr int kStatuses[] = {200, 201, 400, 401, 403, 404, 409, 410, 429, 500, 502, 503, 504};

// A failed parse is a kBadResponse, whatever the bytes were.
template <class T>
void expect_typed(const Result<T>& result) {
  if (!result.ok() && result.status().code() != ErrorCode::kBadResponse) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);

  expect_typed(wire::parse_service_token(body));
  expect_typed(wire::parse_link_code(body));
  const auto link_status = wire::parse_link_code_status(body, "ZmFrZS1kZXZpY2U=");
  expect_typed(link_status);
  if (link_status.ok() && link_status->device && link_status->device->id.empty()) std::abort();
  expect_typed(wire::parse_redemption(202, body));
  expect_typed(wire::parse_redemption(201, body));
  if (const Status decision = wire::parse_link_decision(body); !decision.ok() && decision.code() != ErrorCode::kBadResponse) {
    std::abort();
  }
  const auto devices = wire::parse_devices(body, "ZmFrZS1kZXZpY2U=");
  expect_typed(devices);
  if (devices.ok()) {
    for (const Device& device : *devices) {
      if (device.id.empty()) std::abort();  // an entry without an id is refused
    }
  }
  expect_typed(wire::parse_unlinked(body));
  expect_typed(wire::parse_mvpd_session(body));
  expect_typed(wire::parse_mvpd_profiles(body));
  expect_typed(wire::parse_mvpd_logout(body, "mvpd1"));
  expect_typed(wire::parse_registration(body));
  expect_typed(wire::parse_access_token(body));

  HttpResponse response;
  response.status = kStatuses[size % (sizeof(kStatuses) / sizeof(kStatuses[0]))];
  response.body = body;
  const std::size_t newline = body.find('\n');
  const std::string retry_after = body.substr(0, newline);
  const std::string date = newline == std::string::npos ? std::string() : body.substr(newline + 1);
  response.headers = {{"Retry-After", retry_after}, {"Date", date}};
  const Status status = wire::status_from_response(response);
  if (status.ok()) std::abort();  // a non-2xx answer is never success
  if (status.retry_after().count() < 0) std::abort();

  if (const auto wait = wire::parse_retry_after(retry_after, date); wait && wait->count() < 0) std::abort();
  (void)wire::parse_http_date(retry_after);
  return 0;
}
