#pragma once
// Platform services for tests: a fixed device id, fixed device info, a memory store and a
// fake clock. Keep the pointers to script or inspect them.
#include <memory>
#include <string>

#include "ssokit/platform.hpp"
#include "ssokit/testing/fake_clock.hpp"
#include "ssokit/testing/memory_store.hpp"

namespace ssokit::testing {

struct FakePlatform {
  std::shared_ptr<MemorySecureStore> store = std::make_shared<MemorySecureStore>();
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
  std::string device_id;
  std::string device_info_json;
  std::string connect_token;  // "" = the platform has none

  explicit FakePlatform(std::string id = "ZmFrZS1kZXZpY2U=",
                        std::string info = R"({"primaryHardwareType":"TV","model":"Test","osName":"Linux"})");
  // The bundle for ClientOptions::platform, sharing this object's store and clock.
  PlatformServices services() const;
};

}  // namespace ssokit::testing
