#include "api/form.hpp"

#include <cctype>

namespace ssokit::api {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string trim_lower(std::string_view text) {
  std::size_t begin = 0;
  std::size_t end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  std::string out(text.substr(begin, end - begin));
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int high = hex_value(text[i + 1]);
      const int low = hex_value(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::optional<std::map<std::string, std::string>> parse_form(std::string_view body) {
  std::map<std::string, std::string> fields;
  while (!body.empty()) {
    const auto amp = body.find('&');
    const std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view{} : body.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    auto key = percent_decode(pair.substr(0, eq), true);
    auto value = percent_decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1), true);
    if (!key || !value) return std::nullopt;
    fields.emplace(std::move(*key), std::move(*value));
  }
  return fields;
}

std::string form_value(const std::map<std::string, std::string>& form, const std::string& key) {
  const auto it = form.find(key);
  return it == form.end() ? std::string() : it->second;
}

std::string media_type(std::string_view content_type) {
  return trim_lower(content_type.substr(0, content_type.find(';')));
}

bool accepts_json(std::string_view accept) {
  if (trim_lower(accept).empty()) return true;
  while (!accept.empty()) {
    const auto comma = accept.find(',');
    const std::string_view range = accept.substr(0, comma);
    accept = comma == std::string_view::npos ? std::string_view{} : accept.substr(comma + 1);
    const std::string type = media_type(range);
    // A q=0 range excludes; treat any other parameter as acceptance.
    const std::string params = trim_lower(range.find(';') == std::string_view::npos ? "" : range.substr(range.find(';') + 1));
    if (params.find("q=0") == 0 && params.find_first_not_of("q=0.") == std::string::npos) continue;
    if (type == "application/json" || type == "application/*" || type == "*/*") return true;
  }
  return false;
}

}  // namespace ssokit::api
