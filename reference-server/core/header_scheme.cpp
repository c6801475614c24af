#include "core/header_scheme.hpp"

#include <cctype>

namespace ssokit::server {

std::optional<std::string> value_after_scheme(const std::string& header, std::string_view scheme) {
  if (header.size() < scheme.size()) return std::nullopt;
  for (std::size_t i = 0; i < scheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) != scheme[i]) return std::nullopt;
  }
  const auto begin = header.find_first_not_of(' ', scheme.size());
  if (begin == std::string::npos) return std::nullopt;
  const auto end = header.find_last_not_of(' ');
  return header.substr(begin, end - begin + 1);
}

}  // namespace ssokit::server
