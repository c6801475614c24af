// HTTP framing limits of the real server (SPEC §2; issue 7 item 4): chunk-size lines with
// their extensions, the CRLFs between chunks and trailers count against the 16 KiB header
// budget, the read buffer is bounded (the server's resident memory stays flat under floods),
// trailers never reach the API, and open connections are capped (--max-connections).
// Raw TCP on loopback to the real binary; every test is bounded to a few seconds.
#include <sys/resource.h>
#include <sys/types.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "api_test.hpp"
#include "ops_support.hpp"
#include "raw_socket.hpp"

namespace ssokit::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using Millis = std::chrono::milliseconds;

constexpr int kFloodConnections = 40;
constexpr std::size_t kFloodBytes = 1024 * 1024;  // what each flooding connection tries to send
constexpr std::size_t kFloodPiece = 16 * 1024;
// Each flood's first bytes, 4 times the 16 KiB budget: the server must have refused by then.
constexpr std::size_t kRefusedWithin = 64 * 1024;
// The server under test is built with the same flags as this test.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif
#else
constexpr bool kAddressSanitizer = false;
#endif
// What 40 floods may add to the server's resident memory. Bounded, each connection costs the
// server its read buffer (16 KiB budget + one 8 KiB read) and parser state: measured +1.4 MiB
// for 40 (+7.3 MiB under AddressSanitizer, whose redzones and quarantine inflate every
// allocation). Unbounded, each buffers its whole MiB: measured +44 to +49 MiB.
constexpr long kRssGrowthBoundKib = (kAddressSanitizer ? 32 : 8) * 1024;

// A field of /proc/<pid>/status in KiB ("VmRSS"), -1 when unreadable.
long proc_status_kib(pid_t pid, const std::string& field) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
  }
  return -1;
}

// The soft "Max open files" of a process, -1 when unreadable.
long open_files_soft_limit(pid_t pid) {
  std::ifstream limits("/proc/" + std::to_string(pid) + "/limits");
  std::string line;
  while (std::getline(limits, line)) {
    if (line.rfind("Max open files", 0) != 0) continue;
    std::istringstream fields(line.substr(std::string("Max open files").size()));
    std::string soft;
    fields >> soft;
    return soft == "unlimited" ? -1 : std::stol(soft);
  }
  return -1;
}

// Reads until one complete response (Content-Length framing) has arrived, the server closes,
// or `timeout` passes; returns what was parsed (complete == false when none arrived).
ops::RawResponse await_response(RawSocket& socket, Millis timeout = 5000ms) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    const ops::RawResponse response = ops::parse_raw_response(socket.received());
    const auto left = std::chrono::duration_cast<Millis>(deadline - Clock::now());
    if (response.complete || left <= 0ms || !socket.poll_input(left)) {
      return ops::parse_raw_response(socket.received());
    }
  }
}

// One request on a fresh connection; the answer (the send may be cut short when the server
// refuses early, which is fine: the answer is what counts).
ops::RawResponse exchange(int port, const std::string& request) {
  RawSocket socket(port);
  socket.send(request);
  return await_response(socket);
}

std::string header_lines(const Headers& headers) {
  std::string lines;
  for (const auto& [name, value] : headers) lines += name + ": " + value + "\r\n";
  return lines;
}

// The head of a chunked request: request line, Host, `headers`, Transfer-Encoding.
std::string chunked_head(const std::string& method, const std::string& path, const Headers& headers) {
  return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + header_lines(headers) +
         "Transfer-Encoding: chunked\r\n\r\n";
}

// `body` in chunks of `piece` bytes, each size line carrying `extension` (e.g. ";a=b"), then
// the last chunk, the trailer fields and the final CRLF.
std::string chunked_body(const std::string& body, std::size_t piece, const std::string& extension,
                         const Headers& trailer = {}) {
  std::string out;
  for (std::size_t at = 0; at < body.size(); at += piece) {
    const std::string part = body.substr(at, piece);
    std::ostringstream size;
    size << std::hex << part.size();
    out += size.str() + extension + "\r\n" + part + "\r\n";
  }
  return out + "0" + extension + "\r\n" + header_lines(trailer) + "\r\n";
}

bool mentions(const ops::RawResponse& response, const std::string& text) {
  return response.body.find(text) != std::string::npos;
}

struct FloodReport {
  int answered_431 = 0;  // after the first kRefusedWithin bytes
  int refused = 0;       // answered 431 or closed by the server by then
  int still_open = 0;    // neither: the server is still buffering
  long rss_before_kib = -1;
  long rss_flooded_kib = -1;  // the highest seen while the floods arrive
  long rss_growth_kib() const { return rss_flooded_kib - rss_before_kib; }
};

std::ostream& operator<<(std::ostream& out, const FloodReport& r) {
  return out << "after " << kRefusedWithin / 1024 << " KiB each: answered 431: " << r.answered_431
             << ", refused: " << r.refused << ", still open: " << r.still_open << "; RSS " << r.rss_before_kib << " -> "
             << r.rss_flooded_kib << " KiB (+" << r.rss_growth_kib() << " KiB)";
}

// Sends `piece` on `socket` until `sent` reaches `target` or the server stops taking bytes.
bool send_until(RawSocket& socket, const std::string& piece, std::size_t& sent, std::size_t target) {
  while (sent < target) {
    if (socket.send(piece, 2000ms) != RawSocket::SendResult::kSent) return false;
    sent += piece.size();
  }
  return true;
}

// kFloodConnections connections each send `head` and then `piece` over and over. First
// kRefusedWithin bytes each, then the answers are collected; then each goes on to kFloodBytes
// whatever the answer (round robin), until the server closes it, and the server's resident
// memory is sampled meanwhile.
FloodReport flood(const ServerProcess& server, const std::string& head, const std::string& piece) {
  const int port = ops::port_of(server.base_url());
  FloodReport report;
  report.rss_before_kib = proc_status_kib(server.pid(), "VmRSS");
  std::vector<std::unique_ptr<RawSocket>> sockets;
  std::vector<std::size_t> sent(kFloodConnections, 0);
  std::vector<bool> open(kFloodConnections, true);
  for (int i = 0; i < kFloodConnections; ++i) {
    sockets.push_back(std::make_unique<RawSocket>(port));
    open[i] = sockets[i]->send(head) == RawSocket::SendResult::kSent &&
              send_until(*sockets[i], piece, sent[i], kRefusedWithin);
  }
  // An unbounded server answers nothing (its read timeout is 15 s): the wait is capped for all
  // connections together.
  const auto answers_deadline = Clock::now() + 3s;
  for (int i = 0; i < kFloodConnections; ++i) {
    RawSocket& socket = *sockets[i];
    const auto left = std::chrono::duration_cast<Millis>(answers_deadline - Clock::now());
    const ops::RawResponse response = await_response(socket, std::max(left, 0ms));
    const bool answered = response.complete && response.status == 431 && mentions(response, "header_too_large");
    report.answered_431 += answered ? 1 : 0;
    report.refused += answered || socket.peer_closed() ? 1 : 0;
    report.still_open += answered || socket.peer_closed() ? 0 : 1;
  }
  const auto flood_deadline = Clock::now() + 20s;
  for (bool any = true; any && Clock::now() < flood_deadline;) {
    any = false;
    for (int i = 0; i < kFloodConnections; ++i) {
      if (!open[i] || sent[i] >= kFloodBytes) continue;
      open[i] = send_until(*sockets[i], piece, sent[i], sent[i] + piece.size());
      any = true;
    }
  }
  // What went out may still sit in the kernel's socket buffers: give the server time to read
  // it, and keep the highest resident size seen meanwhile.
  for (const auto settled = Clock::now() + 1500ms; Clock::now() < settled;) {
    report.rss_flooded_kib = std::max(report.rss_flooded_kib, proc_status_kib(server.pid(), "VmRSS"));
    std::this_thread::sleep_for(50ms);
  }
  return report;
}

class FramingLimitsTest : public ApiTest {
 protected:
  int port() { return ops::port_of(server().base_url()); }

  // Unlinks of devices that are not linked: a valid request the API answers 200 with an empty
  // list, whatever its framing.
  Headers unlink_headers(const SignedIn& phone) const {
    Headers headers = token_headers(phone);
    headers.emplace_back("Authorization", "Bearer " + access_token());
    headers.emplace_back("Content-Type", "application/json");
    return headers;
  }
};

TEST_F(FramingLimitsTest, EndlessChunkExtensionsAre431AndMemoryStaysFlat) {
  // Warm the server up (threads, allocator arenas) before the first measurement.
  for (int i = 0; i < 5; ++i) ASSERT_EQ(call("GET", "/healthz").status, 200);
  const std::string head = chunked_head("POST", "/api/demo/unlink", {{"Content-Type", "application/json"}}) + "1;x=";
  const FloodReport report = flood(server(), head, std::string(kFloodPiece, 'a'));
  std::cout << "[ endless chunk extension ] " << report << "\n";
  EXPECT_EQ(report.answered_431, kFloodConnections) << report;
  EXPECT_EQ(report.refused, kFloodConnections) << report;
  EXPECT_LT(report.rss_growth_kib(), kRssGrowthBoundKib) << report;
  EXPECT_EQ(call("GET", "/healthz").status, 200);  // still serving
}

TEST_F(FramingLimitsTest, EndlessTrailerBlockIs431AndMemoryStaysFlat) {
  for (int i = 0; i < 5; ++i) ASSERT_EQ(call("GET", "/healthz").status, 200);
  // One chunk, the last chunk, then trailer fields that never end with the empty line.
  const std::string head =
      chunked_head("POST", "/api/demo/unlink", {{"Content-Type", "application/json"}}) + "1\r\n{\r\n0\r\n";
  std::string piece;
  const std::string field = "X-Pad: " + std::string(55, 'p') + "\r\n";  // 64 bytes
  while (piece.size() < kFloodPiece) piece += field;
  const FloodReport report = flood(server(), head, piece);
  std::cout << "[ endless trailer block ] " << report << "\n";
  EXPECT_EQ(report.answered_431, kFloodConnections) << report;
  EXPECT_EQ(report.refused, kFloodConnections) << report;
  EXPECT_LT(report.rss_growth_kib(), kRssGrowthBoundKib) << report;
  EXPECT_EQ(call("GET", "/healthz").status, 200);
}

TEST_F(FramingLimitsTest, ManyShortChunkLinesOverTheBudgetAre431) {
  const SignedIn phone = sign_in("framing-phone", "framing-user");
  std::string body = devices_body({"not-a-linked-device"});
  body.resize(1000, ' ');  // JSON allows trailing white space
  const std::string head = chunked_head("POST", "/api/demo/unlink", unlink_headers(phone));

  // 1000 one-byte chunks, each size line 16 bytes: ~19 KB of framing for a 1000-byte body.
  RawSocket socket(port());
  socket.send(head + chunked_body(body, 1, ";e=abcdefghij"));
  const ops::RawResponse refused = await_response(socket);
  EXPECT_EQ(refused.status, 431) << socket.received().substr(0, 400);
  EXPECT_TRUE(mentions(refused, "\"header_too_large\"")) << refused.body;
  EXPECT_EQ(refused.header("connection"), "close");
  EXPECT_TRUE(socket.wait_closed(3000ms)) << "the connection stays open after 431";

  // The same body in 100-byte chunks (the same extensions): well within the budget.
  const ops::RawResponse fine = exchange(port(), head + chunked_body(body, 100, ";e=abcdefghij"));
  EXPECT_EQ(fine.status, 200) << fine.body;
  EXPECT_TRUE(mentions(fine, "\"unlinkedDevices\":[]")) << fine.body;
}

TEST_F(FramingLimitsTest, NormalChunkedRequestWithExtensionsAndTrailersWorks) {
  const SignedIn phone = sign_in("chunked-phone", "chunked-user");
  const SignedIn tv = join("chunked-tv", create_link_code(phone));
  const std::string head = chunked_head("POST", "/api/demo/unlink", unlink_headers(phone));
  const std::string body = devices_body({tv.device_id});

  // Small extensions (a token and a quoted string) and an empty trailer.
  const ops::RawResponse plain = exchange(port(), head + chunked_body(body, 7, ";name=value;q=\"a b\""));
  EXPECT_EQ(plain.status, 200) << plain.body;
  EXPECT_TRUE(mentions(plain, tv.device_id)) << plain.body;

  // A small trailer is accepted (and discarded).
  const ops::RawResponse trailed =
      exchange(port(), head + chunked_body(body, 5, "", {{"X-Checksum", "abc"}, {"Expires", "0"}}));
  EXPECT_EQ(trailed.status, 200) << trailed.body;
}

TEST_F(FramingLimitsTest, TrailersNeverReachTheApi) {
  const std::string sign_in_path = path("serviceToken");
  const Headers device = {{"AP-Device-Identifier", fingerprint("trailer-phone")}, {"X-SSO-ID", "trailer-user"}};
  const Headers authorization = {{"Authorization", "Bearer " + access_token()}};
  Headers authorized_device = device;
  authorized_device.insert(authorized_device.end(), authorization.begin(), authorization.end());

  // The control: Authorization in the header signs in.
  const ops::RawResponse signed_in =
      exchange(port(), chunked_head("POST", sign_in_path, authorized_device) + "0\r\n\r\n");
  ASSERT_EQ(signed_in.status, 201) << signed_in.body;

  // Authorization only in a trailer: refused exactly as if it were absent.
  const ops::RawResponse absent = exchange(port(), chunked_head("POST", sign_in_path, device) + "0\r\n\r\n");
  EXPECT_EQ(absent.status, 401) << absent.body;
  const ops::RawResponse smuggled =
      exchange(port(), chunked_head("POST", sign_in_path, device) + chunked_body("", 1, "", authorization));
  EXPECT_EQ(smuggled.status, 401) << smuggled.body;

  // AD-Service-Token only in a trailer: the same as no service token.
  const SignedIn phone = sign_in("trailer-phone-2", "trailer-user-2");
  Headers without_token = {{"AP-Device-Identifier", "fingerprint " + phone.device_id}};
  without_token.insert(without_token.end(), authorization.begin(), authorization.end());
  Headers with_token = without_token;
  with_token.emplace_back("AD-Service-Token", phone.service_token);
  const ops::RawResponse linked = exchange(port(), chunked_head("POST", path("link"), with_token) + "0\r\n\r\n");
  ASSERT_EQ(linked.status, 201) << linked.body;
  const ops::RawResponse no_token = exchange(port(), chunked_head("POST", path("link"), without_token) + "0\r\n\r\n");
  EXPECT_NE(no_token.status, 201) << no_token.body;
  const ops::RawResponse token_in_trailer =
      exchange(port(), chunked_head("POST", path("link"), without_token) +
                           chunked_body("", 1, "", {{"AD-Service-Token", phone.service_token}}));
  EXPECT_EQ(token_in_trailer.status, no_token.status) << token_in_trailer.body;
}

// A server with --max-connections 5 and nothing else.
class FramingMaxConnectionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ =
        std::make_unique<ServerProcess>(temp_.path() + "/data", std::vector<std::string>{"--max-connections", "5"});
  }
  int port() const { return ops::port_of(server_->base_url()); }

  TempDir temp_;
  std::unique_ptr<ServerProcess> server_;
};

constexpr char kHealthCheck[] = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

TEST_F(FramingMaxConnectionsTest, BeyondTheCapNewConnectionsAreClosedAtOnce) {
  // Five connections, each served once and then kept alive, idle.
  std::vector<std::unique_ptr<RawSocket>> open;
  for (int i = 0; i < 5; ++i) {
    open.push_back(std::make_unique<RawSocket>(port()));
    open.back()->send(kHealthCheck);
    ASSERT_EQ(await_response(*open.back()).status, 200) << "connection " << i;
  }

  // The sixth is closed by the server at once, without a byte of answer.
  RawSocket sixth(port());
  const auto start = Clock::now();
  EXPECT_TRUE(sixth.wait_closed(1000ms)) << "the sixth connection was not closed";
  EXPECT_LT(Clock::now() - start, 1000ms);
  EXPECT_EQ(sixth.received(), "");

  // The five still work.
  open.front()->send(kHealthCheck);
  EXPECT_EQ(await_response(*open.front()).status, 200);

  // Once one of them closes, a new connection is served normally (the server needs a moment to
  // see the close, hence the retries).
  open.back()->close();
  long status = 0;
  for (const auto deadline = Clock::now() + 3s; status != 200 && Clock::now() < deadline;) {
    RawSocket next(port());
    next.send(kHealthCheck);
    status = await_response(next, 1000ms).status;
    if (status != 200) std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(status, 200) << "no connection was served after one of the five closed";
}

TEST(FramingOpenFilesLimit, ServerRaisesALowSoftLimitTowardTheHardLimit) {
  rlimit original{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &original), 0);
  if (original.rlim_max != RLIM_INFINITY && original.rlim_max <= 1024) {
    GTEST_SKIP() << "the hard limit (" << original.rlim_max << ") leaves nothing to raise";
  }
  // The server inherits a soft limit of 256 from us; with --max-connections 2000 it needs more.
  rlimit low = original;
  low.rlim_cur = 256;
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &low), 0);
  TempDir temp;
  std::unique_ptr<ServerProcess> server;
  try {
    server =
        std::make_unique<ServerProcess>(temp.path() + "/data", std::vector<std::string>{"--max-connections", "2000"});
  } catch (...) {
    ::setrlimit(RLIMIT_NOFILE, &original);
    throw;
  }
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &original), 0);
  const long soft = open_files_soft_limit(server->pid());
  const long wanted =
      original.rlim_max == RLIM_INFINITY ? 2000 : std::min<long>(2000, static_cast<long>(original.rlim_max));
  EXPECT_TRUE(soft == -1 || soft >= wanted) << "soft limit " << soft << ", wanted at least " << wanted;
}

}  // namespace
}  // namespace ssokit::testing
