// The SDK benchmark: cached token lookup, per-call overhead against raw libcurl, TCP
// connections per client, and a client's peak heap. Run it through bench/sdk.sh, which starts
// ssokit-server and passes it in SSOKIT_BENCH_SERVER (http://127.0.0.1:PORT),
// SSOKIT_BENCH_SP and SSOKIT_BENCH_STATEMENT (a software statement of that provider).
// A benchmark, never a test.
#include <benchmark/benchmark.h>
#include <curl/curl.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "heap_counter.hpp"
#include "ssokit/ssokit.hpp"
#include "ssokit/testing/fake_platform.hpp"
#include "ssokit/testing/fake_transport.hpp"
#include "tcp_relay.hpp"

namespace ssokit::bench {
namespace {

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "ssokit-bench-sdk: %s\n", what.c_str());
  std::exit(1);
}

std::string env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') die(std::string(name) + " is not set (run bench/sdk.sh)");
  return value;
}

std::string base64(const std::string& in) {
  static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = static_cast<unsigned char>(in[i]) << 16 | static_cast<unsigned char>(in[i + 1]) << 8 |
                       static_cast<unsigned char>(in[i + 2]);
    out += kAlphabet[v >> 18 & 63];
    out += kAlphabet[v >> 12 & 63];
    out += kAlphabet[v >> 6 & 63];
    out += kAlphabet[v & 63];
  }
  if (i + 1 == in.size()) {
    const unsigned v = static_cast<unsigned char>(in[i]) << 16;
    out += kAlphabet[v >> 18 & 63];
    out += kAlphabet[v >> 12 & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    const unsigned v = static_cast<unsigned char>(in[i]) << 16 | static_cast<unsigned char>(in[i + 1]) << 8;
    out += kAlphabet[v >> 18 & 63];
    out += kAlphabet[v >> 12 & 63];
    out += kAlphabet[v >> 6 & 63];
    out += '=';
  }
  return out;
}

// A device of its own for every real client: signing the same device in twice would move it.
std::unique_ptr<testing::FakePlatform> new_device() {
  static std::atomic<int> next{0};
  const std::string raw = "bench-sdk-" + std::to_string(::getpid()) + "-" + std::to_string(next.fetch_add(1));
  return std::make_unique<testing::FakePlatform>(base64(raw));
}

// Splits http://HOST:PORT into host and port.
void host_port(const std::string& base, std::string& host, int& port) {
  const auto start = base.find("://");
  const std::string rest = base.substr(start == std::string::npos ? 0 : start + 3);
  const auto colon = rest.rfind(':');
  if (colon == std::string::npos) die("SSOKIT_BENCH_SERVER must be http://HOST:PORT, not " + base);
  host = rest.substr(0, colon);
  port = std::atoi(rest.substr(colon + 1).c_str());
}

// A client of the real server on the real clocks; the platform must outlive it.
SsoClient real_client(const testing::FakePlatform& device, const std::string& server,
                      std::shared_ptr<HttpTransport> transport = nullptr) {
  ClientOptions options;
  options.server = server;
  options.service_provider = env("SSOKIT_BENCH_SP");
  options.software_statement = env("SSOKIT_BENCH_STATEMENT");
  options.platform = device.services();
  options.platform.clock = nullptr;
  options.transport = std::move(transport);
  auto client = SsoClient::create(std::move(options));
  if (!client.ok()) die("create: " + client.status().message());
  return std::move(client).value();
}

void sign_in(SsoClient& client) {
  auto token = client.sign_in("bench-sdk-user");
  if (!token.ok()) die("sign_in: " + token.status().message());
}

// ---- 1. Cached token lookup -------------------------------------------------------------

void BM_CachedServiceToken(benchmark::State& state) {
  testing::FakePlatform platform;
  auto transport = std::make_shared<testing::FakeTransport>();
  transport->respond("POST", "/o/client/register", 201,
                     R"({"client_id":"cid","client_secret":"secret","client_id_issued_at":1,)"
                     R"("grant_types":["client_credentials"],"scopes":["api:client:v2"]})");
  transport->respond("POST", "/o/client/token", 201,
                     R"({"access_token":"access-1","token_type":"bearer","expires_in":86400,"created_at":1})");
  const std::int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                               platform.clock->system_now().time_since_epoch())
                               .count();
  transport->respond("POST", "/serviceToken", 201,
                     R"({"status":"OK","serviceToken":"token-1","notBefore":)" + std::to_string(now) +
                         R"(,"notAfter":)" + std::to_string(now + 3'600'000) + "}");
  ClientOptions options;
  options.server = "http://sso.test";
  options.service_provider = "demo";
  options.software_statement = "statement.jwt";
  options.platform = platform.services();
  options.transport = transport;
  auto created = SsoClient::create(std::move(options));
  if (!created.ok()) die("create: " + created.status().message());
  SsoClient client = std::move(created).value();
  sign_in(client);
  const std::size_t requests = transport->requests().size();
  for (auto _ : state) {
    auto token = client.service_token();
    benchmark::DoNotOptimize(token);
  }
  if (transport->requests().size() != requests) state.SkipWithError("the cached lookup went to the transport");
}
BENCHMARK(BM_CachedServiceToken);

// ---- 2. Per-call overhead against raw libcurl -------------------------------------------

// Passes requests to libcurl and keeps the last one, so raw libcurl can send the same.
class RecordingTransport final : public HttpTransport {
 public:
  explicit RecordingTransport(std::shared_ptr<HttpTransport> inner) : inner_(std::move(inner)) {}
  TransportResult send(const HttpRequest& request, const TransportCall& call) override {
    {
      std::lock_guard lock(mutex_);
      last_ = request;
    }
    sent_.fetch_add(1, std::memory_order_relaxed);
    return inner_->send(request, call);
  }
  std::int64_t sent() const { return sent_.load(); }
  HttpRequest last() const {
    std::lock_guard lock(mutex_);
    return last_;
  }

 private:
  std::shared_ptr<HttpTransport> inner_;
  mutable std::mutex mutex_;
  HttpRequest last_;
  std::atomic<std::int64_t> sent_{0};
};

struct ListSetup {
  std::unique_ptr<testing::FakePlatform> device = new_device();
  std::shared_ptr<RecordingTransport> recorder =
      std::make_shared<RecordingTransport>(make_curl_transport());
  std::optional<SsoClient> client;
  HttpRequest list_request;  // the SDK's GET /api/{sp}/list, headers and all
};

ListSetup& list_setup() {
  static ListSetup* setup = [] {
    auto* s = new ListSetup;
    s->client.emplace(real_client(*s->device, env("SSOKIT_BENCH_SERVER"), s->recorder));
    sign_in(*s->client);
    auto devices = s->client->list_devices();
    if (!devices.ok()) die("list_devices: " + devices.status().message());
    s->list_request = s->recorder->last();
    if (s->list_request.method != "GET" || s->list_request.url.find("/list") == std::string::npos)
      die("the recorded request is not the list call: " + s->list_request.url);
    return s;
  }();
  return *setup;
}

void BM_ListDevices_Sdk(benchmark::State& state) {
  SsoClient& client = *list_setup().client;
  const std::int64_t sent_before = list_setup().recorder->sent();
  for (auto _ : state) {
    auto devices = client.list_devices();
    if (!devices.ok()) {
      state.SkipWithError(devices.status().message().c_str());
      break;
    }
    benchmark::DoNotOptimize(devices);
  }
  // HTTP requests the SDK sent per list call (1 unless it refreshed a token).
  state.counters["requests_per_call"] = benchmark::Counter(
      static_cast<double>(list_setup().recorder->sent() - sent_before) / static_cast<double>(state.iterations()));
}
BENCHMARK(BM_ListDevices_Sdk)->UseRealTime()->MinTime(0.5)->Repetitions(10);

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

void BM_ListDevices_RawCurl(benchmark::State& state) {
  const HttpRequest& request = list_setup().list_request;
  CURL* easy = curl_easy_init();
  curl_slist* headers = nullptr;
  for (const HttpHeader& header : request.headers)
    headers = curl_slist_append(headers, (header.name + ": " + header.value).c_str());
  std::string body;
  curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &append_body);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &body);
  for (auto _ : state) {
    body.clear();
    const CURLcode code = curl_easy_perform(easy);
    long status = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    if (code != CURLE_OK || status != 200) {
      state.SkipWithError("raw GET list failed");
      break;
    }
    benchmark::DoNotOptimize(body);
  }
  curl_slist_free_all(headers);
  curl_easy_cleanup(easy);
}
BENCHMARK(BM_ListDevices_RawCurl)->UseRealTime()->MinTime(0.5)->Repetitions(10);

// ---- 3. TCP connections per client ------------------------------------------------------

constexpr int kCalls = 100;

// Signs a fresh client in through a counting relay, makes kCalls list calls on `threads`
// threads, and reports the connections the relay accepted.
void connections(benchmark::State& state, int threads) {
  std::string host;
  int port = 0;
  host_port(env("SSOKIT_BENCH_SERVER"), host, port);
  for (auto _ : state) {
    TcpRelay relay(host, port);
    if (!relay.ok()) die("relay: cannot listen");
    std::int64_t after_sign_in = 0;
    std::atomic<int> failures{0};
    {
      auto device = new_device();
      SsoClient client = real_client(*device, "http://127.0.0.1:" + std::to_string(relay.port()));
      sign_in(client);
      after_sign_in = relay.accepted();
      std::atomic<int> next{0};
      std::vector<std::thread> workers;
      for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&] {
          while (next.fetch_add(1) < kCalls) {
            if (!client.list_devices().ok()) failures.fetch_add(1);
          }
        });
      }
      for (std::thread& worker : workers) worker.join();
      state.counters["connections"] = static_cast<double>(relay.accepted());
      state.counters["sign_in_connections"] = static_cast<double>(after_sign_in);
    }
    if (failures.load() > 0) state.SkipWithError("some list calls failed");
  }
}

void BM_Connections_100Sequential(benchmark::State& state) { connections(state, 1); }
void BM_Connections_100Concurrent8(benchmark::State& state) { connections(state, 8); }
BENCHMARK(BM_Connections_100Sequential)->Iterations(1)->UseRealTime();
BENCHMARK(BM_Connections_100Concurrent8)->Iterations(1)->UseRealTime();

// ---- 4. Peak heap of a client -----------------------------------------------------------

// Creates a client (default libcurl transport), signs in, lists devices, destroys it.
void client_lifecycle() {
  auto device = new_device();
  SsoClient client = real_client(*device, env("SSOKIT_BENCH_SERVER"));
  sign_in(client);
  auto devices = client.list_devices();
  if (!devices.ok()) die("list_devices: " + devices.status().message());
}

void BM_PeakHeap(benchmark::State& state) {
  client_lifecycle();  // one-time initialisation (libcurl, statics) stays out of the figure
  for (auto _ : state) {
    heap_window_begin();
    client_lifecycle();
    state.counters["peak_bytes"] = static_cast<double>(heap_window_end());
  }
}
BENCHMARK(BM_PeakHeap)->Iterations(1)->UseRealTime();

}  // namespace
}  // namespace ssokit::bench

BENCHMARK_MAIN();
