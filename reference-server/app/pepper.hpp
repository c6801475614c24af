#pragma once
// The link-code pepper: the HMAC key under which link codes and MVPD session codes are
// stored. It lives in a file under --data, NOT in the store, so a database dump alone cannot
// brute-force six-digit codes. Every instance sharing a store needs the same file; the
// store keeps a check value so an instance with another pepper refuses to start.
#include <string>

#include "store/store.hpp"

namespace ssokit::app {

inline constexpr const char* kPepperFileName = "link-code-pepper";

// Reads <data_dir>/link-code-pepper, creating it (0600, written atomically) when missing,
// then checks it against the store. Throws std::runtime_error with a clear message on any
// mismatch or I/O problem.
std::string load_pepper(const std::string& data_dir, store::Store& store);

}  // namespace ssokit::app
