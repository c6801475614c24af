#pragma once
// A device as `list` shows it (SPEC §2): the metadata it sent, with the mapped keys
// deviceType, model, os, osVersion, and lastSeen and type. Also the `device` of a link code's
// status (SPEC §6.1).
#include "core/json.hpp"
#include "store/records.hpp"

namespace ssokit::api {

server::Json device_entry(const store::DeviceRecord& device);

}  // namespace ssokit::api
