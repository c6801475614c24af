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

// OpenSSL's CSPRNG. Small draws (a link code takes 24 of 4 bytes) are served from a
// per-thread block of RAND_bytes output, each byte handed out once and wiped from the block:
// one RAND_bytes call costs a getpid() system call (OpenSSL's fork check) and a DRBG round
// whatever the size, which profiled at over 20 % of a POST link when made per digit.
class CryptoRandom final : public Random {
 public:
  void fill(unsigned char* out, std::size_t size) override;
};

}  // namespace ssokit::server
