// Framing limits through a real server: trailers never reach the handler, chunk-size lines
// count against the header budget, and connections beyond max_connections are closed at once.
#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "http_test_support.hpp"

namespace ssokit::http::test {
namespace {

class Seen {
 public:
  Handler handler() {
    return [this](const Request& request) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        requests_.push_back(request);
      }
      Response r;
      r.status = request.problem == RequestProblem::kHeaderTooLarge ? 431 : 200;
      r.body = request.path + ":" + request.body;
      return r;
    };
  }
  std::vector<Request> all() {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }

 private:
  std::mutex mutex_;
  std::vector<Request> requests_;
};

ServerOptions framing_options() {
  ServerOptions options;
  options.threads = 2;
  options.max_header_bytes = 2048;
  return options;
}

TEST(HttpServerFraming, TrailerFieldsNeverReachTheHandlerAndPipeliningGoesOn) {
  Seen seen;
  RunningServer server(seen.handler(), framing_options());
  RawSocket socket(server.port());
  ASSERT_TRUE(
      socket.send("POST /chunked HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "5;ext=1\r\nhello\r\n0\r\nX-Smuggled: yes\r\nHost: evil\r\n\r\n"
                  "GET /next HTTP/1.1\r\nHost: t\r\n\r\n"));
  const auto first = socket.read_response();
  const auto second = socket.read_response();
  ASSERT_TRUE(first && second) << socket.pending();
  EXPECT_EQ(body_of(*first), "/chunked:hello");
  EXPECT_EQ(body_of(*second), "/next:");
  const std::vector<Request> requests = seen.all();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].header("X-Smuggled"), nullptr);
  ASSERT_EQ(requests[0].headers.size(), 2u);  // Host and Transfer-Encoding
  EXPECT_EQ(*requests[0].header("Host"), "t");
  EXPECT_EQ(requests[1].header("X-Smuggled"), nullptr);
}

TEST(HttpServerFraming, ShortChunkLinesAddingUpOverTheBudgetAre431AndClose) {
  Seen seen;
  RunningServer server(seen.handler(), framing_options());
  RawSocket socket(server.port());
  std::string request = "POST /many HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 200; ++i) request += "1;e=abc\r\nx\r\n";  // 12 bytes of framing per byte of body
  request += "0\r\n\r\n";
  socket.send(request);
  const auto response = socket.read_response();
  ASSERT_TRUE(response.has_value()) << socket.pending();
  EXPECT_EQ(status_of(*response), 431);
  EXPECT_EQ(header_of(*response, "Connection").value_or(""), "close");
  EXPECT_TRUE(socket.wait_closed(3000ms));
  const std::vector<Request> requests = seen.all();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].problem, RequestProblem::kHeaderTooLarge);
  EXPECT_EQ(requests[0].path, "/many");  // the header was complete
  EXPECT_EQ(requests[0].body, "");
}

TEST(HttpServerFraming, ConnectionsBeyondTheCapAreClosedAtOnce) {
  Seen seen;
  ServerOptions options = framing_options();
  options.max_connections = 2;
  RunningServer server(seen.handler(), options);
  std::vector<std::unique_ptr<RawSocket>> open;
  for (int i = 0; i < 2; ++i) {
    open.push_back(std::make_unique<RawSocket>(server.port()));
    ASSERT_TRUE(open.back()->send("GET /kept HTTP/1.1\r\nHost: t\r\n\r\n"));
    ASSERT_TRUE(open.back()->read_response().has_value()) << i;
  }
  RawSocket third(server.port());
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(third.wait_closed(1000ms));
  EXPECT_LT(elapsed_since(start), 1000ms);
  EXPECT_EQ(third.pending(), "");

  open.pop_back();  // closes one of the two
  bool served = false;
  for (const auto deadline = std::chrono::steady_clock::now() + 3s;
       !served && std::chrono::steady_clock::now() < deadline;) {
    RawSocket next(server.port());
    served = next.send("GET /again HTTP/1.1\r\nHost: t\r\n\r\n") && next.read_response(1000ms).has_value();
    if (!served) std::this_thread::sleep_for(20ms);
  }
  EXPECT_TRUE(served);
}

}  // namespace
}  // namespace ssokit::http::test
