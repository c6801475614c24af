#include "ssokit/testing/fake_platform.hpp"

namespace ssokit::testing {
namespace {

class FixedIdentity final : public DeviceIdentity {
 public:
  explicit FixedIdentity(std::string id) : id_(std::move(id)) {}
  Result<std::string> device_id() override { return id_; }

 private:
  std::string id_;
};

class FixedInfo final : public DeviceInfoSource {
 public:
  explicit FixedInfo(std::string json) : json_(std::move(json)) {}
  std::string device_info_json() override { return json_; }

 private:
  std::string json_;
};

class FixedConnectToken final : public PlatformIdentityProvider {
 public:
  explicit FixedConnectToken(std::string token) : token_(std::move(token)) {}
  std::optional<std::string> connect_token() override {
    if (token_.empty()) return std::nullopt;
    return token_;
  }

 private:
  std::string token_;
};

}  // namespace

FakePlatform::FakePlatform(std::string id, std::string info)
    : device_id(std::move(id)), device_info_json(std::move(info)) {}

PlatformServices FakePlatform::services() const {
  PlatformServices services;
  services.identity = std::make_shared<FixedIdentity>(device_id);
  services.device_info = std::make_shared<FixedInfo>(device_info_json);
  services.store = store;
  services.platform_identity = std::make_shared<FixedConnectToken>(connect_token);
  services.clock = clock;
  return services;
}

}  // namespace ssokit::testing
