#include "core/link_code_format.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>

namespace ssokit::server {
namespace {

struct NamedAlphabet {
  const char* name;
  const char* letters;
};

constexpr NamedAlphabet kAlphabets[] = {
    {"digits", "0123456789"},
    {"base20", "BCDFGHJKLMNPQRSTVWXZ"},
};

}  // namespace

LinkCodeFormat::LinkCodeFormat() : alphabet_name_("digits"), alphabet_("0123456789"), length_(6) {}

std::optional<LinkCodeFormat> LinkCodeFormat::parse(std::string_view text) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const std::string_view name = text.substr(0, colon);
  const std::string length_text(text.substr(colon + 1));
  if (length_text.empty() || length_text.size() > 2) return std::nullopt;
  for (char c : length_text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
  }
  const int length = std::atoi(length_text.c_str());
  if (length < kMinLength || length > kMaxLength) return std::nullopt;
  for (const NamedAlphabet& alphabet : kAlphabets) {
    if (name == alphabet.name) {
      LinkCodeFormat format;
      format.alphabet_name_ = alphabet.name;
      format.alphabet_ = alphabet.letters;
      format.length_ = length;
      return format;
    }
  }
  return std::nullopt;
}

std::string LinkCodeFormat::name() const { return alphabet_name_ + ":" + std::to_string(length_); }

double LinkCodeFormat::space_size() const {
  return std::pow(static_cast<double>(alphabet_.size()), length_);
}

std::string LinkCodeFormat::generate(Random& random) const {
  std::string code;
  code.reserve(static_cast<std::size_t>(length_));
  for (int i = 0; i < length_; ++i) {
    code += alphabet_[random.uniform(static_cast<std::uint32_t>(alphabet_.size()))];
  }
  return code;
}

std::string LinkCodeFormat::normalize(std::string_view typed) const {
  std::string out;
  out.reserve(typed.size());
  for (char c : typed) {
    if (c == ' ' || c == '-') continue;
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace ssokit::server
