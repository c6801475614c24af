#pragma once
// The shape of link codes: an alphabet and a length, written "digits:6" or "base20:8"
// (RFC 8628's 20 consonants, which avoid vowels so no word is spelled, and avoid look-alikes).
#include <optional>
#include <string>
#include <string_view>

#include "core/random.hpp"

namespace ssokit::server {

class LinkCodeFormat {
 public:
  static constexpr int kMinLength = 4;
  static constexpr int kMaxLength = 16;

  LinkCodeFormat();  // digits:6
  // nullopt for an unknown alphabet name or a length outside [kMinLength, kMaxLength].
  static std::optional<LinkCodeFormat> parse(std::string_view text);

  std::string name() const;             // e.g. "digits:6"
  const std::string& alphabet() const { return alphabet_; }
  int length() const { return length_; }
  double space_size() const;            // alphabet^length: the number of possible codes

  std::string generate(Random& random) const;
  // What the user typed, as the code it would be if valid: case folded to the alphabet's
  // case, spaces and dashes removed. Never fails: an impossible code simply won't match.
  std::string normalize(std::string_view typed) const;

 private:
  std::string alphabet_name_;
  std::string alphabet_;
  int length_;
};

}  // namespace ssokit::server
