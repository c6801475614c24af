#pragma once
// The last requests the server answered, for GET /test/requests (SPEC §6.4): a CI job checks
// what its client sent. Header values that carry tokens, secrets, codes or ids are kept only
// as "[redacted]", so the record shows that a header was sent, never its value.
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"

namespace ssokit::api {

// The value that replaces a secret header's.
inline constexpr const char* kRedacted = "[redacted]";

// Authorization, Proxy-Authorization, Cookie, AD-Service-Token, X-SSO-LINK, X-SSO-ID,
// AP-Device-Identifier, X-Roku-Reserved-Roku-Connect-Token (any letter case).
bool is_secret_header(std::string_view name);

struct RecordedRequest {
  std::string method;
  std::string route;  // the route pattern, "(none)" when no route matched: never the path,
                      // which may hold a code (/mvpd/login/{code})
  int status = 0;     // 0: the connection was closed without an answer
  std::string trace;
  std::vector<http::Header> headers;  // as received, secret values redacted
};

class RequestHistory {
 public:
  // Older requests give way beyond this: a CI job reads the last few after each step.
  static constexpr std::size_t kCapacity = 1000;

  // Records a request, redacting its secret header values here.
  void add(std::string method, std::string route, int status, std::string trace,
           const std::vector<http::Header>& headers);
  // The last `limit` requests recorded, oldest first.
  std::vector<RecordedRequest> last(std::size_t limit) const;
  void clear();

 private:
  mutable std::mutex mutex_;
  std::deque<RecordedRequest> requests_;  // guarded by mutex_; oldest first
};

}  // namespace ssokit::api
