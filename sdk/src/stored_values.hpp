#pragma once
// Numbers the SDK reads back from the secure store (token expiries, the server clock offset).
// They are the SDK's own, but a store can be corrupted, restored from another device or edited
// by hand: what comes back is checked as strictly as a server's answer before it meets
// std::chrono arithmetic, and anything else reads as absent.
#include <cstdint>
#include <optional>
#include <string_view>

#include "ssokit/types.hpp"

namespace ssokit::internal {

// `text` as a decimal integer ('-' allowed, digits only, no spaces) within [min, max].
std::optional<std::int64_t> parse_stored_integer(std::string_view text, std::int64_t min, std::int64_t max);

// A time as the SDK stores it: whole ms since the epoch, in the range the wire format takes.
std::optional<ServerTime> parse_stored_time(std::string_view text);

}  // namespace ssokit::internal
