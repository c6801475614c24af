#pragma once
// The portable SecureStore: one file per key in a directory of the app's own.
//
// - The directory is created (with missing parents) mode 0700 on first use. An existing one
//   keeps its mode, but must be this user's own: one that belongs to another user, that its
//   group or others may write to, or that is a symbolic link is refused (kStorageError saying
//   which) before anything is read or written, since whoever can write there can plant
//   credentials or swap a token. Files are created mode 0600 with O_EXCL | O_NOFOLLOW, and
//   no file is read through a symbolic link.
// - Writes are atomic: the value goes to a temporary file in the same directory, which is
//   fsynced, renamed over the key's file, and then the directory is fsynced. A crash leaves
//   the old value or the new one, never a part of one; readers never see a partial file.
// - Keys are 1 to 128 characters of [A-Za-z0-9._-] and do not start with '.' (temporary
//   files do); anything else is kInvalidArgument, so a key can never name a path outside the
//   directory.
// - I/O errors are kStorageError with the path and the OS's error text, never the value.
// - Thread-safe, and safe between processes sharing the directory (last writer wins).
//
// Protection is the OS's file permissions: right for a sample, a test or a device whose app
// sandbox is the security boundary (TVs, Roku-style players). Where the platform has a
// keychain or keystore, implement ssokit::SecureStore over it instead.
#include <cstddef>
#include <optional>
#include <string>

#include "ssokit/export.hpp"
#include "ssokit/platform.hpp"
#include "ssokit/result.hpp"

namespace ssokit::platform {

class SSOKIT_API FileSecureStore final : public SecureStore {
 public:
  static constexpr std::size_t kMaxKeyLength = 128;
  static constexpr std::size_t kMaxValueSize = 1024 * 1024;  // larger values: kInvalidArgument

  explicit FileSecureStore(std::string directory);

  const std::string& directory() const { return directory_; }

  // Creates the directory now (every other call does it when needed); a way to report a
  // bad --state folder before anything else happens.
  Status prepare();

  Result<std::optional<std::string>> get(const std::string& key) override;
  Status put(const std::string& key, const std::string& value) override;
  Status remove(const std::string& key) override;

  // Stores `value` only when `key` has no value yet, atomically even between processes:
  // true when this call stored it, false when a value was already there (left untouched).
  Result<bool> put_if_absent(const std::string& key, const std::string& value);

  static bool valid_key(const std::string& key);

 private:
  std::string directory_;
};

}  // namespace ssokit::platform
