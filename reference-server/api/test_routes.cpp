// The /test/ routes of `serve --test-control` (SPEC §6.4), for CI jobs that drive the server:
// move the clock, read the link codes a device made, inject faults, read what was answered.
// Added only with the flag; without it every /test/ path is 404 like any unknown path.
#include <charconv>
#include <stdexcept>

#include "api/form.hpp"
#include "api/responses.hpp"
#include "api/routes.hpp"
#include "api/test_control.hpp"

namespace ssokit::api {
namespace {

using server::ApiError;
using server::ErrorId;

// One call moves the clock by ten years at most (the offset's own bound is a century).
constexpr std::int64_t kMaxAdvanceSeconds = 10LL * 365 * 24 * 3600;

ApiError invalid(std::string why) { return ApiError(ErrorId::kRequestInvalid, std::move(why)); }

http::Response ok() {
  server::Json body = server::json_object();
  json_set(body.get(), "status", "OK");
  return json_response(200, body.get());
}

http::Response clock_answer(const server::AdjustableClock& clock) {
  server::Json body = server::json_object();
  json_set(body.get(), "now", clock.now_ms());
  json_set(body.get(), "offsetSeconds", clock.offset_ms() / 1000);
  return json_response(200, body.get());
}

// The query's fields; nullopt when a percent escape is malformed.
std::optional<std::map<std::string, std::string>> query_of(const RouteContext& context) {
  return parse_form(context.request().query);
}

http::Response advance_clock(TestControl& control, RouteContext& context) {
  const server::Json body = server::json_parse(context.request().body);
  if (!body || !cJSON_IsObject(body.get())) {
    return context.fail(invalid("The body must be a JSON object: {\"advanceSeconds\":N}"));
  }
  const auto seconds = server::json_integer(body.get(), "advanceSeconds");
  if (!seconds) return context.fail(invalid("advanceSeconds must be a whole number of seconds"));
  if (*seconds < 0) return context.fail(invalid("advanceSeconds cannot be negative: the clock never runs backwards"));
  if (*seconds > kMaxAdvanceSeconds) {
    return context.fail(invalid("advanceSeconds is at most " + std::to_string(kMaxAdvanceSeconds) + " per call"));
  }
  try {
    control.clock().advance(*seconds * 1000);
  } catch (const std::invalid_argument& e) {
    return context.fail(invalid(e.what()));
  }
  return clock_answer(control.clock());
}

http::Response link_codes(TestControl& control, RouteContext& context) {
  const auto query = query_of(context);
  if (!query) return context.fail(invalid("The query is not valid URL encoding"));
  const std::string sp = form_value(*query, "sp");
  std::string device = form_value(*query, "device");
  if (sp.empty() || device.empty()) {
    return context.fail(invalid("sp and device are required: /test/link-codes?sp=SP&device=DEVICE_ID"));
  }
  // A device id is base64, which has no space: a '+' sent unencoded arrived as one.
  for (char& c : device) {
    if (c == ' ') c = '+';
  }
  server::Json codes = server::json_array();
  for (const KeptLinkCode& kept : control.link_codes().live(sp, device)) {
    server::Json entry = server::json_object();
    json_set(entry.get(), "code", kept.code);
    json_set(entry.get(), "notAfter", kept.not_after);
    json_set(entry.get(), "approval", kept.approval_required ? "required" : "optional");
    cJSON_AddItemToArray(codes.get(), entry.release());
  }
  server::Json body = server::json_object();
  json_set(body.get(), "codes", std::move(codes));
  return json_response(200, body.get());
}

http::Response add_fault(TestControl& control, RouteContext& context) {
  auto fault = parse_fault(context.request().body, [&control](const std::string& method, const std::string& pattern) {
    return control.has_route(method, pattern);
  });
  if (!fault) return context.fail(fault.error());
  if (!control.faults().add(*fault)) {
    return context.fail(invalid("Too many faults queued (" + std::to_string(kMaxQueuedFaults) +
                                "); DELETE /test/faults clears them"));
  }
  return ok();
}

http::Response recorded_requests(TestControl& control, RouteContext& context) {
  const auto query = query_of(context);
  if (!query) return context.fail(invalid("The query is not valid URL encoding"));
  std::size_t limit = RequestHistory::kCapacity;
  if (query->count("limit") != 0) {
    const std::string text = form_value(*query, "limit");
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), limit);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() || limit < 1 ||
        limit > RequestHistory::kCapacity) {
      return context.fail(invalid("limit must be a whole number from 1 to " + std::to_string(RequestHistory::kCapacity)));
    }
  }
  server::Json requests = server::json_array();
  for (const RecordedRequest& recorded : control.requests().last(limit)) {
    server::Json entry = server::json_object();
    json_set(entry.get(), "method", recorded.method);
    json_set(entry.get(), "route", recorded.route);
    json_set(entry.get(), "status", static_cast<std::int64_t>(recorded.status));
    json_set(entry.get(), "trace", recorded.trace);
    server::Json headers = server::json_object();
    for (const http::Header& header : recorded.headers) {
      // A header sent twice reads as one list, as HTTP allows.
      cJSON* seen = cJSON_GetObjectItem(headers.get(), header.name.c_str());
      if (seen != nullptr && cJSON_IsString(seen)) {
        const std::string joined = std::string(seen->valuestring) + ", " + header.value;
        cJSON_ReplaceItemViaPointer(headers.get(), seen, cJSON_CreateString(joined.c_str()));
      } else {
        json_set(headers.get(), header.name.c_str(), header.value);
      }
    }
    json_set(entry.get(), "headers", std::move(headers));
    cJSON_AddItemToArray(requests.get(), entry.release());
  }
  server::Json body = server::json_object();
  json_set(body.get(), "requests", std::move(requests));
  return json_response(200, body.get());
}

}  // namespace

void add_test_routes(Router& router, TestControl& control) {
  router.add("GET", "/test/clock", Produces::kJson,
             [&control](RouteContext&) { return clock_answer(control.clock()); });
  router.add("POST", "/test/clock", Produces::kJson,
             [&control](RouteContext& context) { return advance_clock(control, context); });
  router.add("GET", "/test/link-codes", Produces::kJson,
             [&control](RouteContext& context) { return link_codes(control, context); });
  router.add("POST", "/test/faults", Produces::kJson,
             [&control](RouteContext& context) { return add_fault(control, context); });
  router.add("DELETE", "/test/faults", Produces::kJson, [&control](RouteContext&) {
    control.faults().clear();
    return ok();
  });
  router.add("GET", "/test/requests", Produces::kJson,
             [&control](RouteContext& context) { return recorded_requests(control, context); });
  router.add("POST", "/test/reset", Produces::kJson, [&control](RouteContext&) {
    control.reset();
    return ok();
  });
}

}  // namespace ssokit::api
