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
    if (run.find('/') == std::string_view::npos) {
      out += looks_secret(run) ? std::string("[redacted]") : std::string(run);
    } else {
      // A path: /api/demo/list stays readable, /profiles/code/BCDFGHJK loses its code.
      std::size_t start = 0;
      while (start <= run.size()) {
        const auto slash = run.find('/', start);
        const auto segment = run.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
        out += looks_secret(segment) || (segment.size() >= 6 && segment.find_first_not_of(
                                                                    "BCDFGHJKLMNPQRSTVWXZ") == std::string_view::npos)
                   ? std::string("[redacted]")
                   : std::string(segment);
        if (slash == std::string_view::npos) break;
        out += '/';
        start = slash + 1;
      }
    }
    i = j;
  }
  return out;
}

}  // namespace ssokit::internal
