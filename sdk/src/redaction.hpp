#pragma once
// Log lines never carry secrets: tokens (JWS/JWT), long base64 strings (secrets, access
// tokens, device ids) and link codes (runs of digits, or the base20 letters) are masked.
#include <string>
#include <string_view>

namespace ssokit::internal {

std::string redact(std::string_view text);

}  // namespace ssokit::internal
