#include "ssokit/platform/device_identity.hpp"

#include "digest.hpp"

namespace ssokit::platform {

Result<std::string> hashed_device_id(std::string_view raw_id, std::string_view app_salt) {
  if (raw_id.empty()) return Status(ErrorCode::kInvalidArgument, "the raw device id is empty");
  std::string input;
  input.reserve(app_salt.size() + 1 + raw_id.size());
  input.append(app_salt).append(":").append(raw_id);
  auto digest = detail::sha256(input);
  if (!digest) return Status(ErrorCode::kStorageError, "SHA-256 failed (out of memory?)");
  return detail::base64(*digest);
}

HashedDeviceIdentity::HashedDeviceIdentity(std::string_view raw_id, std::string_view app_salt)
    : id_(hashed_device_id(raw_id, app_salt)) {}

Result<std::string> HashedDeviceIdentity::device_id() { return id_; }

}  // namespace ssokit::platform
