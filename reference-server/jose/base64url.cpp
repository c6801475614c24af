#include "jose/base64url.hpp"

#include <cstdint>
#include <new>

#include "jose/cjose_handles.hpp"

namespace ssokit::jose::detail {
namespace {

// The 6-bit value of a base64url character, or -1.
int sextet(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

}  // namespace

bool is_canonical_base64url(std::string_view text) {
  for (const char c : text) {
    if (sextet(c) < 0) return false;
  }
  switch (text.size() % 4) {
    case 0: return true;
    case 1: return false;                               // 6 bits cannot end a byte
    case 2: return (sextet(text.back()) & 0x0F) == 0;   // 12 bits hold 1 byte: 4 spare
    default: return (sextet(text.back()) & 0x03) == 0;  // 18 bits hold 2 bytes: 2 spare
  }
}

std::size_t base64url_decoded_size(std::string_view text) {
  const std::size_t tail = text.size() % 4;
  return text.size() / 4 * 3 + (tail == 0 ? 0 : tail - 1);
}

std::optional<std::string> base64url_decode(std::string_view text) {
  if (!is_canonical_base64url(text)) return std::nullopt;
  if (text.empty()) return std::string();
  cjose_err err{};
  std::uint8_t* raw = nullptr;
  std::size_t raw_len = 0;
  // On failure cjose has already freed its buffer (and may leave `raw` dangling).
  if (!cjose_base64url_decode(text.data(), text.size(), &raw, &raw_len, &err)) {
    if (err.code == CJOSE_ERR_NO_MEMORY) throw std::bad_alloc();
    return std::nullopt;
  }
  const CjoseBuffer<std::uint8_t> owned(raw);
  return std::string(reinterpret_cast<const char*>(owned.get()), raw_len);
}

std::string base64url_encode(std::string_view bytes) {
  if (bytes.empty()) return std::string();
  cjose_err err{};
  char* text = nullptr;
  std::size_t text_len = 0;
  if (!cjose_base64url_encode(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), &text, &text_len,
                              &err)) {
    throw std::bad_alloc();
  }
  const CjoseBuffer<char> owned(text);
  return std::string(owned.get(), text_len);
}

}  // namespace ssokit::jose::detail
