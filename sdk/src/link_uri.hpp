#pragma once
// LinkCode::uri from ClientOptions::link_uri_template: the link an app puts in a QR code so
// that a phone camera opens the app with the code filled in.
#include <string>

#include "ssokit/status.hpp"

namespace ssokit::internal {

// The placeholder the code replaces, every time it appears.
inline constexpr char kLinkUriPlaceholder[] = "{code}";

// kInvalidArgument naming ClientOptions::link_uri_template when a non-empty template has no
// placeholder (every code would get the same link) or holds spaces or control characters
// (no URI does); OK for "" (no URIs).
Status check_link_uri_template(const std::string& uri_template);

// The template with the placeholder replaced by the code, percent-encoded as RFC 3986 wants
// for any part of a URI (unreserved characters kept, every other byte %XX), so a code can
// never end the query or the path it sits in; "" for an empty template.
std::string link_uri(const std::string& uri_template, const std::string& code);

}  // namespace ssokit::internal
