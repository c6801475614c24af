// libFuzzer target: the reference server's readers of request text that arrives before any
// authentication: form bodies, percent-decoding, media types, Accept, "<scheme> <value>"
// headers, X-Device-Info (base64 JSON), base64 and base64url, and the link code a user typed.
// Each must answer "invalid" (nullopt) or a value, never crash or read out of bounds.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "api/form.hpp"
#include "core/base64.hpp"
#include "core/device_info.hpp"
#include "core/header_scheme.hpp"
#include "core/link_code_format.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  using namespace ssokit;

  if (const auto form = api::parse_form(text)) {
    (void)api::form_value(*form, "grant_type");
  }
  (void)api::percent_decode(text, true);
  (void)api::percent_decode(text, false);
  (void)api::media_type(text);
  (void)api::accepts_json(text);
  (void)server::value_after_scheme(text, "bearer ");
  (void)server::value_after_scheme(text, "fingerprint ");
  if (const auto info = server::parse_device_info(text)) {
    if (info->empty()) std::abort();  // a device info that parses is a JSON object
  }
  if (const auto decoded = server::base64_decode(text)) {
    // What decodes re-encodes to the same bytes' canonical form and decodes back.
    if (server::base64_decode(server::base64_encode(*decoded)) != decoded) std::abort();
  }
  if (const auto decoded = server::base64url_decode(text)) {
    if (server::base64url_decode(server::base64url_encode(*decoded)) != decoded) std::abort();
  }
  for (const char* name : {"digits:6", "base20:8"}) {
    const auto format = server::LinkCodeFormat::parse(name);
    if (!format) std::abort();
    (void)format->normalize(text);
  }
  (void)server::LinkCodeFormat::parse(text);
  return 0;
}
