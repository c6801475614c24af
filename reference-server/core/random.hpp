#pragma once
// Randomness as the core sees it. Production uses the OpenSSL CSPRNG; tests inject a
// deterministic source. Everything secret (codes, client secrets, token ids) comes from here.
#include <cstddef>
#include <cstdint>
#include <string>

namespace ssokit::server {

class Random {
 public:
  virtual ~Random() = default;
  virtual void fill(unsigned char* out, std::size_t size) = 0;

  // Uniform in [0, bound) without modulo bias (rejection sampling).
  std::uint32_t uniform(std::uint32_t bound);
  // `size` random bytes, base64url without padding.
  std::string token(std::size_t size);
  // A random version-4 UUID in canonical text form.
  std::string uuid();
};

class CryptoRandom final : public Random {
 public:
  void fill(unsigned char* out, std::size_t size) override;
};

}  // namespace ssokit::server
