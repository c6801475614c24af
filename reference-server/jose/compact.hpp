#pragma once
// The compact serialization shared by JWS (3 segments) and JWE (5 segments): strict
// splitting and protected-header parsing, before cjose sees anything. Internal to ssokit_jose.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "jose/cjose_handles.hpp"

namespace ssokit::jose::detail {

inline constexpr std::size_t kJwsSegmentCount = 3;
inline constexpr std::size_t kJweSegmentCount = 5;

// The segments of `compact` when it is at most kMaxCompactSize bytes, has exactly
// `segment_count` dot-separated segments, each canonical base64url, and a non-empty header.
std::optional<std::vector<std::string_view>> split_compact(std::string_view compact, std::size_t segment_count);

struct ProtectedHeader {
  JsonPtr json;      // a JSON object
  std::string text;  // the decoded header as sent
};

// Decodes a header segment into a JSON object; nullopt when it is not one or repeats a
// member name (two parsers could disagree on which copy counts).
std::optional<ProtectedHeader> parse_protected_header(std::string_view segment);

enum class Member { kAbsent, kString, kNotString };

// Reads the optional string member `name` of `object` into `out` ("" when absent).
Member string_member(const json_t* object, const char* name, std::string& out);

// Adds string member `name` to a header being built for cjose; empty values are left out.
// Throws std::runtime_error (the documented misuse error) for a NUL byte or invalid UTF-8.
void add_header_member(cjose_header_t* header, const char* name, const std::string& value);

}  // namespace ssokit::jose::detail
