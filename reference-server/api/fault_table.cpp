#include "api/fault_table.hpp"

#include "core/json.hpp"

namespace ssokit::api {
namespace {

using server::ApiError;
using server::ErrorId;

ApiError invalid(const std::string& why) { return ApiError(ErrorId::kRequestInvalid, why); }

// The statuses the envelope has a reason constant for (its outer "status").
bool envelope_status(std::int64_t status) {
  if (status < 400 || status > 599) return false;
  const int code = static_cast<int>(status);
  return code == 500 || server::http_reason_constant(code) != "INTERNAL_SERVER_ERROR";
}

// "METHOD pattern" of a route the server has, outside /test/.
std::optional<std::string> route_error(const std::string& route, const RouteExists& route_exists) {
  const auto space = route.find(' ');
  if (space == std::string::npos || space == 0) {
    return "route must be the method and the route pattern, e.g. \"POST /api/{sp}/link\"";
  }
  const std::string pattern = route.substr(space + 1);
  if (pattern == "/test" || pattern.rfind("/test/", 0) == 0) return "test control's own routes take no faults";
  if (!route_exists(route.substr(0, space), pattern)) {
    return "route \"" + route + "\" is not a route of this server (write {sp} literally, e.g. \"POST /api/{sp}/link\")";
  }
  return std::nullopt;
}

}  // namespace

server::Outcome<Fault> parse_fault(std::string_view body, const RouteExists& route_exists) {
  const server::Json json = server::json_parse(body);
  if (!json || !cJSON_IsObject(json.get())) return invalid("The body must be a JSON object");
  const cJSON* member = nullptr;
  cJSON_ArrayForEach(member, json.get()) {
    const std::string name = member->string;
    if (name != "route" && name != "status" && name != "code" && name != "delayMs" && name != "drop" &&
        name != "count") {
      return invalid("Unknown member \"" + name + "\" (route, status, code, delayMs, drop, count)");
    }
  }
  Fault fault;
  const auto route = server::json_string(json.get(), "route");
  if (!route) return invalid("route is required: the method and the route pattern, e.g. \"POST /api/{sp}/link\"");
  if (auto why = route_error(*route, route_exists)) return invalid(*why);
  fault.route = *route;

  const cJSON* status = cJSON_GetObjectItemCaseSensitive(json.get(), "status");
  const cJSON* delay = cJSON_GetObjectItemCaseSensitive(json.get(), "delayMs");
  const cJSON* drop = cJSON_GetObjectItemCaseSensitive(json.get(), "drop");
  if (drop != nullptr && !cJSON_IsBool(drop)) return invalid("drop must be true or false");
  const bool dropping = cJSON_IsTrue(drop);
  if ((status != nullptr) + (delay != nullptr) + dropping != 1) {
    return invalid("A fault is exactly one of status (with code), delayMs or \"drop\":true");
  }
  const bool has_code = cJSON_GetObjectItemCaseSensitive(json.get(), "code") != nullptr;
  if (status != nullptr) {
    const auto value = server::json_integer(json.get(), "status");
    if (!value || !envelope_status(*value)) {
      return invalid("status must be one of 400, 401, 403, 404, 405, 406, 413, 415, 429, 431, 500, 502, 503, 504");
    }
    const auto code = server::json_string(json.get(), "code");
    if (!code) return invalid("code is required with status: an error code of the catalog, e.g. \"internal_error\"");
    const server::ErrorSpec* spec = server::error_spec_of_code(*code, static_cast<int>(*value));
    if (spec == nullptr) return invalid("code \"" + *code + "\" is not in the error catalog (GET /docs/errors)");
    fault.kind = Fault::Kind::kStatus;
    fault.status = static_cast<int>(*value);
    fault.error = spec->id;
  } else if (has_code) {
    return invalid("code goes with status");
  } else if (delay != nullptr) {
    const auto value = server::json_integer(json.get(), "delayMs");
    if (!value || *value < 1 || *value > kMaxFaultDelayMs) {
      return invalid("delayMs must be whole milliseconds from 1 to " + std::to_string(kMaxFaultDelayMs));
    }
    fault.kind = Fault::Kind::kDelay;
    fault.delay = std::chrono::milliseconds(*value);
  } else {
    fault.kind = Fault::Kind::kDrop;
  }

  if (cJSON_GetObjectItemCaseSensitive(json.get(), "count") != nullptr) {
    const auto count = server::json_integer(json.get(), "count");
    if (!count || *count < 1 || *count > kMaxFaultCount) {
      return invalid("count must be a whole number from 1 to " + std::to_string(kMaxFaultCount));
    }
    fault.count = *count;
  }
  return fault;
}

bool FaultTable::add(Fault fault) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (queued_ >= kMaxQueuedFaults) return false;
  by_route_[fault.route].push_back(std::move(fault));
  ++queued_;
  return true;
}

std::optional<Fault> FaultTable::take(const std::string& route) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (queued_ == 0) return std::nullopt;  // the usual case: no map lookup
  const auto found = by_route_.find(route);
  if (found == by_route_.end()) return std::nullopt;
  std::deque<Fault>& faults = found->second;
  Fault taken = faults.front();
  taken.count = 1;
  if (--faults.front().count == 0) {
    faults.pop_front();
    --queued_;
    if (faults.empty()) by_route_.erase(found);
  }
  return taken;
}

void FaultTable::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  by_route_.clear();
  queued_ = 0;
}

}  // namespace ssokit::api
