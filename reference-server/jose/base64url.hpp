#pragma once
// Strict unpadded base64url (RFC 7515 §2): one byte string has exactly one accepted
// encoding, so a token cannot be altered without changing what it decodes to.
// Internal to ssokit_jose; the coding itself is cjose's.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace ssokit::jose::detail {

// True for unpadded base64url whose last character carries no stray low bits.
bool is_canonical_base64url(std::string_view text);

// The number of bytes canonical base64url `text` decodes to.
std::size_t base64url_decoded_size(std::string_view text);

// nullopt unless `text` is canonical base64url.
std::optional<std::string> base64url_decode(std::string_view text);

// Throws std::bad_alloc when cjose cannot allocate.
std::string base64url_encode(std::string_view bytes);

}  // namespace ssokit::jose::detail
