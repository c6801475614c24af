#pragma once
// Hashes for secrets at rest, and constant-time comparison.
//  - Low-entropy secrets (link codes, MVPD session codes) are hashed with HMAC-SHA256
//    under a pepper kept outside the database, so a database dump cannot be brute-forced.
//  - High-entropy secrets (client secrets, access tokens) only need SHA-256.
#include <memory>
#include <string>
#include <string_view>

namespace ssokit::server {

std::string sha256_hex(std::string_view data);
std::string hmac_sha256_hex(std::string_view key, std::string_view data);
std::string hmac_sha256_raw(std::string_view key, std::string_view data);

// HMAC-SHA256 under one fixed key (the pepper), for hashing many codes: the algorithm is
// fetched and the key scheduled once, where hmac_sha256_hex does both per call (a link code
// hashes four candidates; profiled at 5 % of a POST link). Thread-safe: each call works on
// its own copy of the keyed state.
class KeyedHmacSha256 {
 public:
  explicit KeyedHmacSha256(std::string_view key);
  ~KeyedHmacSha256();
  KeyedHmacSha256(const KeyedHmacSha256&) = delete;
  KeyedHmacSha256& operator=(const KeyedHmacSha256&) = delete;

  std::string hex(std::string_view data) const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Equal length and content, in time that depends only on the length.
bool constant_time_equals(std::string_view a, std::string_view b);

}  // namespace ssokit::server
