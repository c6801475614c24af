#pragma once
// Whole-file reads and writes for tests (server output, PEM files, the data folder).
#include <string>

namespace ssokit::testing {

// The bytes of the file at `path`; "" when it cannot be read.
std::string read_file(const std::string& path);

// Replaces the file at `path` with `text`; throws std::runtime_error when it cannot.
void write_file(const std::string& path, const std::string& text);

}  // namespace ssokit::testing
