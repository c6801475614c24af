#include "state_folder.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "files.hpp"

namespace ssokit::platform::detail {
namespace {

Status refuse(const std::string& path, const std::string& why) {
  return Status(ErrorCode::kStorageError, "secure store: refusing the folder '" + path + "': " + why);
}

std::string octal(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

bool is_symbolic_link(const std::string& path) {
  struct stat info {};
  return ::lstat(path.c_str(), &info) == 0 && S_ISLNK(info.st_mode);
}

}  // namespace

FolderHandle& FolderHandle::operator=(FolderHandle&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

FolderHandle::~FolderHandle() {
  if (fd_ >= 0) ::close(fd_);
}

Result<FolderHandle> open_state_folder(const std::string& path) {
  int fd = -1;
  do {
    fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    const int error = errno;
    if (error == ENOENT) return FolderHandle();
    // O_NOFOLLOW refuses a link as the last part of the path (ELOOP on Linux, ENOTDIR with
    // O_DIRECTORY on some systems).
    if ((error == ELOOP || error == ENOTDIR) && is_symbolic_link(path)) {
      return refuse(path, "it is a symbolic link; give the folder itself");
    }
    return os_error("secure store: cannot open the folder", path, error);
  }
  FolderHandle folder(fd);
  struct stat info {};
  if (::fstat(fd, &info) != 0) return os_error("secure store: cannot examine", path, errno);
  const uid_t user = ::geteuid();
  if (info.st_uid != user) {
    return refuse(path, "it belongs to user " + std::to_string(info.st_uid) + ", not to this process's user " +
                            std::to_string(user));
  }
  if ((info.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    const char* who = (info.st_mode & S_IWGRP) == 0   ? "others"
                      : (info.st_mode & S_IWOTH) == 0 ? "its group"
                                                      : "its group and others";
    return refuse(path, std::string("it is writable by ") + who + " (mode " + octal(info.st_mode) +
                            "); remove their write permission (chmod go-w) or use a folder of the app's own");
  }
  return folder;
}

}  // namespace ssokit::platform::detail
