#pragma once
// Owners for what cjose and jansson hand back, so no path can leak or double-free them.
// Internal to ssokit_jose.
#include <cjose/cjose.h>
#include <jansson.h>

#include <memory>
#include <new>
#include <string>

namespace ssokit::jose::detail {

struct JsonDecref {
  void operator()(json_t* json) const { json_decref(json); }
};
// A jansson value (cjose_header_t is one too).
using JsonPtr = std::unique_ptr<json_t, JsonDecref>;

struct JwsRelease {
  void operator()(cjose_jws_t* jws) const { cjose_jws_release(jws); }
};
using JwsPtr = std::unique_ptr<cjose_jws_t, JwsRelease>;

struct JweRelease {
  void operator()(cjose_jwe_t* jwe) const { cjose_jwe_release(jwe); }
};
using JwePtr = std::unique_ptr<cjose_jwe_t, JweRelease>;

struct JwkRelease {
  void operator()(cjose_jwk_t* jwk) const { cjose_jwk_release(jwk); }
};
using JwkPtr = std::unique_ptr<cjose_jwk_t, JwkRelease>;

// Buffers cjose allocates for the caller (cjose_jwk_to_json, cjose_jwe_export,
// cjose_jwe_decrypt, cjose_base64url_*): they go back through cjose's deallocator.
struct CjoseFree {
  void operator()(void* memory) const { cjose_get_dealloc()(memory); }
};
template <typename T>
using CjoseBuffer = std::unique_ptr<T, CjoseFree>;

// Text from json_dumps: freed with jansson's own deallocator (which cjose may replace).
struct JanssonFree {
  void operator()(char* text) const {
    json_malloc_t unused_malloc = nullptr;
    json_free_t free_fn = nullptr;
    json_get_alloc_funcs(&unused_malloc, &free_fn);
    free_fn(text);
  }
};
using JsonText = std::unique_ptr<char, JanssonFree>;

// cjose_err's strings are static: they are copied here and never freed.
inline std::string describe(const cjose_err& err) {
  std::string text = err.message != nullptr ? err.message : "unknown cjose error";
  if (err.function != nullptr) text += std::string(" in ") + err.function;
  if (err.file != nullptr) text += std::string(" (") + err.file + ":" + std::to_string(err.line) + ")";
  return text;
}

// Serializes compactly, keeping member order.
inline std::string dump_compact(const json_t* json) {
  const JsonText text(json_dumps(json, JSON_COMPACT | JSON_PRESERVE_ORDER));
  if (!text) throw std::bad_alloc();
  return std::string(text.get());
}

}  // namespace ssokit::jose::detail
