#pragma once
// A small RAII and reading layer over cJSON for the wire parsers. Reading is lenient about
// what is absent or unknown and strict about what is present: a member that is JSON null
// counts as absent, unknown members are ignored, and a known member of the wrong type (or
// a time that is not a whole, non-negative number of ms) is a kBadResponse naming the field.
// Error messages name answers and fields, never values: no token, code or id leaks into them.
#include <cjson/cJSON.h>

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

#include "ssokit/result.hpp"
#include "ssokit/types.hpp"

namespace ssokit::wire::json {

struct Deleter {
  void operator()(cJSON* value) const { cJSON_Delete(value); }
};
using Json = std::unique_ptr<cJSON, Deleter>;

// The largest integer a JSON number (an IEEE double) holds exactly: the bound of every
// count and time the parsers accept.
inline constexpr std::int64_t kMaxExactInteger = std::int64_t{1} << 53;

// Exactly one JSON value, with only whitespace around it; null for anything else
// (empty, truncated, HTML, two values, a NUL in a string, which cJSON would silently cut).
Json parse(std::string_view text);

// The body of an answer as a JSON object, or kBadResponse "bad <answer>: ...".
Result<Json> parse_object(std::string_view body, std::string_view answer);

// Unformatted JSON text of `value`; "" only if memory runs out.
std::string print(const cJSON* value);

// The member `key` of `object`; null when absent or JSON null.
const cJSON* member(const cJSON* object, const char* key);

// kBadResponse "bad <answer>: <field> <problem>".
Status bad_answer(std::string_view answer, std::string_view field, std::string_view problem);

// validity window shared by tokens, codes, sessions and profiles.
struct Validity {
  ServerTime not_before;
  ServerTime not_after;
};

// Typed reading of the members of one JSON object of an answer. `path` prefixes field names
// in errors, e.g. "devices.*." for the entries of the device map.
class Fields {
 public:
  Fields(const cJSON* object, std::string_view answer, std::string_view path = "")
      : object_(object), answer_(answer), path_(path) {}

  // The first present member of `names` (the seed's alternative names), as a non-empty string.
  Result<std::string> text(std::initializer_list<const char*> names) const;
  // Like text(), limited to visible ASCII (0x21..0x7E): the value goes into an HTTP header.
  Result<std::string> header_value(std::initializer_list<const char*> names) const;
  // A string member that may be absent ("" then) or empty.
  Result<std::string> optional_text(const char* key) const;
  // A whole number of ms since the epoch, 0..2^53.
  Result<ServerTime> time(const char* key) const;
  // A whole number 0..2^53.
  Result<std::int64_t> count(const char* key) const;
  // notBefore and notAfter, with notAfter not before notBefore; a window longer than
  // internal::kMaxLifetime (a year) is cut to it.
  Result<Validity> validity() const;
  // An object or array member (required).
  Result<const cJSON*> object(const char* key) const;
  Result<const cJSON*> array(const char* key) const;
  // An object member that may be absent (null then).
  Result<const cJSON*> optional_object(const char* key) const;

  bool has(const char* key) const { return member(object_, key) != nullptr; }
  Status error(std::string_view field, std::string_view problem) const;

 private:
  const cJSON* object_;
  std::string_view answer_;
  std::string_view path_;
};

// Whether `value` is a whole JSON number in 0..2^53; the number when it is.
bool whole_number(const cJSON* value, std::int64_t& out);

}  // namespace ssokit::wire::json
