#include "api_test.hpp"

namespace ssokit::testing {

std::vector<std::string> ApiTest::server_args() const {
  std::vector<std::string> args = {"--device-rate", "off", "--redeem-failures", "100000/600",
                                   "--redeem-budget", "100000/600", "--log-level", "info"};
  for (const std::string& arg : extra_args()) args.push_back(arg);
  return args;
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
  const HttpResponse registered = register_client(sp);
  EXPECT_EQ(registered.status, 201) << registered.body;
  const HttpResponse token = request_access_token(registered);
  EXPECT_EQ(token.status, 201) << token.body;
  return token.json("access_token").value_or("");
}

HttpResponse ApiTest::register_client(const std::string& sp) {
  const std::string statement = server_->software_statement(sp);
  return send({"POST", target_url() + "/o/client/register", {{"Content-Type", "application/json"}},
               "{\"software_statement\":\"" + statement + "\"}"});
}

HttpResponse ApiTest::request_access_token(const HttpResponse& registered) {
  return send({"POST", target_url() + "/o/client/token",
               {{"Content-Type", "application/x-www-form-urlencoded"}}, credentials_form(registered)});
}

std::string ApiTest::credentials_form(const HttpResponse& registered) {
  return "grant_type=client_credentials&client_id=" + url_encode(registered.json("client_id").value_or("")) +
         "&client_secret=" + url_encode(registered.json("client_secret").value_or(""));
}

HttpResponse ApiTest::call(const std::string& method, const std::string& path, Headers headers,
                           std::optional<std::string> body) {
  bool has_authorization = false;
  for (const auto& header : headers) has_authorization |= header.first == "Authorization";
  if (!has_authorization) headers.emplace_back("Authorization", "Bearer " + access_token_);
  return send({method, target_url() + path, std::move(headers), std::move(body)});
}

std::string ApiTest::device_info(const std::string& hardware, const std::string& model, const std::string& os,
                                 const std::string& os_version) {
  return base64("{\"primaryHardwareType\":\"" + hardware + "\",\"model\":\"" + model + "\",\"osName\":\"" + os +
                "\",\"osVersion\":\"" + os_version + "\"}");
}

SignedIn ApiTest::sign_in(const std::string& device, const std::string& sso_id) {
  const HttpResponse response =
      call("POST", path("serviceToken"), {{"AP-Device-Identifier", fingerprint(device)}, {"X-SSO-ID", sso_id}});
  EXPECT_EQ(response.status, 201) << response.body;
  return {device_id(device), response.json("serviceToken").value_or("")};
}

std::string ApiTest::create_link_code(const SignedIn& device) {
  const HttpResponse response = call("POST", path("link"), token_headers(device));
  EXPECT_EQ(response.status, 201) << response.body;
  return response.json("code").value_or("");
}

HttpResponse ApiTest::redeem(const std::string& device, const std::string& code) {
  return call("POST", path("serviceToken"), {{"AP-Device-Identifier", fingerprint(device)}, {"X-SSO-LINK", code}});
}

Headers ApiTest::token_headers(const SignedIn& device) {
  return {{"AP-Device-Identifier", "fingerprint " + device.device_id}, {"AD-Service-Token", device.service_token}};
}

SignedIn ApiTest::join(const std::string& device, const std::string& code) {
  const HttpResponse joined = redeem(device, code);
  EXPECT_EQ(joined.status, 201) << joined.body;
  return {device_id(device), joined.json("serviceToken").value_or("")};
}

HttpResponse ApiTest::unlink(const SignedIn& device, const std::string& body, const std::string& content_type) {
  Headers headers = token_headers(device);
  if (!content_type.empty()) headers.emplace_back("Content-Type", content_type);
  return call("POST", path("unlink"), std::move(headers), body);
}

std::string ApiTest::devices_body(const std::vector<std::string>& ids) {
  std::string body = "{\"devices\":[";
  for (std::size_t i = 0; i < ids.size(); ++i) body += (i == 0 ? "\"" : ",\"") + ids[i] + "\"";
  return body + "]}";
}

}  // namespace ssokit::testing
