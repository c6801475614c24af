#include "jwt.hpp"

namespace ssokit::testing {
namespace {

int base64url_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

}  // namespace

std::optional<std::string> base64url_decode(const std::string& text) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    const int value = base64url_value(c);
    if (value < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<unsigned>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFFu);
    }
  }
  if (bits >= 6) return std::nullopt;  // one dangling character is never valid
  return out;
}

std::vector<std::string> jws_parts(const std::string& token) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const auto dot = token.find('.', start);
    parts.push_back(token.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (parts.size() != 3) return {};
  return parts;
}

std::string jwt_header_json(const std::string& compact) {
  const auto dot = compact.find('.');
  if (dot == std::string::npos) return {};
  return base64url_decode(compact.substr(0, dot)).value_or("");
}

std::string jwt_payload_json(const std::string& token) {
  const auto parts = jws_parts(token);
  if (parts.empty()) return {};
  return base64url_decode(parts[1]).value_or("");
}

}  // namespace ssokit::testing
