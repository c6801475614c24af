#include "app/pepper.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/random.hpp"
#include "core/secret_hash.hpp"

namespace ssokit::app {
namespace {

constexpr std::size_t kPepperHexLength = 64;  // 32 random bytes

std::string system_error(const std::string& what, const std::string& path) {
  return what + " " + path + ": " + std::strerror(errno);
}

void write_file_atomically(const std::string& path, const std::string& content) {
  const std::string temp = path + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error(system_error("cannot create", temp));
  const bool written = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!written || !synced || ::rename(temp.c_str(), path.c_str()) != 0) {
    ::unlink(temp.c_str());
    throw std::runtime_error(system_error("cannot write", path));
  }
}

}  // namespace

std::string load_pepper(const std::string& data_dir, store::Store& store) {
  const std::string path = data_dir + "/" + kPepperFileName;
  std::ifstream in(path);
  std::string pepper;
  if (in) {
    std::getline(in, pepper);
    if (pepper.size() != kPepperHexLength || pepper.find_first_not_of("0123456789abcdef") != std::string::npos) {
      throw std::runtime_error(path + " is not a pepper (64 hex digits); restore it from backup");
    }
  } else {
    if (::mkdir(data_dir.c_str(), 0700) != 0 && errno != EEXIST) {
      throw std::runtime_error(system_error("cannot create", data_dir));
    }
    server::CryptoRandom random;
    std::string raw(32, '\0');
    random.fill(reinterpret_cast<unsigned char*>(raw.data()), raw.size());
    pepper = server::sha256_hex(raw);  // 64 hex digits of fresh randomness
    write_file_atomically(path, pepper + "\n");
  }
  const std::string check = server::hmac_sha256_hex(pepper, "ssokit link-code pepper check");
  const std::string stored = store.put_meta_if_absent("link-code-pepper-check", check);
  if (!server::constant_time_equals(stored, check)) {
    throw std::runtime_error(path +
                             " does not match the pepper this store was created with: every instance sharing a "
                             "store needs the same " + kPepperFileName + " file");
  }
  return pepper;
}

}  // namespace ssokit::app
