#include "files.hpp"

#include <fcntl.h>
#include <sys/random.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ssokit::platform::detail {

std::string os_error_text(int error) {
  char buffer[256] = {};
  // The GNU strerror_r answers a pointer that may or may not be `buffer`.
  const char* text = strerror_r(error, buffer, sizeof buffer);
  return text != nullptr ? std::string(text) : "error " + std::to_string(error);
}

Status os_error(std::string_view what, const std::string& path, int error) {
  std::string message(what);
  message += " '";
  message += path;
  message += "': ";
  message += os_error_text(error);
  return Status(ErrorCode::kStorageError, std::move(message));
}

namespace {

// Reads the open `fd` to its end and closes it.
Result<std::optional<std::string>> read_and_close(int fd, const std::string& path, std::size_t max_size) {
  std::string content;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int error = errno;
      ::close(fd);
      return os_error("cannot read", path, error);
    }
    if (n == 0) break;
    if (content.size() + static_cast<std::size_t>(n) > max_size) {
      ::close(fd);
      return Status(ErrorCode::kStorageError, "'" + path + "' is larger than " + std::to_string(max_size) + " bytes");
    }
    content.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return std::optional<std::string>(std::move(content));
}

}  // namespace

Result<std::optional<std::string>> read_small_file(const std::string& path, std::size_t max_size,
                                                   bool follow_symlinks) {
  int flags = O_RDONLY | O_CLOEXEC;
  if (!follow_symlinks) flags |= O_NOFOLLOW;
  int fd = -1;
  do {
    fd = ::open(path.c_str(), flags);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    if (errno == ENOENT) return std::optional<std::string>();
    return os_error("cannot open", path, errno);
  }
  return read_and_close(fd, path, max_size);
}

Result<std::optional<std::string>> read_small_file_at(int folder_fd, const std::string& name, const std::string& path,
                                                      std::size_t max_size) {
  int fd = -1;
  do {
    fd = ::openat(folder_fd, name.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    if (errno == ENOENT) return std::optional<std::string>();
    return os_error("cannot open", path, errno);
  }
  return read_and_close(fd, path, max_size);
}

std::string_view trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n\v\f";
  const auto first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(kSpace);
  return text.substr(first, last - first + 1);
}

std::optional<std::string> random_hex(std::size_t count) {
  std::string bytes(count, '\0');
  std::size_t done = 0;
  while (done < count) {
    const ssize_t n = ::getrandom(bytes.data() + done, count - done, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return std::nullopt;
    }
    done += static_cast<std::size_t>(n);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(count * 2);
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    hex += kHex[byte >> 4];
    hex += kHex[byte & 15];
  }
  return hex;
}

}  // namespace ssokit::platform::detail
