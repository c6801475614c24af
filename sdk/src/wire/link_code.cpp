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
  LinkCode code;
  code.value = std::move(value).value();
  code.not_before = validity->not_before;
  code.not_after = validity->not_after;
  // SPEC §6.2; a server that knows only §2 sends no `approval`: its codes need none.
  auto approval = fields.optional_text("approval");
  if (!approval) return approval.status();
  if (*approval == "required") {
    code.approval_required = true;
  } else if (!approval->empty() && *approval != "optional") {
    return fields.error("approval", "is neither \"required\" nor \"optional\"");
  }
  return code;
}

std::string approval_request_body() {
  json::Json body(cJSON_CreateObject());
  cJSON_AddStringToObject(body.get(), "approval", "required");
  return json::print(body.get());
}

}  // namespace ssokit::wire
