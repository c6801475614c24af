#include <algorithm>

#include "wire/json.hpp"
#include "wire/wire.hpp"

namespace ssokit::wire {
namespace {

constexpr std::string_view kAnswer = "link code answer";

bool has_control_character(const std::string& text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f;
  });
}

}  // namespace

// The code is shown to the user (also as a QR code) and typed on another device: any
// non-empty string without control characters is taken as sent, since the format is the
// server's choice (digits by default, letters with --link-code-format).
Result<LinkCode> parse_link_code(const std::string& body) {
  auto object = json::parse_object(body, kAnswer);
  if (!object) return object.status();
  const json::Fields fields(object->get(), kAnswer);
  // The seed's tables call it `link`, its examples and this server `code`.
  auto value = fields.text({"code", "link"});
  if (!value) return value.status();
  if (has_control_character(*value)) return fields.error("code", "has control characters");
  auto validity = fields.validity();
  if (!validity) return validity.status();
  return LinkCode{std::move(value).value(), validity->not_before, validity->not_after};
}

}  // namespace ssokit::wire
