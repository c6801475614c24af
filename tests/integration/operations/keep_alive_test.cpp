// Keep-alive: one TCP connection carries many requests (libcurl reuses an easy handle's
// connection; CURLINFO_NUM_CONNECTS counts the new connections each transfer made).
#include <curl/curl.h>

#include <memory>

#include "api_test.hpp"

namespace ssokit::testing {
namespace {

using KeepAliveTest = ApiTest;

TEST_F(KeepAliveTest, TwentyRequestsOverOneConnection) {
  const SignedIn phone = sign_in("keepalive-phone", "keepalive-user");
  curl_global_init(CURL_GLOBAL_DEFAULT);
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  ASSERT_TRUE(curl);
  const std::string auth = "Authorization: Bearer " + access_token();
  const std::string fingerprint = "AP-Device-Identifier: fingerprint " + phone.device_id;
  const std::string service_token = "AD-Service-Token: " + phone.service_token;
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, auth.c_str());
  headers = curl_slist_append(headers, fingerprint.c_str());
  headers = curl_slist_append(headers, service_token.c_str());
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_list(headers, curl_slist_free_all);

  long connections = 0;
  for (int i = 0; i < 20; ++i) {
    // Alternate between an authenticated API call, a health check and a JSON refresh.
    const std::string url = server().base_url() + (i % 3 == 0   ? "/healthz"
                                                   : i % 3 == 1 ? "/api/demo/list"
                                                                : "/api/demo/serviceToken");
    std::string body;
    curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, header_list.get());
    curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, append_to_string);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &body);
    const CURLcode code = curl_easy_perform(curl.get());
    ASSERT_EQ(code, CURLE_OK) << curl_easy_strerror(code);
    long status = 0;
    long made = 0;
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(curl.get(), CURLINFO_NUM_CONNECTS, &made);
    EXPECT_EQ(status, 200) << url << ": " << body;
    connections += made;
  }
  EXPECT_EQ(connections, 1) << "the server did not keep the connection alive";
}

}  // namespace
}  // namespace ssokit::testing
