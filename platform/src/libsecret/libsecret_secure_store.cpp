// Built only when CMake finds libsecret-1 (platform/CMakeLists.txt), hence its own folder:
// the platform library globs src/*.cpp.
#include "ssokit/platform/libsecret_secure_store.hpp"

#include <libsecret/secret.h>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "ssokit/platform/file_secure_store.hpp"

namespace ssokit::platform {
namespace {

// xdg:schema kSchemaName; SECRET_SCHEMA_NONE makes lookups match the schema name too, so
// items another program made with the same attribute names are never read or removed.
const SecretSchema* store_schema() {
  static const SecretSchema schema = {
      LibsecretSecureStore::kSchemaName,
      SECRET_SCHEMA_NONE,
      {{"app", SECRET_SCHEMA_ATTRIBUTE_STRING},
       {"key", SECRET_SCHEMA_ATTRIBUTE_STRING},
       {nullptr, SECRET_SCHEMA_ATTRIBUTE_STRING}},
      0, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr};
  return &schema;
}

// One lock for every store in the process: libsecret's service connection and its libgcrypt
// setup are process-wide, and their first use is not safe from two threads at once.
std::mutex& libsecret_mutex() {
  static std::mutex mutex;
  return mutex;
}

struct ErrorDeleter {
  void operator()(GError* error) const { g_error_free(error); }
};
struct ValueDeleter {
  void operator()(SecretValue* value) const { secret_value_unref(value); }
};
using ErrorPtr = std::unique_ptr<GError, ErrorDeleter>;
using ValuePtr = std::unique_ptr<SecretValue, ValueDeleter>;

std::string shown(const std::string& text) { return text.size() > 40 ? text.substr(0, 40) + "..." : text; }

Status invalid_key(const std::string& key) {
  return Status(ErrorCode::kInvalidArgument, "secure store key '" + shown(key) +
                                                 "' is not 1 to 128 characters of [A-Za-z0-9._-] not starting with '.'");
}

Status invalid_app(const std::string& app) {
  return Status(ErrorCode::kInvalidArgument,
                "secure store (libsecret): the app name '" + shown(app) + "' is not 1 to " +
                    std::to_string(LibsecretSecureStore::kMaxAppLength) + " characters of [A-Za-z0-9._-]");
}

Status check_names(const std::string& app, const std::string& key) {
  if (!LibsecretSecureStore::valid_app(app)) return invalid_app(app);
  if (!FileSecureStore::valid_key(key)) return invalid_key(key);
  return Status();
}

// kStorageError "secure store (libsecret): cannot <what> '<key>' of app '<app>' in the Secret
// Service: <reason>". The reason is D-Bus's or the Secret Service's own text, which names what
// is missing (no bus, nothing providing org.freedesktop.secrets, no such collection); a call
// that failed without one was refused by the user or the service (a dismissed unlock prompt).
Status service_error(std::string_view what, const std::string& app, const std::string& key, const ErrorPtr& error) {
  const std::string reason = error != nullptr && error->message != nullptr
                                 ? std::string(error->message)
                                 : std::string("refused with no reason given (a dismissed unlock prompt?)");
  return Status(ErrorCode::kStorageError, "secure store (libsecret): cannot " + std::string(what) + " '" + key +
                                              "' of app '" + app + "' in the Secret Service: " + reason);
}

}  // namespace

LibsecretSecureStore::LibsecretSecureStore(std::string app) : app_(std::move(app)) {}

bool LibsecretSecureStore::valid_app(const std::string& app) {
  if (app.empty() || app.size() > kMaxAppLength) return false;
  for (const char c : app) {
    const bool ok =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Result<std::optional<std::string>> LibsecretSecureStore::get(const std::string& key) {
  Status names = check_names(app_, key);
  if (!names.ok()) return names;
  GError* raw_error = nullptr;
  ValuePtr value;
  {
    std::lock_guard<std::mutex> lock(libsecret_mutex());
    value.reset(secret_password_lookup_binary_sync(store_schema(), nullptr, &raw_error, "app", app_.c_str(), "key",
                                                   key.c_str(), nullptr));
  }
  const ErrorPtr error(raw_error);
  if (error != nullptr) return service_error("read", app_, key, error);
  if (value == nullptr) return std::optional<std::string>();  // no such item
  gsize length = 0;
  const gchar* bytes = secret_value_get(value.get(), &length);
  return std::optional<std::string>(std::string(bytes, length));
}

Status LibsecretSecureStore::put(const std::string& key, const std::string& value) {
  Status names = check_names(app_, key);
  if (!names.ok()) return names;
  if (value.size() > kMaxValueSize) {
    return Status(ErrorCode::kInvalidArgument,
                  "secure store values are limited to " + std::to_string(kMaxValueSize) + " bytes");
  }
  // Bytes, not text: secret_password_store_sync takes a NUL-terminated string, which would cut
  // a value at its first NUL. The content type only describes the bytes to other programs.
  ValuePtr secret(secret_value_new(value.data(), static_cast<gssize>(value.size()), "application/octet-stream"));
  const std::string label = "ssokit: " + app_ + " " + key;
  GError* raw_error = nullptr;
  gboolean stored = FALSE;
  {
    std::lock_guard<std::mutex> lock(libsecret_mutex());
    // Replaces the item with the same attributes, if any, in one CreateItem call.
    stored = secret_password_store_binary_sync(store_schema(), SECRET_COLLECTION_DEFAULT, label.c_str(), secret.get(),
                                               nullptr, &raw_error, "app", app_.c_str(), "key", key.c_str(), nullptr);
  }
  const ErrorPtr error(raw_error);
  if (!stored || error != nullptr) return service_error("store", app_, key, error);
  return Status();
}

Status LibsecretSecureStore::remove(const std::string& key) {
  Status names = check_names(app_, key);
  if (!names.ok()) return names;
  GError* raw_error = nullptr;
  {
    std::lock_guard<std::mutex> lock(libsecret_mutex());
    // FALSE without an error: there was nothing to remove, which is not a failure.
    secret_password_clear_sync(store_schema(), nullptr, &raw_error, "app", app_.c_str(), "key", key.c_str(), nullptr);
  }
  const ErrorPtr error(raw_error);
  if (error != nullptr) return service_error("remove", app_, key, error);
  return Status();
}

}  // namespace ssokit::platform
