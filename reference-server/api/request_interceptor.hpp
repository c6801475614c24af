#pragma once
// What `serve --test-control` (SPEC §6.4) adds to every request the router serves: injected
// faults before a route's handler, and the clock's Date and a record of each answer after.
// The router knows nothing of faults, clocks or records; it calls these hooks when one is set.
#include <functional>
#include <string>
#include <vector>

#include "http/message.hpp"

namespace ssokit::api {

class RouteContext;

// A matched route's handler, ready to run.
class PendingHandler {
 public:
  virtual ~PendingHandler() = default;
  // Runs it now, on this thread.
  virtual http::Response run() = 0;
  // Runs it later, on any thread, at most once: the function owns a copy of the request, and
  // answers what the router answers for an exception (500, or 503 store_unavailable).
  virtual std::function<http::Response()> deferred() = 0;
};

// One answered request, as the router saw it.
struct AnsweredRequest {
  const std::string& method;
  const std::string& path;   // without the query
  const std::string& route;  // the route pattern, "(none)" when no route matched
  const std::string& trace;
  const std::vector<http::Header>& headers;  // as received: values may be secrets
};

class RequestInterceptor {
 public:
  virtual ~RequestInterceptor() = default;
  // Called instead of a matched route's handler (method allowed, Accept admitted); `route` is
  // "METHOD pattern", as faults name it. Answers handler.run(), or an answer of its own (an
  // error, a dropped connection, a held answer).
  virtual http::Response intercept(const std::string& route, RouteContext& context, PendingHandler& handler) = 0;
  // Every answer just before it leaves (a held one when it completes; `drop` set when the
  // connection closes without one). May set headers.
  virtual void answered(const AnsweredRequest& request, http::Response& response) = 0;
};

}  // namespace ssokit::api
