#include "core/random.hpp"

#include "core/base64.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <array>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace ssokit::server {

std::uint32_t Random::uniform(std::uint32_t bound) {
  if (bound <= 1) return 0;
  // Reject the top partial range so every residue is equally likely.
  const std::uint32_t limit = std::numeric_limits<std::uint32_t>::max() -
                              (std::numeric_limits<std::uint32_t>::max() % bound);
  for (;;) {
    std::array<unsigned char, 4> b{};
    fill(b.data(), b.size());
    const std::uint32_t v = (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) |
                            (std::uint32_t{b[2]} << 8) | std::uint32_t{b[3]};
    if (v < limit) return v % bound;
  }
}

std::string Random::token(std::size_t size) {
  std::string raw(size, '\0');
  fill(reinterpret_cast<unsigned char*>(raw.data()), raw.size());
  return base64url_encode(raw);
}

std::string Random::uuid() {
  std::array<unsigned char, 16> b{};
  fill(b.data(), b.size());
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[b[i] >> 4];
    out += kHex[b[i] & 0x0F];
  }
  return out;
}

namespace {

void rand_bytes(unsigned char* out, std::size_t size) {
  if (size > static_cast<std::size_t>(std::numeric_limits<int>::max()) ||
      RAND_bytes(out, static_cast<int>(size)) != 1) {
    throw std::runtime_error("CSPRNG failure (RAND_bytes)");
  }
}

constexpr std::size_t kBlockBytes = 256;
constexpr std::size_t kLargestBufferedDraw = 64;

struct RandomBlock {
  std::array<unsigned char, kBlockBytes> bytes{};
  std::size_t used = kBlockBytes;  // starts empty
  ~RandomBlock() { OPENSSL_cleanse(bytes.data(), bytes.size()); }
};

}  // namespace

void CryptoRandom::fill(unsigned char* out, std::size_t size) {
  if (size > kLargestBufferedDraw) {
    rand_bytes(out, size);
    return;
  }
  thread_local RandomBlock block;
  if (kBlockBytes - block.used < size) {
    rand_bytes(block.bytes.data(), kBlockBytes);
    block.used = 0;
  }
  unsigned char* from = block.bytes.data() + block.used;
  std::memcpy(out, from, size);
  OPENSSL_cleanse(from, size);  // a byte handed out is not kept
  block.used += size;
}

}  // namespace ssokit::server
