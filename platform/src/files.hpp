#pragma once
// Small POSIX file helpers shared by the adaptors. No exceptions: errors are Status values
// carrying the path and the OS's error text, never file contents.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "ssokit/result.hpp"

namespace ssokit::platform::detail {

// strerror_r's text for `error` (thread-safe).
std::string os_error_text(int error);

// kStorageError "<what> '<path>': <OS error text>".
Status os_error(std::string_view what, const std::string& path, int error);

// The whole file; nullopt when it does not exist (ENOENT). kStorageError on any other error
// or when it is larger than `max_size`. `follow_symlinks` false opens with O_NOFOLLOW.
Result<std::optional<std::string>> read_small_file(const std::string& path, std::size_t max_size, bool follow_symlinks);
// The same for the file `name` in the open folder `folder_fd`, never following a symbolic
// link; `path` names it in errors.
Result<std::optional<std::string>> read_small_file_at(int folder_fd, const std::string& name, const std::string& path,
                                                      std::size_t max_size);

// `text` without leading and trailing ASCII whitespace.
std::string_view trim(std::string_view text);

// `count` bytes from the kernel's CSPRNG (getrandom), as lowercase hex; nullopt if it fails.
std::optional<std::string> random_hex(std::size_t count);

}  // namespace ssokit::platform::detail
