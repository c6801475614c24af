#include "wire/json.hpp"

#include <algorithm>
#include <cmath>

#include "time_limits.hpp"

namespace ssokit::wire::json {
namespace {

bool is_json_whitespace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool all_whitespace(std::string_view text) {
  return std::all_of(text.begin(), text.end(), is_json_whitespace);
}

bool visible_ascii(const std::string& value) {
  return std::all_of(value.begin(), value.end(), [](char c) { return c >= '!' && c <= '~'; });
}

// "serviceToken (or jws)": how an error names a field that has alternative names.
std::string field_name(std::initializer_list<const char*> names) {
  std::string name;
  for (const char* key : names) {
    if (name.empty()) {
      name = key;
    } else {
      name.append(" (or ").append(key).append(")");
    }
  }
  return name;
}

// cJSON ends a string at a NUL, raw or escaped as \u0000, without a word: the value would be
// silently shortened, so such text is refused.
bool has_nul(std::string_view text) {
  if (text.find('\0') != std::string_view::npos) return true;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (!in_string) {
      in_string = c == '"';
    } else if (c == '"') {
      in_string = false;
    } else if (c == '\\') {
      if (text.substr(i + 1, 5) == "u0000") return true;
      ++i;  // the escaped character cannot end the string
    }
  }
  return false;
}

}  // namespace

Json parse(std::string_view text) {
  if (text.empty()) return nullptr;
  const char* end = nullptr;
  Json value(cJSON_ParseWithLengthOpts(text.data(), text.size(), &end, false));
  if (!value || end == nullptr) return nullptr;
  const auto consumed = static_cast<std::size_t>(end - text.data());
  if (consumed > text.size() || !all_whitespace(text.substr(consumed)) || has_nul(text)) return nullptr;
  return value;
}

Result<Json> parse_object(std::string_view body, std::string_view answer) {
  if (all_whitespace(body)) return bad_answer(answer, "body", "is empty");
  Json value = parse(body);
  if (!value) return bad_answer(answer, "body", "is not JSON");
  if (!cJSON_IsObject(value.get())) return bad_answer(answer, "body", "is not a JSON object");
  return Result<Json>(std::move(value));
}

std::string print(const cJSON* value) {
  char* text = cJSON_PrintUnformatted(value);
  if (text == nullptr) return {};
  std::string out(text);
  cJSON_free(text);
  return out;
}

const cJSON* member(const cJSON* object, const char* key) {
  if (!cJSON_IsObject(object)) return nullptr;
  const cJSON* value = cJSON_GetObjectItemCaseSensitive(object, key);
  if (value == nullptr || cJSON_IsNull(value)) return nullptr;
  return value;
}

Status bad_answer(std::string_view answer, std::string_view field, std::string_view problem) {
  std::string message = "bad ";
  message.append(answer).append(": ").append(field).append(" ").append(problem);
  return Status(ErrorCode::kBadResponse, std::move(message));
}

bool whole_number(const cJSON* value, std::int64_t& out) {
  if (!cJSON_IsNumber(value)) return false;
  const double number = value->valuedouble;
  if (!std::isfinite(number) || number < 0 || number > static_cast<double>(kMaxExactInteger) ||
      number != std::floor(number)) {
    return false;
  }
  out = static_cast<std::int64_t>(number);
  return true;
}

Status Fields::error(std::string_view field, std::string_view problem) const {
  std::string name(path_);
  name.append(field);
  return bad_answer(answer_, name, problem);
}

Result<std::string> Fields::text(std::initializer_list<const char*> names) const {
  for (const char* key : names) {
    const cJSON* value = member(object_, key);
    if (value == nullptr) continue;
    if (!cJSON_IsString(value) || value->valuestring == nullptr) return error(key, "is not a string");
    if (value->valuestring[0] == '\0') return error(key, "is empty");
    return std::string(value->valuestring);
  }
  return error(field_name(names), "is missing");
}

Result<std::string> Fields::header_value(std::initializer_list<const char*> names) const {
  auto value = text(names);
  if (value && !visible_ascii(*value)) return error(field_name(names), "has characters a header cannot carry");
  return value;
}

Result<std::string> Fields::optional_text(const char* key) const {
  const cJSON* value = member(object_, key);
  if (value == nullptr) return std::string();
  if (!cJSON_IsString(value) || value->valuestring == nullptr) return error(key, "is not a string");
  return std::string(value->valuestring);
}

Result<ServerTime> Fields::time(const char* key) const {
  const cJSON* value = member(object_, key);
  if (value == nullptr) return error(key, "is missing");
  std::int64_t ms = 0;
  if (!whole_number(value, ms)) return error(key, "is not a time (whole ms since the epoch, 0..2^53)");
  return ServerTime(std::chrono::milliseconds(ms));
}

Result<std::int64_t> Fields::count(const char* key) const {
  const cJSON* value = member(object_, key);
  if (value == nullptr) return error(key, "is missing");
  std::int64_t number = 0;
  if (!whole_number(value, number)) return error(key, "is not a whole number in 0..2^53");
  return number;
}

Result<Validity> Fields::validity() const {
  auto not_before = time("notBefore");
  if (!not_before) return not_before.status();
  auto not_after = time("notAfter");
  if (!not_after) return not_after.status();
  if (*not_after < *not_before) return error("notAfter", "is before notBefore");
  // A longer window is cut (time_limits.hpp), so an app's not_after - not_before, or now plus
  // that, stays far inside std::chrono's range.
  return Validity{*not_before, std::min(*not_after, *not_before + internal::kMaxLifetime)};
}

Result<const cJSON*> Fields::object(const char* key) const {
  const cJSON* value = member(object_, key);
  if (value == nullptr) return error(key, "is missing");
  if (!cJSON_IsObject(value)) return error(key, "is not an object");
  return value;
}

Result<const cJSON*> Fields::array(const char* key) const {
  const cJSON* value = member(object_, key);
  if (value == nullptr) return error(key, "is missing");
  if (!cJSON_IsArray(value)) return error(key, "is not an array");
  return value;
}

Result<const cJSON*> Fields::optional_object(const char* key) const {
  const cJSON* value = member(object_, key);
  if (value == nullptr) return static_cast<const cJSON*>(nullptr);
  if (!cJSON_IsObject(value)) return error(key, "is not an object");
  return value;
}

}  // namespace ssokit::wire::json
