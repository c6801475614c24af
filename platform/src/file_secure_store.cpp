#include "ssokit/platform/file_secure_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <utility>

#include "files.hpp"

namespace ssokit::platform {
namespace {

constexpr std::string_view kTempPrefix = ".tmp-";

Status invalid_key(const std::string& key) {
  std::string shown = key.size() > 40 ? key.substr(0, 40) + "..." : key;
  return Status(ErrorCode::kInvalidArgument,
                "secure store key '" + shown + "' is not 1 to 128 characters of [A-Za-z0-9._-] not starting with '.'");
}

Status value_too_large() {
  return Status(ErrorCode::kInvalidArgument, "secure store values are limited to " +
                                                 std::to_string(FileSecureStore::kMaxValueSize) + " bytes");
}

int open_retrying(const char* path, int flags, mode_t mode = 0) {
  int fd = -1;
  do {
    fd = ::open(path, flags, mode);
  } while (fd < 0 && errno == EINTR);
  return fd;
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

Status sync_directory(const std::string& directory) {
  const int fd = open_retrying(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return detail::os_error("secure store: cannot open directory", directory, errno);
  // Some file systems cannot fsync a directory (EINVAL): nothing more can be done there.
  const int result = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (result != 0 && error != EINVAL) return detail::os_error("secure store: cannot sync directory", directory, error);
  return Status();
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

// Writes `value` to a fresh temporary file next to the key's file, durably: its path.
Result<std::string> write_temporary(const std::string& directory, const std::string& key, const std::string& value) {
  std::string path;
  int fd = -1;
  for (int attempt = 0; fd < 0; ++attempt) {
    auto suffix = detail::random_hex(8);
    if (!suffix) return Status(ErrorCode::kStorageError, "secure store: the system's random number generator failed");
    path = directory + "/" + std::string(kTempPrefix) + key + "-" + *suffix;
    fd = open_retrying(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0 && (errno != EEXIST || attempt >= 8)) {
      return detail::os_error("secure store: cannot create", path, errno);
    }
  }
  // 0600 whatever the umask (a umask can only remove bits, but be explicit).
  if (::fchmod(fd, 0600) != 0 || !write_all(fd, value) || ::fsync(fd) != 0) {
    const int error = errno;
    ::close(fd);
    ::unlink(path.c_str());
    return detail::os_error("secure store: cannot write", path, error);
  }
  if (::close(fd) != 0) {
    const int error = errno;
    ::unlink(path.c_str());
    return detail::os_error("secure store: cannot write", path, error);
  }
  return path;
}

}  // namespace

FileSecureStore::FileSecureStore(std::string directory) : directory_(std::move(directory)) {
  while (directory_.size() > 1 && directory_.back() == '/') directory_.pop_back();
}

bool FileSecureStore::valid_key(const std::string& key) {
  if (key.empty() || key.size() > kMaxKeyLength || key.front() == '.') return false;
  for (const char c : key) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Status FileSecureStore::prepare() {
  if (directory_.empty()) return Status(ErrorCode::kInvalidArgument, "secure store: the directory name is empty");
  return make_directories(directory_);
}

Result<std::optional<std::string>> FileSecureStore::get(const std::string& key) {
  if (!valid_key(key)) return invalid_key(key);
  if (directory_.empty()) return Status(ErrorCode::kInvalidArgument, "secure store: the directory name is empty");
  return detail::read_small_file(directory_ + "/" + key, kMaxValueSize, /*follow_symlinks=*/false);
}

Status FileSecureStore::put(const std::string& key, const std::string& value) {
  if (!valid_key(key)) return invalid_key(key);
  if (value.size() > kMaxValueSize) return value_too_large();
  Status ready = prepare();
  if (!ready.ok()) return ready;
  auto temp = write_temporary(directory_, key, value);
  if (!temp.ok()) return temp.status();
  const std::string path = directory_ + "/" + key;
  if (::rename(temp->c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temp->c_str());
    return detail::os_error("secure store: cannot replace", path, error);
  }
  return sync_directory(directory_);
}

Result<bool> FileSecureStore::put_if_absent(const std::string& key, const std::string& value) {
  if (!valid_key(key)) return invalid_key(key);
  if (value.size() > kMaxValueSize) return value_too_large();
  Status ready = prepare();
  if (!ready.ok()) return ready;
  auto temp = write_temporary(directory_, key, value);
  if (!temp.ok()) return temp.status();
  const std::string path = directory_ + "/" + key;
  // An atomic "create if absent" of a complete file: rename that refuses to replace, or, where
  // the file system lacks it, a hard link (which never replaces either).
  int result = ::renameat2(AT_FDCWD, temp->c_str(), AT_FDCWD, path.c_str(), RENAME_NOREPLACE);
  int error = result == 0 ? 0 : errno;
  if (result != 0) {
    if (error == EINVAL || error == ENOSYS) {
      result = ::link(temp->c_str(), path.c_str());
      error = result == 0 ? 0 : errno;
    }
    ::unlink(temp->c_str());  // the spare name after a link, or the unused file
  }
  if (result != 0) {
    if (error == EEXIST) return false;
    return detail::os_error("secure store: cannot create", path, error);
  }
  Status synced = sync_directory(directory_);
  if (!synced.ok()) return synced;
  return true;
}

Status FileSecureStore::remove(const std::string& key) {
  if (!valid_key(key)) return invalid_key(key);
  if (directory_.empty()) return Status(ErrorCode::kInvalidArgument, "secure store: the directory name is empty");
  const std::string path = directory_ + "/" + key;
  if (::unlink(path.c_str()) != 0) {
    if (errno == ENOENT) return Status();
    return detail::os_error("secure store: cannot remove", path, errno);
  }
  return sync_directory(directory_);
}

}  // namespace ssokit::platform
