#pragma once
// Plain-text helpers for assertions on output, headers and ids.
#include <cstddef>
#include <string>

namespace ssokit::testing {

// Number of lines in `text` (a last line without '\n' counts too).
std::size_t line_count(const std::string& text);

// ASCII lower case.
std::string to_lower(std::string text);

// A UUID in its 8-4-4-4-12 hex form (either case).
bool is_uuid(const std::string& text);

}  // namespace ssokit::testing
