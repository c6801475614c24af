#include "ssokit/platform/connect_token.hpp"

#include <utility>

#include "files.hpp"

namespace ssokit::platform {

RokuConnectTokenProvider::RokuConnectTokenProvider(Fetch fetch) : fetch_(std::move(fetch)) {}

std::optional<std::string> RokuConnectTokenProvider::connect_token() {
  if (!fetch_) return std::nullopt;
  std::optional<std::string> token = fetch_();
  if (!token) return std::nullopt;
  const std::string_view trimmed = detail::trim(*token);
  if (trimmed.empty()) return std::nullopt;
  return std::string(trimmed);
}

FileConnectTokenProvider::FileConnectTokenProvider(std::string path) : path_(std::move(path)) {}

Result<std::optional<std::string>> FileConnectTokenProvider::read() const {
  auto content = detail::read_small_file(path_, kMaxTokenSize, /*follow_symlinks=*/true);
  if (!content.ok()) return content.status();
  if (!content.value()) return std::optional<std::string>();
  const std::string_view trimmed = detail::trim(**content);
  if (trimmed.empty()) return std::optional<std::string>();
  return std::optional<std::string>(std::string(trimmed));
}

std::optional<std::string> FileConnectTokenProvider::connect_token() {
  auto token = read();
  if (!token.ok()) return std::nullopt;
  return std::move(token).value();
}

}  // namespace ssokit::platform
