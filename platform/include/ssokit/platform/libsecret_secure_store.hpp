#pragma once
// A SecureStore in the desktop's keyring: the freedesktop.org Secret Service (GNOME Keyring,
// KDE Wallet since Frameworks 5.97, KeePassXC...) over D-Bus, through libsecret. Built only
// when CMake finds libsecret-1 (Debian: libsecret-1-dev) and SSOKIT_WITH_LIBSECRET is on;
// <ssokit/platform/build_config.hpp> says whether this build has it
// (SSOKIT_HAS_LIBSECRET_SECURE_STORE). Which store to use where: docs/platforms.md.
//
// - Each key is one item of the default collection (the "login" keyring on GNOME), with the
//   schema kSchemaName and the attributes "app" (the name given here) and "key". Stores with
//   different app names never see each other's keys. The item's label is
//   "ssokit: <app> <key>" (shown in Seahorse and `secret-tool search`); it never holds the value.
// - Values are stored as bytes, so any std::string round-trips (NUL bytes and text that is not
//   UTF-8 included). `put` replaces the item in one Secret Service call, which is atomic.
// - Keys follow FileSecureStore's rules (1 to 128 characters of [A-Za-z0-9._-], not starting
//   with '.'), so an app can move between the two stores; app names are 1 to 128 characters
//   of [A-Za-z0-9._-] (e.g. "com.example.tvapp"). Anything else, and values over
//   kMaxValueSize, is kInvalidArgument before anything is sent.
// - When no Secret Service is reachable (no session bus, nothing providing
//   org.freedesktop.secrets) or it refuses (a locked collection whose unlock prompt was
//   dismissed), calls answer kStorageError with the Secret Service's reason, never the value.
//   A locked collection makes the Secret Service ask the user to unlock it, and the call waits
//   for the answer (libsecret's synchronous calls may block that long), so make the SDK's
//   calls off the UI thread, as they should be anyway.
// - Thread-safe: calls into libsecret are serialized within the process, since libsecret's
//   shared state (its service connection, libgcrypt) is not safe to set up from several
//   threads at once. Other processes may use the same items (last writer wins).
#include <cstddef>
#include <optional>
#include <string>

#include "ssokit/export.hpp"
#include "ssokit/platform.hpp"
#include "ssokit/result.hpp"

namespace ssokit::platform {

class SSOKIT_API LibsecretSecureStore final : public SecureStore {
 public:
  // The xdg:schema of every item, to find them with e.g.
  // `secret-tool search --all xdg:schema org.ssokit.SecureStore app com.example.tvapp`.
  static constexpr const char* kSchemaName = "org.ssokit.SecureStore";
  static constexpr std::size_t kMaxAppLength = 128;
  static constexpr std::size_t kMaxValueSize = 1024 * 1024;  // as FileSecureStore

  explicit LibsecretSecureStore(std::string app);

  const std::string& app() const { return app_; }

  Result<std::optional<std::string>> get(const std::string& key) override;
  Status put(const std::string& key, const std::string& value) override;
  Status remove(const std::string& key) override;

  static bool valid_app(const std::string& app);

 private:
  std::string app_;
};

}  // namespace ssokit::platform
