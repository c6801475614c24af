#pragma once
// The folder a FileSecureStore keeps its secrets in, opened and checked before anything is
// read from it or written to it. Someone who can write to the folder can replace a token or
// plant client credentials, and a folder that belongs to another user is theirs to read:
// so the folder must be a real folder (not a symbolic link), owned by this process's user,
// and writable by nobody else. Reading by group or others is allowed (every file in it is
// 0600). Its parents are not checked. The store works through the open handle (openat,
// renameat...), so the folder checked is the folder used.
#include <string>

#include "ssokit/result.hpp"

namespace ssokit::platform::detail {

// An open folder, closed on destruction; not open when the folder does not exist.
class FolderHandle {
 public:
  FolderHandle() = default;
  explicit FolderHandle(int fd) : fd_(fd) {}
  FolderHandle(FolderHandle&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  FolderHandle& operator=(FolderHandle&& other) noexcept;
  FolderHandle(const FolderHandle&) = delete;
  FolderHandle& operator=(const FolderHandle&) = delete;
  ~FolderHandle();

  bool is_open() const { return fd_ >= 0; }
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
};

// `path` opened and checked as above; a handle that is not open when it does not exist;
// kStorageError naming the folder and what is wrong with it otherwise.
Result<FolderHandle> open_state_folder(const std::string& path);

}  // namespace ssokit::platform::detail
