#include "ssokit/transport_support.hpp"

#include <algorithm>
#include <string>
#include <string_view>

namespace ssokit {
namespace {

// RFC 9110 token characters.
bool is_token_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_token(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), is_token_char);
}

}  // namespace

Status check_request(const HttpRequest& request) {
  if (request.url.empty()) return Status(ErrorCode::kInvalidArgument, "the request has no URL");
  if (!is_token(request.method)) return Status(ErrorCode::kInvalidArgument, "the request method is not an HTTP token");
  for (const HttpHeader& header : request.headers) {
    if (!is_token(header.name)) {
      return Status(ErrorCode::kInvalidArgument, "a request header name is empty or not an HTTP token");
    }
    if (header.value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
      return Status(ErrorCode::kInvalidArgument, "request header " + header.name + " has a line break or NUL");
    }
  }
  return Status();
}

}  // namespace ssokit
