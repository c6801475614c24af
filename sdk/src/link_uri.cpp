#include "link_uri.hpp"

#include <algorithm>

#include "encoding.hpp"

namespace ssokit::internal {

Status check_link_uri_template(const std::string& uri_template) {
  if (uri_template.empty()) return Status();
  if (uri_template.find(kLinkUriPlaceholder) == std::string::npos) {
    return Status(ErrorCode::kInvalidArgument,
                  "ClientOptions::link_uri_template must hold {code}, where each link code goes (e.g. "
                  "myapp://link?code={code})");
  }
  const bool bad = std::any_of(uri_template.begin(), uri_template.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte <= 0x20 || byte == 0x7f;
  });
  if (bad) {
    return Status(ErrorCode::kInvalidArgument,
                  "ClientOptions::link_uri_template may not hold spaces or control characters");
  }
  return Status();
}

std::string link_uri(const std::string& uri_template, const std::string& code) {
  if (uri_template.empty()) return {};
  const std::string encoded = percent_encode(code);
  const std::string placeholder = kLinkUriPlaceholder;
  std::string uri;
  std::size_t from = 0;
  for (;;) {
    const std::size_t at = uri_template.find(placeholder, from);
    if (at == std::string::npos) break;
    uri.append(uri_template, from, at - from).append(encoded);
    from = at + placeholder.size();
  }
  uri.append(uri_template, from, std::string::npos);
  return uri;
}

}  // namespace ssokit::internal
