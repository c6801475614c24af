#pragma once
// Every connection costs the server a file descriptor; a soft RLIMIT_NOFILE below
// --max-connections would turn the cap into EMFILE on accept (the listener then retries every
// 20 ms while real clients wait). The server raises its soft limit itself, as far as the hard
// limit allows.
#include <cstddef>

namespace ssokit::http {

// Descriptors the server needs besides its connections: the listener, the store's database
// and journal, log files, the signal pipe, and some slack.
constexpr std::size_t kSpareDescriptors = 64;

// Raises the soft RLIMIT_NOFILE toward the hard limit when it is below `wanted`. Best effort:
// a failure leaves the limit as it was and is not reported (the server runs, with fewer
// connections possible). Returns the soft limit in force afterwards (0 when unknown).
std::size_t raise_open_files_limit(std::size_t wanted);

}  // namespace ssokit::http
