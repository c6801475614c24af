#pragma once
// X-Device-Info: base64 of a JSON object describing the device. Read leniently: unknown
// keys are kept, and a `type` key is taken as `primaryHardwareType` (older SDKs send it).
#include <optional>
#include <string>
#include <string_view>

namespace ssokit::server {

// The normalized JSON object text, or nullopt when the header is not base64 of an object.
std::optional<std::string> parse_device_info(std::string_view header_value);

}  // namespace ssokit::server
