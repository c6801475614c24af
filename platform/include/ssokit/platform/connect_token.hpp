#pragma once
// Platform identity providers: the platform's own signed identity token (a Roku-style
// connect token, a JWS or JWE, SPEC §3), handed to the SDK through
// ssokit::PlatformIdentityProvider. The token is a credential: nothing here logs it.
#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include "ssokit/export.hpp"
#include "ssokit/platform.hpp"
#include "ssokit/result.hpp"

namespace ssokit::platform {

// Asks the app, which asks the platform (on a Roku-style device, the channel's identity API).
// The callable is invoked on every connect_token() call, from the SDK's calling thread;
// it must be thread-safe if the app calls the SDK from several threads. A null callable, or
// a blank answer, is "no token".
class SSOKIT_API RokuConnectTokenProvider final : public PlatformIdentityProvider {
 public:
  using Fetch = std::function<std::optional<std::string>()>;
  explicit RokuConnectTokenProvider(Fetch fetch);
  std::optional<std::string> connect_token() override;

 private:
  Fetch fetch_;
};

// Reads the token from a file on every call, trimming surrounding whitespace (the CLI's
// `sign-in --platform-token FILE`). A missing or blank file is "no token".
class SSOKIT_API FileConnectTokenProvider final : public PlatformIdentityProvider {
 public:
  static constexpr std::size_t kMaxTokenSize = 64 * 1024;

  explicit FileConnectTokenProvider(std::string path);

  // nullopt on any error; use read() to tell the user why.
  std::optional<std::string> connect_token() override;

  // The token; nullopt when the file is missing or blank; kStorageError (with the path and
  // the OS's error text) when it cannot be read or is over kMaxTokenSize.
  Result<std::optional<std::string>> read() const;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace ssokit::platform
