// Uses each installed target the way an app does: the platform's Linux services, an SsoClient
// on the default libcurl transport (or, in a kit built with SSOKIT_WITH_CURL=OFF, the refusal
// that asks for a transport), and the testing fakes and TestControl. Exits non-zero on any
// surprise.
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "ssokit/c/ssokit.h"
#include "ssokit/platform/linux_services.hpp"
#include "ssokit/ssokit.hpp"
#include "ssokit/testing/fake_transport.hpp"
#include "ssokit/testing/test_control.hpp"

namespace {

int fail(const std::string& what) {
  std::fprintf(stderr, "consumer: %s\n", what.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) return fail("usage: consumer STATE_DIR");
  auto services = ssokit::platform::linux_services(argv[1]);
  if (!services.ok()) return fail("linux_services: " + services.status().message());

  ssokit::ClientOptions options;
  options.server = "http://127.0.0.1:9";
  options.service_provider = "demo";
  options.software_statement = "statement.jwt";
  options.platform = *services;
  auto client = ssokit::SsoClient::create(options);
#if SSOKIT_HAS_CURL_TRANSPORT
  if (!client.ok()) return fail("create: " + client.status().message());
  if (client->service_token().status().code() != ssokit::ErrorCode::kNotSignedIn) {
    return fail("a new client should not be signed in");
  }
#else
  if (client.status().code() != ssokit::ErrorCode::kInvalidArgument) {
    return fail("a kit without libcurl must refuse a client with no transport");
  }
#endif

  // The fakes an app uses in its own tests: a scripted transport that records requests.
  auto fake = std::make_shared<ssokit::testing::FakeTransport>();
  options.transport = fake;
  auto faked = ssokit::SsoClient::create(options);
  if (!faked.ok()) return fail("create with the fake transport: " + faked.status().message());
  auto device_id = faked->device_id();
  if (!device_id.ok() || device_id->empty()) return fail("no device id");
  if (faked->sign_in("alice").ok()) return fail("sign-in without a scripted answer should fail");
  if (fake->requests().empty()) return fail("the fake transport saw no request");

  // TestControl, on the fake transport: the installed testing library reads its answers with
  // the installed SDK's wire layer.
  fake->respond("GET", "/test/clock", 200, R"({"now":1796677070225,"offsetSeconds":60})");
  const ssokit::testing::TestControl control("http://127.0.0.1:9", fake);
  auto clock = control.clock();
  if (!clock.ok() || clock->offset != std::chrono::seconds(60)) return fail("TestControl did not read the clock");

  std::printf("consumer: device %s, not signed in, fake transport saw %zu request(s)\n", device_id->c_str(),
              fake->requests().size());
  // The C API from the same installed kit.
  if (std::string(ssokit_status_name(SSOKIT_DEVICE_UNLINKED)) != "device_unlinked") return fail("the C API's names");
  return 0;
}
