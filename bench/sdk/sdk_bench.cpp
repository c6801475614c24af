// The SDK benchmark: cached token lookup, per-call overhead against raw libcurl, TCP
// connections per client, and a client's peak heap. Run it through bench/sdk.sh, which starts
// ssokit-server and passes it in SSOKIT_BENCH_SERVER (http://127.0.0.1:PORT),
// SSOKIT_BENCH_SP and SSOKIT_BENCH_STATEMENT (a software statement of that provider).
// A benchmark, never a test.
#include <benchmark/benchmark.h>
#include <curl/curl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
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

// A profile of its own for every client unless told otherwise, so what a list returns does not
// depend on which benchmarks ran before.
std::string new_sso_id() {
  static std::atomic<int> next{0};
  return "bench-sdk-user-" + std::to_string(::getpid()) + "-" + std::to_string(next.fetch_add(1));
}

void sign_in(SsoClient& client, const std::string& sso_id = new_sso_id()) {
  auto token = client.sign_in(sso_id);
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
  options.server = "https://sso.test";
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

// Passes requests to libcurl and, until stop_recording(), keeps the last request and answer
// so raw libcurl can send the same. Measured calls only count: copying every request and
// answer would put the harness's own cost into the SDK's figure.
class RecordingTransport final : public HttpTransport {
 public:
  explicit RecordingTransport(std::shared_ptr<HttpTransport> inner) : inner_(std::move(inner)) {}
  TransportResult send(const HttpRequest& request, const TransportCall& call) override {
    sent_.fetch_add(1, std::memory_order_relaxed);
    if (!recording_.load(std::memory_order_acquire)) return inner_->send(request, call);
    TransportResult result = inner_->send(request, call);
    std::lock_guard lock(mutex_);
    last_request_ = request;
    last_result_ = result;
    return result;
  }
  void stop_recording() { recording_.store(false, std::memory_order_release); }
  std::int64_t sent() const { return sent_.load(); }
  HttpRequest last_request() const {
    std::lock_guard lock(mutex_);
    return last_request_;
  }
  TransportResult last_result() const {
    std::lock_guard lock(mutex_);
    return last_result_;
  }

 private:
  std::shared_ptr<HttpTransport> inner_;
  std::atomic<bool> recording_{true};
  mutable std::mutex mutex_;
  HttpRequest last_request_;
  TransportResult last_result_;
  std::atomic<std::int64_t> sent_{0};
};

struct ListSetup {
  std::unique_ptr<testing::FakePlatform> device = new_device();
  std::shared_ptr<RecordingTransport> recorder =
      std::make_shared<RecordingTransport>(make_curl_transport());
  std::optional<SsoClient> client;
  HttpRequest list_request;  // the SDK's GET /api/{sp}/list, headers and all
  TransportResult list_answer;  // the server's answer to it
};

// The client every list benchmark uses: its profile holds three devices (a TV, a phone and a
// tablet, as in the seed's list example), so each list answer carries three entries.
constexpr std::size_t kDevicesInTheListedProfile = 3;

ListSetup& list_setup() {
  static ListSetup* setup = [] {
    auto* s = new ListSetup;
    const std::string profile = new_sso_id();
    s->client.emplace(real_client(*s->device, env("SSOKIT_BENCH_SERVER"), s->recorder));
    sign_in(*s->client, profile);
    for (std::size_t other = 1; other < kDevicesInTheListedProfile; ++other) {
      const auto device = new_device();
      SsoClient client = real_client(*device, env("SSOKIT_BENCH_SERVER"));
      sign_in(client, profile);
    }
    auto devices = s->client->list_devices();
    if (!devices.ok()) die("list_devices: " + devices.status().message());
    if (devices->size() != kDevicesInTheListedProfile) die("the listed profile does not hold three devices");
    s->list_request = s->recorder->last_request();
    s->list_answer = s->recorder->last_result();
    s->recorder->stop_recording();
    if (s->list_request.method != "GET" || s->list_request.url.find("/list") == std::string::npos)
      die("the recorded request is not the list call: " + s->list_request.url);
    return s;
  }();
  return *setup;
}

// Answers every request with the same recorded answer, without I/O.
class ReplayTransport final : public HttpTransport {
 public:
  explicit ReplayTransport(TransportResult answer) : answer_(std::move(answer)) {}
  TransportResult send(const HttpRequest& /*request*/, const TransportCall& /*call*/) override { return answer_; }

 private:
  const TransportResult answer_;
};

// The SDK's own cost per list call: a second client of the signed-in device (it loads the
// service token from the device's store) whose transport replays the server's real answer.
void BM_ListDevices_SdkWithoutIo(benchmark::State& state) {
  ListSetup& real = list_setup();
  const auto replay = std::make_shared<ReplayTransport>(real.list_answer);
  SsoClient client = real_client(*real.device, env("SSOKIT_BENCH_SERVER"), replay);
  for (auto _ : state) {
    auto devices = client.list_devices();
    if (!devices.ok()) {
      state.SkipWithError(devices.status().message().c_str());
      break;
    }
    benchmark::DoNotOptimize(devices);
  }
}
BENCHMARK(BM_ListDevices_SdkWithoutIo);

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

// The SDK's recorded request, sent again and again through one raw libcurl easy handle: what
// an app that spoke HTTP itself would do at the least (no retries, no parsing of the answer).
class RawCurlRequest {
 public:
  explicit RawCurlRequest(const HttpRequest& request) : easy_(curl_easy_init()) {
    for (const HttpHeader& header : request.headers)
      headers_ = curl_slist_append(headers_, (header.name + ": " + header.value).c_str());
    curl_easy_setopt(easy_, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(easy_, CURLOPT_HTTPHEADER, headers_);
    curl_easy_setopt(easy_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy_, CURLOPT_WRITEFUNCTION, &append_body);
    curl_easy_setopt(easy_, CURLOPT_WRITEDATA, &body_);
  }
  ~RawCurlRequest() {
    curl_slist_free_all(headers_);
    curl_easy_cleanup(easy_);
  }
  RawCurlRequest(const RawCurlRequest&) = delete;
  RawCurlRequest& operator=(const RawCurlRequest&) = delete;

  // True for a 200 answer.
  bool send() {
    body_.clear();
    const CURLcode code = curl_easy_perform(easy_);
    long status = 0;
    curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &status);
    benchmark::DoNotOptimize(body_);
    return code == CURLE_OK && status == 200;
  }

 private:
  CURL* easy_;
  curl_slist* headers_ = nullptr;
  std::string body_;
};

// Thread CPU time, for the CPU per call of each way.
std::chrono::nanoseconds thread_cpu_now() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return std::chrono::seconds(now.tv_sec) + std::chrono::nanoseconds(now.tv_nsec);
}

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), middle, values.end());
  return *middle;
}

// The overhead figure. The same GET list three ways: SsoClient::list_devices(), the curl
// transport alone with the SDK's recorded request, and raw libcurl with that request. They run
// in interleaved blocks of kBlockCalls calls each (the order rotating from block to block), so
// all three meet the same server, load and machine state, which on a shared VM drift more from
// second to second than the overhead being measured; within a block each keeps its own warm
// connection. Each call is timed alone; the figures are the median call of each way.
constexpr int kBlockCalls = 32;

void BM_ListDevices_SdkTransportRaw(benchmark::State& state) {
  ListSetup& setup = list_setup();
  SsoClient& client = *setup.client;
  const std::shared_ptr<HttpTransport> transport = make_curl_transport();
  RawCurlRequest raw(setup.list_request);
  const std::int64_t sent_before = setup.recorder->sent();

  const std::function<bool()> ways[3] = {
      [&] { return client.list_devices().ok(); },
      [&] {
        TransportCall call;
        call.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        return transport->send(setup.list_request, call).response.status == 200;
      },
      [&] { return raw.send(); },
  };
  std::vector<double> wall_ns[3];
  std::chrono::nanoseconds cpu[3]{};
  std::int64_t sdk_calls = 0;
  int first = 0;
  for (auto _ : state) {
    for (int turn = 0; turn < 3; ++turn) {
      const int way = (first + turn) % 3;
      const auto cpu_start = thread_cpu_now();
      for (int i = 0; i < kBlockCalls; ++i) {
        const auto start = std::chrono::steady_clock::now();
        if (!ways[way]()) {
          state.SkipWithError("a GET list failed");
          return;
        }
        wall_ns[way].push_back(
            static_cast<double>((std::chrono::steady_clock::now() - start) / std::chrono::nanoseconds(1)));
      }
      cpu[way] += thread_cpu_now() - cpu_start;
    }
    sdk_calls += kBlockCalls;
    first = (first + 1) % 3;
  }
  const char* names[3] = {"sdk", "transport", "raw"};
  double medians[3] = {};
  for (int way = 0; way < 3; ++way) {
    medians[way] = median(wall_ns[way]);
    state.counters[std::string(names[way]) + "_us"] = medians[way] / 1000;
    state.counters[std::string(names[way]) + "_cpu_us"] =
        static_cast<double>(cpu[way].count()) / 1000 / static_cast<double>(wall_ns[way].size());
  }
  state.counters["sdk_overhead_pct"] = (medians[0] / medians[2] - 1) * 100;
  state.counters["transport_overhead_pct"] = (medians[1] / medians[2] - 1) * 100;
  // HTTP requests the SDK sent per list call (1 unless it refreshed a token).
  state.counters["sdk_requests_per_call"] =
      static_cast<double>(setup.recorder->sent() - sent_before) / static_cast<double>(sdk_calls);
}
BENCHMARK(BM_ListDevices_SdkTransportRaw)->UseRealTime()->MinTime(2.0)->Repetitions(5);

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
    state.counters["peak_bytes"] = static_cast<double>(heap_window_end().peak_bytes);
  }
}
BENCHMARK(BM_PeakHeap)->Iterations(1)->UseRealTime();

// Heap blocks allocated per GET list call (libcurl's and cJSON's included), through the SDK
// and through raw libcurl: allocations are most of the SDK's own CPU per call.
void BM_AllocationsPerListCall(benchmark::State& state) {
  SsoClient& client = *list_setup().client;
  RawCurlRequest raw(list_setup().list_request);
  const std::shared_ptr<HttpTransport> transport = make_curl_transport();
  constexpr int kListCalls = 100;
  for (auto _ : state) {
    heap_window_begin();
    for (int i = 0; i < kListCalls; ++i) {
      if (!client.list_devices().ok()) state.SkipWithError("GET list through the SDK failed");
    }
    const HeapWindow sdk = heap_window_end();
    heap_window_begin();
    for (int i = 0; i < kListCalls; ++i) {
      if (!raw.send()) state.SkipWithError("raw GET list failed");
    }
    const HeapWindow plain = heap_window_end();
    heap_window_begin();
    for (int i = 0; i < kListCalls; ++i) {
      TransportCall call;
      call.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
      if (transport->send(list_setup().list_request, call).response.status != 200)
        state.SkipWithError("GET list through the transport failed");
    }
    const HeapWindow transported = heap_window_end();
    state.counters["sdk_allocations"] = static_cast<double>(sdk.allocations) / kListCalls;
    state.counters["transport_allocations"] = static_cast<double>(transported.allocations) / kListCalls;
    state.counters["raw_allocations"] = static_cast<double>(plain.allocations) / kListCalls;
  }
}
BENCHMARK(BM_AllocationsPerListCall)->Iterations(1)->UseRealTime();

}  // namespace
}  // namespace ssokit::bench

BENCHMARK_MAIN();
