#include <algorithm>

#include "ssokit/transport.hpp"

namespace ssokit {
namespace {

// ASCII case folding only: header names are tokens (RFC 9110 §5.1), and the locale must not
// change what matches.
char fold(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool same_name(const std::string& a, const std::string& b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return fold(x) == fold(y); });
}

}  // namespace

std::string HttpResponse::header(const std::string& name) const {
  for (const HttpHeader& item : headers) {
    if (same_name(item.name, name)) return item.value;
  }
  return {};
}

}  // namespace ssokit
