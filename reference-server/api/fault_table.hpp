#pragma once
// The faults test control injects (SPEC §6.4): POST /test/faults queues them per route, and
// the next calls of that route take them, one call each.
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/api_error.hpp"
#include "core/outcome.hpp"

namespace ssokit::api {

// Bounds of a fault, so that a typo cannot hold a connection for hours or fill memory.
inline constexpr std::int64_t kMaxFaultCount = 1'000'000;
inline constexpr std::int64_t kMaxFaultDelayMs = 60'000;  // the longest wait of SPEC §6.1 too
inline constexpr std::size_t kMaxQueuedFaults = 1000;

struct Fault {
  enum class Kind {
    kStatus,  // answer the error envelope with `status` and `error`'s code, without the handler
    kDelay,   // hold the call for `delay`, then run the handler
    kDrop,    // close the connection without an answer, without the handler
  };
  std::string route;  // "METHOD pattern" as the router labels routes: "POST /api/{sp}/link"
  Kind kind = Kind::kStatus;
  int status = 0;
  server::ErrorId error = server::ErrorId::kInternalError;
  std::chrono::milliseconds delay{0};
  std::int64_t count = 1;  // calls it still applies to
};

// Whether the server has a route: RouteExists("POST", "/api/{sp}/link").
using RouteExists = std::function<bool(const std::string& method, const std::string& pattern)>;

// A POST /test/faults body: {"route","status","code"} or {"route","delayMs"} or
// {"route","drop":true}, each with an optional "count" (default 1). Anything else, an unknown
// route or error code, or a route of test control itself: 400 request_invalid saying why.
server::Outcome<Fault> parse_fault(std::string_view body, const RouteExists& route_exists);

class FaultTable {
 public:
  // False, and nothing added, when kMaxQueuedFaults are queued already.
  bool add(Fault fault);
  // The fault that the next call of `route` ("METHOD pattern") takes, one call of its count
  // used; nullopt when none is queued. Faults of one route apply in the order they were added.
  std::optional<Fault> take(const std::string& route);
  void clear();

 private:
  std::mutex mutex_;
  std::map<std::string, std::deque<Fault>> by_route_;  // guarded by mutex_
  std::size_t queued_ = 0;                              // guarded by mutex_
};

}  // namespace ssokit::api
