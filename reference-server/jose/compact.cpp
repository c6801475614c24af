#include "jose/compact.hpp"

#include <stdexcept>

#include "jose/base64url.hpp"
#include "jose/jws.hpp"

namespace ssokit::jose {
namespace detail {

std::optional<std::vector<std::string_view>> split_compact(std::string_view compact, std::size_t segment_count) {
  if (compact.size() > kMaxCompactSize) return std::nullopt;
  std::vector<std::string_view> segments;
  segments.reserve(segment_count);
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = compact.find('.', start);
    segments.push_back(compact.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (segments.size() > segment_count) return std::nullopt;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (segments.size() != segment_count || segments.front().empty()) return std::nullopt;
  for (const std::string_view segment : segments) {
    if (!is_canonical_base64url(segment)) return std::nullopt;
  }
  return segments;
}

std::optional<ProtectedHeader> parse_protected_header(std::string_view segment) {
  std::optional<std::string> text = base64url_decode(segment);
  if (!text) return std::nullopt;
  json_error_t error;
  JsonPtr json(json_loadb(text->data(), text->size(), JSON_REJECT_DUPLICATES, &error));
  if (!json || !json_is_object(json.get())) return std::nullopt;
  return ProtectedHeader{std::move(json), std::move(*text)};
}

Member string_member(const json_t* object, const char* name, std::string& out) {
  out.clear();
  const json_t* value = json_object_get(object, name);
  if (value == nullptr) return Member::kAbsent;
  if (!json_is_string(value)) return Member::kNotString;
  out.assign(json_string_value(value), json_string_length(value));
  return Member::kString;
}

void add_header_member(cjose_header_t* header, const char* name, const std::string& value) {
  if (value.empty()) return;
  if (value.find('\0') != std::string::npos) {
    throw std::runtime_error(std::string("JOSE header \"") + name + "\" contains a NUL byte");
  }
  cjose_err err{};
  if (!cjose_header_set(header, name, value.c_str(), &err)) {
    throw std::runtime_error(std::string("JOSE header \"") + name + "\" rejected (not UTF-8?): " + describe(err));
  }
}

}  // namespace detail

std::optional<std::string> peek_protected_header(const std::string& compact) {
  auto segments = detail::split_compact(compact, detail::kJwsSegmentCount);
  if (!segments) segments = detail::split_compact(compact, detail::kJweSegmentCount);
  if (!segments) return std::nullopt;
  std::optional<detail::ProtectedHeader> header = detail::parse_protected_header(segments->front());
  if (!header) return std::nullopt;
  return std::move(header->text);
}

}  // namespace ssokit::jose
