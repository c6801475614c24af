#pragma once
// Log lines never carry secrets. Two kinds are masked as "[redacted]":
// - by their shape, wherever they appear: tokens (JWS/JWT) and other runs of 16+ token
//   characters (secrets, access tokens, base64 device ids, '/' included), runs with 4+ digits
//   (digit link codes), link codes of the base20 alphabet (BCDFGHJKLMNPQRSTVWXZ) of 4+
//   letters in either case, and codes of either kind shown in groups ("BCDF-GHJK", "025 605");
//   in a path, also segments that mix letters and digits (6+) or hold base64's '+' or '='.
// - by value: what the caller knows to be private (this device's id, the request's header
//   values, the ids of an unlink), whatever its shape, where it stands as a whole word.
// "HTTP" and "HTTPS" are spelled in the base20 alphabet but are left alone, so a base20:4 or
// base20:5 code that happens to spell one of them (1 in 160,000 and 1 in 3.2 million) shows.
#include <string>
#include <string_view>
#include <vector>

namespace ssokit::internal {

std::string redact(std::string_view text, const std::vector<std::string_view>& private_values = {});

}  // namespace ssokit::internal
