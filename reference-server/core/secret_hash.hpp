#pragma once
// Hashes for secrets at rest, and constant-time comparison.
//  - Low-entropy secrets (link codes, MVPD session codes) are hashed with HMAC-SHA256
//    under a pepper kept outside the database, so a database dump cannot be brute-forced.
//  - High-entropy secrets (client secrets, access tokens) only need SHA-256.
#include <string>
#include <string_view>

namespace ssokit::server {

std::string sha256_hex(std::string_view data);
std::string hmac_sha256_hex(std::string_view key, std::string_view data);
std::string hmac_sha256_raw(std::string_view key, std::string_view data);

// Equal length and content, in time that depends only on the length.
bool constant_time_equals(std::string_view a, std::string_view b);

}  // namespace ssokit::server
