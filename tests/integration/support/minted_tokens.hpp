#pragma once
// Service tokens minted by the test with the server's own HS256 key, read from the server's
// store (with sqlite3 or psql: test_store.hpp), so the verifier's claim and time checks
// can be reached with a valid signature (expired beyond the skew, missing sub, ...).
#include <optional>
#include <string>

namespace ssokit::testing {

// HMAC-SHA256 of `message` under `key` (raw 32 bytes).
std::string hmac_sha256(const std::string& key, const std::string& message);

struct ServiceTokenKey {
  std::string kid;
  std::string secret;  // raw bytes
};

// The newest service-token-hs256 key of the store of `data_dir`; nullopt when it cannot be
// read.
std::optional<ServiceTokenKey> read_service_token_key(const std::string& data_dir);

// A compact JWS over `payload_json` with header {"alg":alg,"kid":kid,"typ":"JWT"}, signed
// HS256 with `key` whatever `alg` says.
std::string mint(const ServiceTokenKey& key, const std::string& payload_json, const std::string& alg = "HS256");

}  // namespace ssokit::testing
