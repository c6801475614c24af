#include "redaction.hpp"

#include <cctype>

namespace ssokit::internal {
namespace {

bool is_token_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '+' || c == '/' || c == '=' ||
         c == '.';
}

// A run that could be a secret: long base64-ish text, or a code-like run of 4+ digits.
bool looks_secret(std::string_view run) {
  if (run.size() >= 16) return true;
  std::size_t digits = 0;
  for (char c : run) digits += std::isdigit(static_cast<unsigned char>(c)) ? 1 : 0;
  return digits >= 4;
}

}  // namespace

std::string redact(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_token_char(text[i])) {
      out += text[i++];
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && is_token_char(text[j])) ++j;
    const std::string_view run = text.substr(i, j - i);
    // Paths like /api/demo/list are not secrets; only their segments are checked.
    out += looks_secret(run) && run.find('/') == std::string_view::npos ? std::string("[redacted]") : std::string(run);
    i = j;
  }
  return out;
}

}  // namespace ssokit::internal
