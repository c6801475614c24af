#pragma once
// SHA-256 (OpenSSL) and standard base64, for device ids.
#include <optional>
#include <string>
#include <string_view>

namespace ssokit::platform::detail {

// The 32-byte digest; nullopt only if OpenSSL fails (out of memory).
std::optional<std::string> sha256(std::string_view data);

// RFC 4648 base64 with the standard alphabet and '=' padding.
std::string base64(std::string_view bytes);

}  // namespace ssokit::platform::detail
