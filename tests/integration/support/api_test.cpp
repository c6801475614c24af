#include "api_test.hpp"

namespace ssokit::testing {

std::vector<std::string> ApiTest::server_args() const {
  return {"--device-rate", "off", "--redeem-failures", "100000/600", "--redeem-budget", "100000/600",
          "--log-level", "info"};
}

void ApiTest::SetUp() {
  temp_ = std::make_unique<TempDir>();
  data_dir_ = temp_->path() + "/data";
  server_ = std::make_unique<ServerProcess>(data_dir_, server_args());
  access_token_ = new_access_token(sp_);
}

void ApiTest::TearDown() {
  server_.reset();
  temp_.reset();
}

void ApiTest::restart_server() {
  server_.reset();
  server_ = std::make_unique<ServerProcess>(data_dir_, server_args());
}

std::string ApiTest::new_access_token(const std::string& sp) {
  const std::string statement = server_->software_statement(sp);
  const HttpResponse registered = send({"POST", server_->base_url() + "/o/client/register",
                                        {{"Content-Type", "application/json"}},
                                        "{\"software_statement\":\"" + statement + "\"}"});
  EXPECT_EQ(registered.status, 201) << registered.body;
  const HttpResponse token =
      send({"POST", server_->base_url() + "/o/client/token",
            {{"Content-Type", "application/x-www-form-urlencoded"}},
            "grant_type=client_credentials&client_id=" + url_encode(registered.json("client_id").value_or("")) +
                "&client_secret=" + url_encode(registered.json("client_secret").value_or(""))});
  EXPECT_EQ(token.status, 201) << token.body;
  return token.json("access_token").value_or("");
}

HttpResponse ApiTest::call(const std::string& method, const std::string& path, Headers headers,
                           std::optional<std::string> body) {
  bool has_authorization = false;
  for (const auto& header : headers) has_authorization |= header.first == "Authorization";
  if (!has_authorization) headers.emplace_back("Authorization", "Bearer " + access_token_);
  return send({method, server_->base_url() + path, std::move(headers), std::move(body)});
}

std::string ApiTest::device_info(const std::string& hardware, const std::string& model, const std::string& os,
                                 const std::string& os_version) {
  return base64("{\"primaryHardwareType\":\"" + hardware + "\",\"model\":\"" + model + "\",\"osName\":\"" + os +
                "\",\"osVersion\":\"" + os_version + "\"}");
}

SignedIn ApiTest::sign_in(const std::string& device, const std::string& sso_id) {
  const HttpResponse response = call("POST", "/api/" + sp_ + "/serviceToken",
                                     {{"AP-Device-Identifier", fingerprint(device)}, {"X-SSO-ID", sso_id}});
  EXPECT_EQ(response.status, 201) << response.body;
  return {device_id(device), response.json("serviceToken").value_or("")};
}

std::string ApiTest::create_link_code(const SignedIn& device) {
  const HttpResponse response = call("POST", "/api/" + sp_ + "/link", token_headers(device));
  EXPECT_EQ(response.status, 201) << response.body;
  return response.json("code").value_or("");
}

HttpResponse ApiTest::redeem(const std::string& device, const std::string& code) {
  return call("POST", "/api/" + sp_ + "/serviceToken",
              {{"AP-Device-Identifier", fingerprint(device)}, {"X-SSO-LINK", code}});
}

Headers ApiTest::token_headers(const SignedIn& device) {
  return {{"AP-Device-Identifier", "fingerprint " + device.device_id}, {"AD-Service-Token", device.service_token}};
}

}  // namespace ssokit::testing
