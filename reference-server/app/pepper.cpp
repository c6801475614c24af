#include "app/pepper.hpp"

#include <stdexcept>

#include "core/private_files.hpp"
#include "core/random.hpp"
#include "core/secret_hash.hpp"

namespace ssokit::app {
namespace {

constexpr std::size_t kPepperHexLength = 64;  // 32 random bytes

std::string fresh_pepper() {
  server::CryptoRandom random;
  std::string raw(32, '\0');
  random.fill(reinterpret_cast<unsigned char*>(raw.data()), raw.size());
  return server::sha256_hex(raw);  // 64 hex digits of fresh randomness
}

}  // namespace

std::string load_pepper(const std::string& data_dir, store::Store& store) {
  server::ensure_private_directory(data_dir);
  const std::string path = data_dir + "/" + kPepperFileName;
  std::optional<std::string> content = server::read_private_file(path);
  if (!content) {
    // Another instance starting on the same folder may create it first; then read theirs.
    server::create_private_file(path, fresh_pepper() + "\n");
    content = server::read_private_file(path);
    if (!content) throw std::runtime_error("cannot read " + path + " right after creating it");
  }
  const std::string pepper = content->substr(0, content->find('\n'));
  if (pepper.size() != kPepperHexLength || pepper.find_first_not_of("0123456789abcdef") != std::string::npos) {
    throw std::runtime_error(path + " is not a pepper (64 hex digits); restore it from backup");
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
