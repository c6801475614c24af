#include "java_text.hpp"

#include <cstring>
#include <vector>

namespace ssokit::jni {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

void append_utf16(std::vector<jchar>& out, char32_t c) {
  if (c < 0x10000) {
    out.push_back(static_cast<jchar>(c));
  } else {
    c -= 0x10000;
    out.push_back(static_cast<jchar>(0xD800 + (c >> 10)));
    out.push_back(static_cast<jchar>(0xDC00 + (c & 0x3FF)));
  }
}

bool is_high_surrogate(char32_t c) {
  return c >= 0xD800 && c <= 0xDBFF;
}
bool is_low_surrogate(char32_t c) {
  return c >= 0xDC00 && c <= 0xDFFF;
}
bool is_continuation(unsigned char byte) {
  return (byte & 0xC0) == 0x80;
}

// The code point that starts at text[i] (RFC 3629: no overlong forms, no surrogates, nothing
// past U+10FFFF), moving i past it; an invalid byte reads as U+FFFD and is skipped alone.
char32_t next_code_point(const unsigned char* text, size_t length, size_t& i) {
  const unsigned char lead = text[i];
  size_t extra = 0;
  char32_t c = 0;
  char32_t smallest = 0;
  if (lead < 0x80) {
    ++i;
    return lead;
  } else if ((lead & 0xE0) == 0xC0) {
    extra = 1, c = lead & 0x1F, smallest = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    extra = 2, c = lead & 0x0F, smallest = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    extra = 3, c = lead & 0x07, smallest = 0x10000;
  } else {
    ++i;
    return kReplacement;
  }
  if (i + extra >= length) {  // cut short by the end of the text
    ++i;
    return kReplacement;
  }
  for (size_t k = 1; k <= extra; ++k) {
    if (!is_continuation(text[i + k])) {
      ++i;
      return kReplacement;
    }
    c = (c << 6) | (text[i + k] & 0x3F);
  }
  if (c < smallest || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
    ++i;
    return kReplacement;
  }
  i += extra + 1;
  return c;
}

}  // namespace

bool utf8_of(JNIEnv* env, jstring text, std::string& utf8) {
  utf8.clear();
  const jsize length = env->GetStringLength(text);
  if (length == 0) return true;
  std::vector<jchar> units(static_cast<size_t>(length));
  env->GetStringRegion(text, 0, length, units.data());
  if (env->ExceptionCheck()) return false;
  utf8.reserve(units.size());
  for (size_t i = 0; i < units.size(); ++i) {
    const char32_t unit = units[i];
    if (is_high_surrogate(unit) && i + 1 < units.size() && is_low_surrogate(units[i + 1])) {
      append_utf8(utf8, 0x10000 + ((unit - 0xD800) << 10) + (units[i + 1] - 0xDC00));
      ++i;
    } else if (is_high_surrogate(unit) || is_low_surrogate(unit)) {
      append_utf8(utf8, kReplacement);
    } else {
      append_utf8(utf8, unit);
    }
  }
  return true;
}

jstring java_string(JNIEnv* env, const char* utf8) {
  const auto* text = reinterpret_cast<const unsigned char*>(utf8 == nullptr ? "" : utf8);
  const size_t length = std::strlen(reinterpret_cast<const char*>(text));
  std::vector<jchar> units;
  units.reserve(length + 1);
  for (size_t i = 0; i < length;) append_utf16(units, next_code_point(text, length, i));
  units.push_back(0);  // never an empty vector, so data() is never null; not part of the string
  return env->NewString(units.data(), static_cast<jsize>(units.size() - 1));
}

}  // namespace ssokit::jni
