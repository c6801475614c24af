#pragma once
// The server's own files under --data (the data folder, the link-code pepper, the SQLite
// file) hold secrets. They are created owner-only without following symlinks, and existing
// ones are refused when another user could read or replace them: a pepper a local attacker
// could swap, or a data folder where they could plant a symlink, undoes what it protects.
// Every function throws std::runtime_error with a message that names the path and the fix.
#include <optional>
#include <string>

namespace ssokit::server {

// Creates `path` (mode 0700, parents too) when missing. Refuses a path that is a symlink,
// not a directory, not owned by this user, or writable by group or others.
void ensure_private_directory(const std::string& path);

// The content of a file only this user can read and write: nullopt when missing; refused
// when it is a symlink, not a regular file, not owned by this user, or has any group or
// other permission (the mode must be 0600 or 0400).
std::optional<std::string> read_private_file(const std::string& path);

// Creates `path` with `content`, mode 0600, atomically and only if it does not exist: the
// content is written and synced under a temporary name (O_EXCL|O_NOFOLLOW), then linked
// into place, which fails if another process created it first. Returns false in that case.
bool create_private_file(const std::string& path, const std::string& content);

// Checks an existing file the server opens by path (the SQLite database): refused when it
// is not owned by this user or writable by group or others. A missing file passes.
void check_private_file_owner(const std::string& path);

}  // namespace ssokit::server
