#pragma once
// The base of most integration tests: a fresh server (real binary, real SQLite file) with a
// registered client application for the service provider "demo" and its access token.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "http_client.hpp"
#include "server_process.hpp"
#include "test_store.hpp"

namespace ssokit::testing {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct SignedIn {
  std::string device_id;
  std::string service_token;
};

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Flags for the server under test: the defaults lift the throttles that would otherwise
  // refuse a busy test, then extra_args() (so a flag given there wins). Tests that need no
  // defaults at all override server_args() itself.
  virtual std::vector<std::string> server_args() const;
  virtual std::vector<std::string> extra_args() const { return {}; }

  // Starts the server again on the same data folder (after terminate() or kill_hard()).
  void restart_server();
  ServerProcess& server() { return *server_; }
  // Sends every later call (and client registration) to `base_url`, another instance on the
  // same store; "" goes back to server().
  void route_calls_to(const std::string& base_url) { routed_to_ = base_url; }
  const std::string& target_url() const { return routed_to_.empty() ? server_->base_url() : routed_to_; }
  const std::string& access_token() const { return access_token_; }
  const std::string& data_dir() const { return data_dir_; }

  // Registers a client for `sp` with a fresh software statement; returns its access token.
  std::string new_access_token(const std::string& sp);
  // The two steps of new_access_token(), for tests that look at the answers: POST
  // /o/client/register with a fresh statement for `sp`, and POST /o/client/token with the
  // credentials of a register answer (as a form).
  HttpResponse register_client(const std::string& sp);
  HttpResponse request_access_token(const HttpResponse& registered);
  static std::string credentials_form(const HttpResponse& registered);

  // A request to the server; `Authorization: Bearer <token>` is added unless `headers`
  // already has an Authorization header.
  HttpResponse call(const std::string& method, const std::string& path, Headers headers = {},
                    std::optional<std::string> body = std::nullopt);

  // "fingerprint <base64(name)>" and the device id (base64(name)) it stands for.
  static std::string device_id(const std::string& name) { return base64(name); }
  static std::string fingerprint(const std::string& name) { return "fingerprint " + device_id(name); }
  static std::string device_info(const std::string& hardware, const std::string& model, const std::string& os,
                                 const std::string& os_version);

  // POST serviceToken with X-SSO-ID; asserts 201.
  SignedIn sign_in(const std::string& device, const std::string& sso_id);
  // POST link; asserts 201 and returns the code.
  std::string create_link_code(const SignedIn& device);
  // POST serviceToken with X-SSO-LINK from `device`.
  HttpResponse redeem(const std::string& device, const std::string& code);
  // Headers of a call that carries a service token.
  static Headers token_headers(const SignedIn& device);
  // Redeems `code` from `device`; asserts 201.
  SignedIn join(const std::string& device, const std::string& code);
  // POST unlink from `device` with `body` (no Content-Type when `content_type` is empty).
  HttpResponse unlink(const SignedIn& device, const std::string& body,
                      const std::string& content_type = "application/json");
  // {"devices":[...]} for unlink.
  static std::string devices_body(const std::vector<std::string>& ids);
  // "/api/<sp>/<tail>".
  std::string path(const std::string& tail) const { return "/api/" + sp_ + "/" + tail; }

  std::string sp_ = "demo";

 private:
  std::unique_ptr<TempDir> temp_;
  std::string data_dir_;
  std::unique_ptr<ServerProcess> server_;
  std::string access_token_;
  std::string routed_to_;
};

}  // namespace ssokit::testing
