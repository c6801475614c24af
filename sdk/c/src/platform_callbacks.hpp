#pragma once
// The SDK's platform interfaces over a C program's callbacks: the secure store, the connect
// token and a fixed X-Device-Info.
#include <string>

#include "ssokit/c/ssokit.h"
#include "ssokit/platform.hpp"

namespace ssokit::c_api {

class CallbackSecureStore final : public SecureStore {
 public:
  CallbackSecureStore(ssokit_store_get_fn get_fn, ssokit_store_put_fn put_fn, ssokit_store_remove_fn remove_fn,
                      void* user_data)
      : get_(get_fn), put_(put_fn), remove_(remove_fn), user_data_(user_data) {}

  Result<std::optional<std::string>> get(const std::string& key) override;
  Status put(const std::string& key, const std::string& value) override;
  Status remove(const std::string& key) override;

 private:
  ssokit_store_get_fn get_;
  ssokit_store_put_fn put_;
  ssokit_store_remove_fn remove_;
  void* user_data_;
};

class CallbackConnectToken final : public PlatformIdentityProvider {
 public:
  CallbackConnectToken(ssokit_connect_token_fn provider, void* user_data) : provider_(provider), user_data_(user_data) {}
  std::optional<std::string> connect_token() override;

 private:
  ssokit_connect_token_fn provider_;
  void* user_data_;
};

class FixedDeviceInfo final : public DeviceInfoSource {
 public:
  explicit FixedDeviceInfo(std::string json) : json_(std::move(json)) {}
  std::string device_info_json() override { return json_; }

 private:
  std::string json_;
};

}  // namespace ssokit::c_api
