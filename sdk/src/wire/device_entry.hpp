#pragma once
// One device as the list shows it ({"deviceType","model","os","osVersion","lastSeen","type",
// ...}), read the same wherever an answer carries one: the entries of GET list, and the
// joining device of GET link/status. Internal to the wire parsers.
#include <cjson/cJSON.h>

#include <string>
#include <string_view>

#include "ssokit/result.hpp"
#include "ssokit/types.hpp"

namespace ssokit::wire {

// The device `id` described by `entry`. Errors read "bad <answer>: <field>.<member> ..."
// (`field` is "devices.*" in the list). Every string member that is not a Device field goes
// to Device::extra; Device::current is left false.
Result<Device> parse_device_entry(const cJSON* entry, std::string id, std::string_view answer, std::string_view field);

}  // namespace ssokit::wire
