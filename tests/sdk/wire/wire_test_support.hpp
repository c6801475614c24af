#pragma once
// Shared helpers of the wire tests: the seed's fixture bodies, times, and every parser as a
// function of the body so robustness tables can run over all of them.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "ssokit/types.hpp"
#include "wire/wire.hpp"

namespace ssokit::wire::testing {

inline std::string fixture_path(const std::string& name) {
  return std::string(SSOKIT_FIXTURES) + "/" + name;
}

inline std::string read_fixture(const std::string& name) {
  std::ifstream in(fixture_path(name), std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing fixture " << name;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline ServerTime ms(std::int64_t value) {
  return ServerTime(std::chrono::milliseconds(value));
}

// The body without surrounding whitespace, so that every proper prefix is truncated JSON.
inline std::string trimmed(const std::string& body) {
  const auto first = body.find_first_not_of(" \t\r\n");
  const auto last = body.find_last_not_of(" \t\r\n");
  return first == std::string::npos ? std::string() : body.substr(first, last - first + 1);
}

struct NamedParser {
  const char* name;
  std::function<Status(const std::string&)> parse;  // OK when the body was accepted
  std::string valid_body;                           // a body the parser accepts
};

template <class T>
Status status_of(const Result<T>& result) {
  return result.ok() ? Status() : result.status();
}

inline std::vector<NamedParser> all_parsers() {
  return {
      {"service_token", [](const std::string& b) { return status_of(parse_service_token(b)); },
       R"({"status":"CREATED","serviceToken":"a.b.c","notBefore":1,"notAfter":2})"},
      {"link_code", [](const std::string& b) { return status_of(parse_link_code(b)); },
       R"({"status":"CREATED","code":"228128","notBefore":1,"notAfter":2})"},
      {"link_code_status", [](const std::string& b) { return status_of(parse_link_code_status(b, "d0")); },
       R"({"status":"AWAITING_APPROVAL","notAfter":2,"device":{"id":"d1","deviceType":"TV","model":"m","os":"o","osVersion":"1","lastSeen":5,"type":"sso"}})"},
      {"awaiting_approval", [](const std::string& b) { return status_of(parse_redemption(202, b)); },
       R"({"status":"AWAITING_APPROVAL","notAfter":2})"},
      {"redemption", [](const std::string& b) { return status_of(parse_redemption(201, b)); },
       R"({"status":"CREATED","serviceToken":"a.b.c","notBefore":1,"notAfter":2})"},
      {"devices", [](const std::string& b) { return status_of(parse_devices(b, "d1")); },
       R"({"devices":{"d1":{"deviceType":"TV","model":"m","os":"o","osVersion":"1","lastSeen":5,"type":"sso"}}})"},
      {"unlinked", [](const std::string& b) { return status_of(parse_unlinked(b)); },
       R"({"status":"OK","unlinkedDevices":["d1"]})"},
      {"mvpd_session", [](const std::string& b) { return status_of(parse_mvpd_session(b)); },
       R"({"actionName":"authenticate","actionType":"interactive","code":"JVLWFQLK","url":"http://h/mvpd/login/JVLWFQLK","sessionId":"s","mvpd":"demo-mvpd","notBefore":1,"notAfter":2})"},
      {"mvpd_profiles", [](const std::string& b) { return status_of(parse_mvpd_profiles(b)); },
       R"({"profiles":{"demo-mvpd":{"notBefore":1,"notAfter":2,"issuer":"demo-mvpd","type":"regular","attributes":{"userID":{"value":"demo","state":"plain"}}}}})"},
      {"mvpd_logout", [](const std::string& b) { return status_of(parse_mvpd_logout(b, "demo-mvpd")); },
       R"({"logouts":{"demo-mvpd":{"actionName":"complete","actionType":"none"}}})"},
      {"registration", [](const std::string& b) { return status_of(parse_registration(b)); },
       R"({"client_id":"id","client_secret":"secret"})"},
      {"access_token", [](const std::string& b) { return status_of(parse_access_token(b)); },
       R"({"access_token":"tok","token_type":"bearer","expires_in":86400,"created_at":1})"},
  };
}

}  // namespace ssokit::wire::testing
