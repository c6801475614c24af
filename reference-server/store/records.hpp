#pragma once
// The rows of the SSO service, as plain values. Secrets never appear here in clear:
// link codes, MVPD session codes, client secrets and access tokens are stored as keyed
// hashes (see core/secret_hash.hpp).
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"

namespace ssokit::store {

using server::Millis;

struct KeyRecord {
  std::string kid;
  std::string purpose;   // e.g. "service-token-hs256", "software-statement", "enc-rsa"
  std::string jwk_json;  // private JWK, as cjose exports it
  Millis created_at = 0;
};

struct ClientRecord {
  std::string client_id;
  std::string secret_hash;
  std::vector<std::string> service_providers;  // what its software statement allows
  std::string statement_id;                    // the statement's jti ("" for clients registered before v2)
  Millis issued_at = 0;
};

struct AccessTokenRecord {
  std::string token_hash;
  std::string client_id;
  Millis expires_at = 0;
};

enum class DeviceType { kRegular, kSso };

struct DeviceRecord {
  std::string service_provider;
  std::string device_id;   // the base64 text of AP-Device-Identifier
  std::string profile_id;  // the SSO profile: its pseudonym, the service token's `sub`
  // Names this linkage of the device to its profile; service tokens carry it (`lid`), so a
  // token outlives neither an unlink nor a move. "" only for devices linked before schema v2.
  std::string link_id;
  DeviceType type = DeviceType::kRegular;
  std::string info_json;   // the decoded X-Device-Info object ("{}" when none was sent)
  Millis first_seen = 0;
  Millis last_seen = 0;
};

struct MvpdSessionRecord {
  std::string code_hash;
  std::string service_provider;
  std::string session_id;
  std::string profile_id;  // the SSO profile that started the authentication
  std::string device_id;   // the device that started it
  std::string mvpd;
  std::string domain_name;
  std::string redirect_url;
  Millis created_at = 0;
  Millis expires_at = 0;
};

struct MvpdProfileRecord {
  std::string service_provider;
  std::string profile_id;
  std::string mvpd;
  std::string login_device_id;  // the device whose user logged in at the MVPD
  std::string user_id;
  Millis not_before = 0;
  Millis not_after = 0;
};

}  // namespace ssokit::store
