#pragma once
// What the C API's opaque handles are: each wraps the C++ value it stands for. Internal: the
// header a C program includes (ssokit/c/ssokit.h) only names them.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ssokit/c/ssokit.h"
#include "ssokit/ssokit.hpp"

struct ssokit_error {
  ssokit::Status status;
};

struct ssokit_token {
  ssokit::ServiceToken token;
};

struct ssokit_link_code {
  ssokit::LinkCode code;
};

struct ssokit_device {
  ssokit::Device device;
};

struct ssokit_device_list {
  std::vector<ssokit_device> devices;
};

struct ssokit_string_list {
  std::vector<std::string> items;
};

struct ssokit_buffer {
  std::optional<std::string> bytes;  // nullopt until a callback sets it
};

struct ssokit_options {
  ssokit::ClientOptions options;
};

struct ssokit_call {
  ssokit::CallOptions options;
};

struct ssokit_client {
  explicit ssokit_client(ssokit::SsoClient c) : client(std::move(c)) {}
  ssokit::SsoClient client;
};

namespace ssokit::c_api {

// The int every function answers, after handing `status` to the caller's error out-parameter
// when it failed and the caller asked for it.
int report(const Status& status, ssokit_error** error);
// A kInvalidArgument naming the argument, reported like any failure.
int invalid_argument(const std::string& what, ssokit_error** error);

// The C array of `count` device ids as strings; kInvalidArgument naming the first NULL entry.
Status device_ids_of(const char* const* device_ids, size_t count, std::vector<std::string>& ids);

// The per-call options of a C call (NULL: the defaults).
inline CallOptions call_options(const ssokit_call* call) { return call ? call->options : CallOptions(); }

// The value a C handle holds: a heap copy for an out-parameter.
ssokit_token* new_token(const ServiceToken& token);
ssokit_link_code* new_link_code(const LinkCode& code);
ssokit_device_list device_list_of(const std::vector<Device>& devices);
ssokit_device_list* new_device_list(const std::vector<Device>& devices);
ssokit_string_list* new_string_list(std::vector<std::string> items);

}  // namespace ssokit::c_api
