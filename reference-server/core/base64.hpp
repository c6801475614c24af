#pragma once
// Strict base64 (RFC 4648 §4, padding required) and base64url (§5, padding optional)
// decoding for header values; nullopt on any character or length error.
#include <optional>
#include <string>
#include <string_view>

namespace ssokit::server {

std::optional<std::string> base64_decode(std::string_view text);
std::optional<std::string> base64url_decode(std::string_view text);
std::string base64_encode(std::string_view bytes);
std::string base64url_encode(std::string_view bytes);  // no padding

}  // namespace ssokit::server
