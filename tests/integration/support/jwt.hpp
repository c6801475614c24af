#pragma once
// Reading compact JWS / JWE tokens in tests: base64url and the JSON of their parts.
#include <optional>
#include <string>
#include <vector>

namespace ssokit::testing {

// base64url (RFC 7515: no padding, no '+' or '/') to bytes; nullopt when not base64url.
std::optional<std::string> base64url_decode(const std::string& text);

// The three parts of a compact JWS (header, payload, signature, still encoded); empty when
// the token does not have exactly three parts.
std::vector<std::string> jws_parts(const std::string& token);

// Decoded JSON text of the first part of a compact JWS or JWE ("" when not decodable).
std::string jwt_header_json(const std::string& compact);
// Decoded JSON text of the payload of a compact JWS ("" when not a JWS or not decodable).
std::string jwt_payload_json(const std::string& token);

}  // namespace ssokit::testing
