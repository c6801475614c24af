#pragma once
// application/x-www-form-urlencoded bodies (OAuth token requests, V2 sessions, the mock
// MVPD login form) and the media-type checks routes need.
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace ssokit::api {

// nullopt when a percent escape is malformed. Later duplicates do not override earlier ones.
std::optional<std::map<std::string, std::string>> parse_form(std::string_view body);
// The field's value, "" when absent.
std::string form_value(const std::map<std::string, std::string>& form, const std::string& key);
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

// "application/json; charset=utf-8" has media type "application/json" (lower case).
std::string media_type(std::string_view content_type);
// Does an Accept header admit application/json? (absent Accept admits everything)
bool accepts_json(std::string_view accept);

}  // namespace ssokit::api
