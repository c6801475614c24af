#include "ssokit/platform/installation_id.hpp"

#include <utility>

#include "files.hpp"
#include "ssokit/platform/device_identity.hpp"

namespace ssokit::platform {
namespace {

constexpr std::size_t kIdBytes = 32;

bool is_installation_id(std::string_view text) {
  if (text.size() != kIdBytes * 2) return false;
  for (const char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

InstallationIdDeviceIdentity::InstallationIdDeviceIdentity(std::shared_ptr<FileSecureStore> store,
                                                           std::string app_salt)
    : store_(std::move(store)), app_salt_(std::move(app_salt)) {}

Result<std::string> InstallationIdDeviceIdentity::device_id() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (id_) return *id_;
  if (!store_) return Status(ErrorCode::kInvalidArgument, "no store for the installation id");

  auto stored = store_->get(kKey);
  if (!stored.ok()) return stored.status();
  if (!stored.value()) {
    auto fresh = detail::random_hex(kIdBytes);
    if (!fresh) return Status(ErrorCode::kStorageError, "the system's random number generator failed");
    auto created = store_->put_if_absent(kKey, *fresh);
    if (!created.ok()) return created.status();
    // Whether this call or a concurrent process created it, the stored one is the id.
    stored = store_->get(kKey);
    if (!stored.ok()) return stored.status();
    if (!stored.value()) {
      return Status(ErrorCode::kStorageError, "the installation id vanished from " + store_->directory());
    }
  }
  const std::string_view raw = detail::trim(**stored);
  if (!is_installation_id(raw)) {
    return Status(ErrorCode::kStorageError, "'" + std::string(kKey) + "' in " + store_->directory() +
                                                " is not an installation id; remove it to make a new one");
  }
  auto hashed = hashed_device_id(raw, app_salt_);
  if (!hashed.ok()) return hashed.status();
  id_ = hashed.value();
  return hashed;
}

}  // namespace ssokit::platform
