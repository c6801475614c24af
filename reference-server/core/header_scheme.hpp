#pragma once
// Headers of the form "<scheme> <value>" (Authorization: Bearer ..., AP-Device-Identifier:
// fingerprint ...): the scheme matched case-insensitively, the value trimmed of spaces.
#include <optional>
#include <string>
#include <string_view>

namespace ssokit::server {

// `scheme` is lower case and ends with its space ("bearer "). nullopt when the header does
// not start with it or nothing but spaces follows.
std::optional<std::string> value_after_scheme(const std::string& header, std::string_view scheme);

}  // namespace ssokit::server
