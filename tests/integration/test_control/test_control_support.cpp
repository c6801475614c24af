#include "test_control_support.hpp"

#include <ctime>
#include <sstream>

#include "json_text.hpp"
#include "text.hpp"

namespace ssokit::testing::test_control {

void expect_error(const HttpResponse& response, long status, const std::string& code) {
  SCOPED_TRACE("error answer: " + std::to_string(response.status) + " " + response.body);
  EXPECT_EQ(response.status, status);
  EXPECT_EQ(response.json("error.code"), code);
  EXPECT_EQ(response.json("error.status"), std::to_string(status));
  EXPECT_FALSE(response.json("error.message").value_or("").empty());
  EXPECT_TRUE(is_uuid(response.json("error.trace").value_or("")));
  EXPECT_EQ(response.header("x-trace-id"), response.json("error.trace").value_or(""));
}

long long parse_http_date(const std::string& text) {
  std::tm tm{};
  const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') return -1;
  return static_cast<long long>(timegm(&tm));
}

std::vector<HttpResponse> log_lines(const std::string& log, const std::string& message) {
  std::vector<HttpResponse> lines;
  std::istringstream in(log);
  std::string line;
  while (std::getline(in, line)) {
    HttpResponse parsed = as_json(line);
    if (parsed.json("msg") == message) lines.push_back(std::move(parsed));
  }
  return lines;
}

HttpResponse TestControlTest::test_call(const std::string& method, const std::string& path,
                                        std::optional<std::string> body) {
  std::vector<std::pair<std::string, std::string>> headers;
  if (body) headers.emplace_back("Content-Type", "application/json");
  return send({method, target_url() + path, std::move(headers), std::move(body)});
}

HttpResponse TestControlTest::advance(long long seconds) {
  return test_call("POST", "/test/clock", "{\"advanceSeconds\":" + std::to_string(seconds) + "}");
}

std::vector<ListedCode> TestControlTest::listed_codes(const std::string& device, const std::string& sp) {
  const HttpResponse response =
      test_call("GET", "/test/link-codes?sp=" + url_encode(sp) + "&device=" + url_encode(device));
  EXPECT_EQ(response.status, 200) << response.body;
  std::vector<ListedCode> codes;
  JsonPtr root(cJSON_Parse(response.body.c_str()));
  const cJSON* item = nullptr;
  cJSON_ArrayForEach(item, json_at(root.get(), "codes")) {
    char* text = cJSON_PrintUnformatted(item);
    const HttpResponse code = as_json(text);
    cJSON_free(text);
    codes.push_back({code.json("code").value_or(""), std::stoll(code.json("notAfter").value_or("0")),
                     code.json("approval").value_or("")});
  }
  return codes;
}

HttpResponse TestControlTest::add_fault(const std::string& body) { return test_call("POST", "/test/faults", body); }

std::vector<RecordedCall> TestControlTest::recorded(std::optional<int> limit) {
  const HttpResponse response =
      test_call("GET", "/test/requests" + (limit ? "?limit=" + std::to_string(*limit) : std::string()));
  EXPECT_EQ(response.status, 200) << response.body;
  std::vector<RecordedCall> calls;
  JsonPtr root(cJSON_Parse(response.body.c_str()));
  const cJSON* item = nullptr;
  cJSON_ArrayForEach(item, json_at(root.get(), "requests")) {
    char* text = cJSON_PrintUnformatted(item);
    const HttpResponse entry = as_json(text);
    cJSON_free(text);
    RecordedCall call{entry.json("method").value_or(""), entry.json("route").value_or(""),
                      std::stol(entry.json("status").value_or("-1")), entry.json("trace").value_or(""), {}};
    for (const std::string& name : entry.json_keys("headers")) {
      call.headers[to_lower(name)] = entry.json("headers." + name).value_or("");
    }
    calls.push_back(std::move(call));
  }
  return calls;
}

int TestControlTest::port() {
  const std::string& url = server().base_url();
  return std::stoi(url.substr(url.rfind(':') + 1));
}

}  // namespace ssokit::testing::test_control
