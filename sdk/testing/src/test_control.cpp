#include "ssokit/testing/test_control.hpp"

#include "encoding.hpp"
#include "wire/json.hpp"
#include "wire/wire.hpp"

// The answers are read with the SDK's own wire layer (sdk/src/wire): the same strictness
// and the same "bad <answer>: <field> ..." messages as every SDK call.
namespace ssokit::testing {
namespace {

namespace json = wire::json;

Result<ServerClock> parse_clock(const std::string& body) {
  constexpr std::string_view kAnswer = "test clock answer";
  auto object = json::parse_object(body, kAnswer);
  if (!object) return object.status();
  const json::Fields fields(object->get(), kAnswer);
  auto now = fields.time("now");
  if (!now) return now.status();
  auto offset = fields.count("offsetSeconds");
  if (!offset) return offset.status();
  return ServerClock{*now, std::chrono::seconds(*offset)};
}

Result<std::vector<LiveLinkCode>> parse_link_codes(const std::string& body) {
  constexpr std::string_view kAnswer = "test link codes answer";
  auto object = json::parse_object(body, kAnswer);
  if (!object) return object.status();
  auto list = json::Fields(object->get(), kAnswer).array("codes");
  if (!list) return list.status();
  std::vector<LiveLinkCode> codes;
  for (const cJSON* item = (*list)->child; item != nullptr; item = item->next) {
    if (!cJSON_IsObject(item)) return json::bad_answer(kAnswer, "codes.*", "is not an object");
    const json::Fields fields(item, kAnswer, "codes.*.");
    auto code = fields.text({"code"});
    if (!code) return code.status();
    auto not_after = fields.time("notAfter");
    if (!not_after) return not_after.status();
    auto approval = fields.optional_text("approval");
    if (!approval) return approval.status();
    codes.push_back({std::move(code).value(), *not_after, *approval == "required"});
  }
  return codes;
}

Result<std::vector<RecordedRequest>> parse_requests(const std::string& body) {
  constexpr std::string_view kAnswer = "test requests answer";
  auto object = json::parse_object(body, kAnswer);
  if (!object) return object.status();
  auto list = json::Fields(object->get(), kAnswer).array("requests");
  if (!list) return list.status();
  std::vector<RecordedRequest> requests;
  for (const cJSON* item = (*list)->child; item != nullptr; item = item->next) {
    if (!cJSON_IsObject(item)) return json::bad_answer(kAnswer, "requests.*", "is not an object");
    const json::Fields fields(item, kAnswer, "requests.*.");
    RecordedRequest request;
    auto method = fields.text({"method"});
    if (!method) return method.status();
    auto route = fields.text({"route"});
    if (!route) return route.status();
    auto status = fields.count("status");
    if (!status) return status.status();
    if (*status > 999) return fields.error("status", "is not an HTTP status");
    auto trace = fields.optional_text("trace");
    if (!trace) return trace.status();
    auto headers = fields.optional_object("headers");
    if (!headers) return headers.status();
    request.method = std::move(method).value();
    request.route = std::move(route).value();
    request.status = static_cast<int>(*status);
    request.trace = std::move(trace).value();
    for (const cJSON* header = *headers == nullptr ? nullptr : (*headers)->child; header != nullptr;
         header = header->next) {
      if (header->string != nullptr && cJSON_IsString(header) && header->valuestring != nullptr) {
        request.headers.emplace(header->string, header->valuestring);
      }
    }
    requests.push_back(std::move(request));
  }
  return requests;
}

std::string fault_body(const ServerFault& fault) {
  json::Json body(cJSON_CreateObject());
  cJSON_AddStringToObject(body.get(), "route", fault.route.c_str());
  if (fault.drop) {
    cJSON_AddBoolToObject(body.get(), "drop", true);
  } else if (fault.delay.count() > 0) {
    cJSON_AddNumberToObject(body.get(), "delayMs", static_cast<double>(fault.delay.count()));
  } else {
    cJSON_AddNumberToObject(body.get(), "status", fault.status);
    cJSON_AddStringToObject(body.get(), "code", fault.code.c_str());
  }
  cJSON_AddNumberToObject(body.get(), "count", fault.count);
  return json::print(body.get());
}

// {"status":"OK"}: read as the SDK reads any answer that carries nothing, a JSON object.
Status ok_answer(const Result<HttpResponse>& response, std::string_view answer) {
  if (!response) return response.status();
  auto object = json::parse_object(response->body, answer);
  return object ? Status() : object.status();
}

}  // namespace

ServerFault ServerFault::error(std::string route, int status, std::string code, int count) {
  ServerFault fault;
  fault.route = std::move(route);
  fault.status = status;
  fault.code = std::move(code);
  fault.count = count;
  return fault;
}

ServerFault ServerFault::delayed(std::string route, std::chrono::milliseconds delay, int count) {
  ServerFault fault;
  fault.route = std::move(route);
  fault.delay = delay;
  fault.count = count;
  return fault;
}

ServerFault ServerFault::dropped(std::string route, int count) {
  ServerFault fault;
  fault.route = std::move(route);
  fault.drop = true;
  fault.count = count;
  return fault;
}

TestControl::TestControl(std::string server, std::shared_ptr<HttpTransport> transport,
                         std::chrono::milliseconds timeout)
    : server_(std::move(server)), transport_(std::move(transport)), timeout_(timeout) {
  while (!server_.empty() && server_.back() == '/') server_.pop_back();
#if SSOKIT_HAS_CURL_TRANSPORT
  if (!transport_) transport_ = make_curl_transport();
#endif
}

Result<HttpResponse> TestControl::send(const std::string& method, const std::string& path_and_query,
                                       const std::string& body) const {
  if (!transport_) {
    return Status(ErrorCode::kInvalidArgument, "TestControl needs a transport: this SDK was built without libcurl");
  }
  HttpRequest request;
  request.method = method;
  request.url = server_ + path_and_query;
  request.headers = {{"Accept", "application/json"}};
  if (!body.empty()) {
    request.headers.push_back({"Content-Type", "application/json"});
    request.body = body;
  }
  TransportCall call;
  call.deadline = std::chrono::steady_clock::now() + timeout_;
  TransportResult result = transport_->send(request, call);
  if (!result.status.ok()) return result.status;
  HttpResponse& response = result.response;
  if (response.status >= 200 && response.status < 300) return std::move(response);
  Status status = wire::status_from_response(response);
  if (response.status == 404 && status.server_error() && status.server_error()->code == "resource_not_found") {
    // The one mistake every first use makes: say what to do, keep the server's error object.
    Status hint(status.code(), method + " " + path_and_query.substr(0, path_and_query.find('?')) +
                                   " answered 404: start the server with `ssokit-server serve --test-control`");
    hint.with_server_error(*status.server_error());
    return hint;
  }
  return status;
}

Result<ServerClock> TestControl::clock() const {
  auto response = send("GET", "/test/clock");
  if (!response) return response.status();
  return parse_clock(response->body);
}

Result<ServerClock> TestControl::advance_clock(std::chrono::seconds by) const {
  json::Json body(cJSON_CreateObject());
  cJSON_AddNumberToObject(body.get(), "advanceSeconds", static_cast<double>(by.count()));
  auto response = send("POST", "/test/clock", json::print(body.get()));
  if (!response) return response.status();
  return parse_clock(response->body);
}

Result<std::vector<LiveLinkCode>> TestControl::link_codes(const std::string& service_provider,
                                                          const std::string& device_id) const {
  // Device ids are base64: '+', '/' and '=' must be encoded to reach the server as sent.
  auto response = send("GET", "/test/link-codes?sp=" + internal::percent_encode(service_provider) +
                                  "&device=" + internal::percent_encode(device_id));
  if (!response) return response.status();
  return parse_link_codes(response->body);
}

Status TestControl::add_fault(const ServerFault& fault) const {
  return ok_answer(send("POST", "/test/faults", fault_body(fault)), "test faults answer");
}

Status TestControl::clear_faults() const {
  return ok_answer(send("DELETE", "/test/faults"), "test faults answer");
}

Result<std::vector<RecordedRequest>> TestControl::requests(std::size_t limit) const {
  auto response = send("GET", limit == 0 ? "/test/requests" : "/test/requests?limit=" + std::to_string(limit));
  if (!response) return response.status();
  return parse_requests(response->body);
}

Status TestControl::reset() const {
  return ok_answer(send("POST", "/test/reset"), "test reset answer");
}

}  // namespace ssokit::testing
