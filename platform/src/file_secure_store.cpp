#include "ssokit/platform/file_secure_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <utility>

#include "files.hpp"
#include "state_folder.hpp"

namespace ssokit::platform {
namespace {

constexpr std::string_view kTempPrefix = ".tmp-";

Status invalid_key(const std::string& key) {
  std::string shown = key.size() > 40 ? key.substr(0, 40) + "..." : key;
  return Status(ErrorCode::kInvalidArgument,
                "secure store key '" + shown + "' is not 1 to 128 characters of [A-Za-z0-9._-] not starting with '.'");
}

Status value_too_large() {
  return Status(ErrorCode::kInvalidArgument,
                "secure store values are limited to " + std::to_string(FileSecureStore::kMaxValueSize) + " bytes");
}

// Creates `path` and its missing parents, each mode 0700.
Status make_directories(const std::string& path) {
  if (::mkdir(path.c_str(), 0700) == 0) return Status();
  int error = errno;
  if (error == ENOENT) {
    const auto slash = path.find_last_of('/');
    if (slash != std::string::npos && slash > 0) {
      Status parent = make_directories(path.substr(0, slash));
      if (!parent.ok()) return parent;
      if (::mkdir(path.c_str(), 0700) == 0) return Status();
      error = errno;
    }
  }
  if (error == EEXIST) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) return detail::os_error("secure store: cannot examine", path, errno);
    if (!S_ISDIR(info.st_mode)) return detail::os_error("secure store: cannot use", path, ENOTDIR);
    return Status();
  }
  return detail::os_error("secure store: cannot create directory", path, error);
}

Status sync_folder(const detail::FolderHandle& folder, const std::string& directory) {
  // Some file systems cannot fsync a directory (EINVAL): nothing more can be done there.
  if (::fsync(folder.fd()) != 0 && errno != EINVAL) {
    return detail::os_error("secure store: cannot sync directory", directory, errno);
  }
  return Status();
}

// The folder, created when missing, opened and checked (state_folder.hpp).
Result<detail::FolderHandle> ready_folder(const std::string& directory) {
  if (directory.empty()) return Status(ErrorCode::kInvalidArgument, "secure store: the directory name is empty");
  Status made = make_directories(directory);
  if (!made.ok()) return made;
  auto folder = detail::open_state_folder(directory);
  if (folder.ok() && !folder->is_open()) {
    return detail::os_error("secure store: cannot open the folder", directory, ENOENT);  // removed meanwhile
  }
  return folder;
}

// The folder if it exists (a handle that is not open if not), opened and checked.
Result<detail::FolderHandle> existing_folder(const std::string& directory) {
  if (directory.empty()) return Status(ErrorCode::kInvalidArgument, "secure store: the directory name is empty");
  return detail::open_state_folder(directory);
}

bool write_all(int fd, const std::string& value) {
  std::size_t done = 0;
  while (done < value.size()) {
    const ssize_t n = ::write(fd, value.data() + done, value.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// Writes `value` to a fresh temporary file next to the key's file, durably: its name. Made
// with O_EXCL | O_NOFOLLOW, so nothing planted under that name is opened or followed.
Result<std::string> write_temporary(const detail::FolderHandle& folder, const std::string& directory,
                                    const std::string& key, const std::string& value) {
  std::string name;
  int fd = -1;
  for (int attempt = 0; fd < 0; ++attempt) {
    auto suffix = detail::random_hex(8);
    if (!suffix) return Status(ErrorCode::kStorageError, "secure store: the system's random number generator failed");
    name = std::string(kTempPrefix) + key + "-" + *suffix;
    do {
      fd = ::openat(folder.fd(), name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0 && (errno != EEXIST || attempt >= 8)) {
      return detail::os_error("secure store: cannot create", directory + "/" + name, errno);
    }
  }
  // 0600 whatever the umask (a umask can only remove bits, but be explicit).
  if (::fchmod(fd, 0600) != 0 || !write_all(fd, value) || ::fsync(fd) != 0) {
    const int error = errno;
    ::close(fd);
    ::unlinkat(folder.fd(), name.c_str(), 0);
    return detail::os_error("secure store: cannot write", directory + "/" + name, error);
  }
  if (::close(fd) != 0) {
    const int error = errno;
    ::unlinkat(folder.fd(), name.c_str(), 0);
    return detail::os_error("secure store: cannot write", directory + "/" + name, error);
  }
  return name;
}

}  // namespace

FileSecureStore::FileSecureStore(std::string directory) : directory_(std::move(directory)) {
  while (directory_.size() > 1 && directory_.back() == '/') directory_.pop_back();
}

bool FileSecureStore::valid_key(const std::string& key) {
  if (key.empty() || key.size() > kMaxKeyLength || key.front() == '.') return false;
  for (const char c : key) {
    const bool ok =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Status FileSecureStore::prepare() {
  auto folder = ready_folder(directory_);
  return folder.ok() ? Status() : folder.status();
}

Result<std::optional<std::string>> FileSecureStore::get(const std::string& key) {
  if (!valid_key(key)) return invalid_key(key);
  auto folder = existing_folder(directory_);
  if (!folder.ok()) return folder.status();
  if (!folder->is_open()) return std::optional<std::string>();
  return detail::read_small_file_at(folder->fd(), key, directory_ + "/" + key, kMaxValueSize);
}

Status FileSecureStore::put(const std::string& key, const std::string& value) {
  if (!valid_key(key)) return invalid_key(key);
  if (value.size() > kMaxValueSize) return value_too_large();
  auto folder = ready_folder(directory_);
  if (!folder.ok()) return folder.status();
  auto temp = write_temporary(*folder, directory_, key, value);
  if (!temp.ok()) return temp.status();
  if (::renameat(folder->fd(), temp->c_str(), folder->fd(), key.c_str()) != 0) {
    const int error = errno;
    ::unlinkat(folder->fd(), temp->c_str(), 0);
    return detail::os_error("secure store: cannot replace", directory_ + "/" + key, error);
  }
  return sync_folder(*folder, directory_);
}

Result<bool> FileSecureStore::put_if_absent(const std::string& key, const std::string& value) {
  if (!valid_key(key)) return invalid_key(key);
  if (value.size() > kMaxValueSize) return value_too_large();
  auto folder = ready_folder(directory_);
  if (!folder.ok()) return folder.status();
  auto temp = write_temporary(*folder, directory_, key, value);
  if (!temp.ok()) return temp.status();
  const int fd = folder->fd();
  // An atomic "create if absent" of a complete file: rename that refuses to replace, or, where
  // the file system lacks it, a hard link (which never replaces either).
  int result = ::renameat2(fd, temp->c_str(), fd, key.c_str(), RENAME_NOREPLACE);
  int error = result == 0 ? 0 : errno;
  if (result != 0) {
    if (error == EINVAL || error == ENOSYS) {
      result = ::linkat(fd, temp->c_str(), fd, key.c_str(), 0);
      error = result == 0 ? 0 : errno;
    }
    ::unlinkat(fd, temp->c_str(), 0);  // the spare name after a link, or the unused file
  }
  if (result != 0) {
    if (error == EEXIST) return false;
    return detail::os_error("secure store: cannot create", directory_ + "/" + key, error);
  }
  Status synced = sync_folder(*folder, directory_);
  if (!synced.ok()) return synced;
  return true;
}

Status FileSecureStore::remove(const std::string& key) {
  if (!valid_key(key)) return invalid_key(key);
  auto folder = existing_folder(directory_);
  if (!folder.ok()) return folder.status();
  if (!folder->is_open()) return Status();
  if (::unlinkat(folder->fd(), key.c_str(), 0) != 0) {
    if (errno == ENOENT) return Status();
    return detail::os_error("secure store: cannot remove", directory_ + "/" + key, errno);
  }
  return sync_folder(*folder, directory_);
}

}  // namespace ssokit::platform
