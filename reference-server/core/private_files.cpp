#include "core/private_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace ssokit::server {
namespace {

std::runtime_error system_error(const std::string& what, const std::string& path) {
  return std::runtime_error(what + " " + path + ": " + std::strerror(errno));
}

std::string octal_mode(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

void check_owner(const struct stat& info, const std::string& path) {
  if (info.st_uid != ::geteuid()) {
    throw std::runtime_error(path + " belongs to another user (uid " + std::to_string(info.st_uid) +
                             "); the server only uses files of its own user");
  }
}

void make_directories(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash != std::string::npos && slash > 0) {
    const std::string parent = path.substr(0, slash);
    struct stat info {};
    if (::stat(parent.c_str(), &info) != 0) make_directories(parent);
  }
  if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) throw system_error("cannot create", path);
}

}  // namespace

void ensure_private_directory(const std::string& path) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0) {
    if (errno != ENOENT) throw system_error("cannot read", path);
    make_directories(path);
    if (::lstat(path.c_str(), &info) != 0) throw system_error("cannot read", path);
  }
  if (S_ISLNK(info.st_mode)) {
    throw std::runtime_error("the data folder " + path + " is a symlink; give the real path");
  }
  if (!S_ISDIR(info.st_mode)) throw std::runtime_error("the data folder " + path + " is not a directory");
  check_owner(info, path);
  if ((info.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    throw std::runtime_error("the data folder " + path + " has mode " + octal_mode(info.st_mode) +
                             ": others could replace its files; chmod 700 " + path);
  }
}

std::optional<std::string> read_private_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::nullopt;
    if (errno == ELOOP) throw std::runtime_error(path + " is a symlink; the server reads only its own regular files");
    throw system_error("cannot read", path);
  }
  struct stat info {};
  std::string content;
  try {
    if (::fstat(fd, &info) != 0) throw system_error("cannot read", path);
    if (!S_ISREG(info.st_mode)) throw std::runtime_error(path + " is not a regular file");
    check_owner(info, path);
    if ((info.st_mode & 077) != 0) {
      throw std::runtime_error(path + " has mode " + octal_mode(info.st_mode) +
                               ": it holds a secret and must be 0600; chmod 600 " + path);
    }
    char buffer[4096];
    for (;;) {
      const ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw system_error("cannot read", path);
      if (n == 0) break;
      content.append(buffer, static_cast<std::size_t>(n));
      if (content.size() > 1024 * 1024) throw std::runtime_error(path + " is too large for a secret");
    }
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
  return content;
}

bool create_private_file(const std::string& path, const std::string& content) {
  const std::string temp = path + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) throw system_error("cannot create", temp);
  const bool written = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!written || !synced) {
    ::unlink(temp.c_str());
    throw system_error("cannot write", temp);
  }
  // link() never replaces: of two processes creating the file, exactly one wins.
  const bool linked = ::link(temp.c_str(), path.c_str()) == 0;
  const int link_errno = errno;
  ::unlink(temp.c_str());
  if (!linked && link_errno != EEXIST) {
    errno = link_errno;
    throw system_error("cannot create", path);
  }
  return linked;
}

void check_private_file_owner(const std::string& path) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0) {
    if (errno == ENOENT) return;
    throw system_error("cannot read", path);
  }
  if (S_ISLNK(info.st_mode) && ::stat(path.c_str(), &info) != 0) throw system_error("cannot read", path);
  check_owner(info, path);
  if ((info.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    throw std::runtime_error(path + " has mode " + octal_mode(info.st_mode) + ": others could change it; chmod 600 " +
                             path);
  }
}

}  // namespace ssokit::server
