#pragma once
// Small encoders the SDK needs for requests: base64 for X-Device-Info, form encoding for the
// OAuth token request and V2 sessions, percent-encoding of path segments.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ssokit::internal {

std::string base64_encode(std::string_view bytes);
std::string percent_encode(std::string_view text);  // RFC 3986 unreserved kept
std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace ssokit::internal
