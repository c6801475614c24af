#pragma once
// A device as `list` shows it (SPEC §2): the metadata it sent, with the mapped keys
// deviceType, model, os, osVersion, and lastSeen and type. Also the `device` of a link code's
// status (SPEC §6.1).
#include <string>
#include <vector>

#include "core/json.hpp"
#include "store/records.hpp"

namespace ssokit::api {

server::Json device_entry(const store::DeviceRecord& device);

// The body of `list`: {"devices":{"<id>":<device_entry>,...}}, the same text as printing
// the device_entry() objects, written without building them: the part of an entry that
// comes from the device's metadata is reshaped once per distinct metadata text and kept
// (GET list is the busiest call that answers many devices; building and printing 20 cJSON
// objects per call was about a fifth of its CPU).
std::string device_list_body(const std::vector<store::DeviceRecord>& devices);

}  // namespace ssokit::api
