#include "wire/json.hpp"
#include "wire/wire.hpp"

namespace ssokit::wire {

// {"status":"OK"}: the 200 says it all, but a body that is not a JSON object is not the
// server's (a captive portal's page, a proxy's), and must not pass for a decision made.
Status parse_link_decision(const std::string& body) {
  auto object = json::parse_object(body, "approve or deny answer");
  return object ? Status() : object.status();
}

}  // namespace ssokit::wire
