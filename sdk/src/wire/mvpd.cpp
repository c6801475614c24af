#include <algorithm>
#include <cctype>
#include <set>

#include "wire/json.hpp"
#include "wire/wire.hpp"

namespace ssokit::wire {
namespace {

constexpr std::string_view kSessionAnswer = "MVPD session answer";
constexpr std::string_view kProfilesAnswer = "MVPD profiles answer";
constexpr std::string_view kLogoutAnswer = "MVPD logout answer";

bool starts_with_ignoring_case(const std::string& text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  return std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
}

bool ends_with(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// V2 attributes come as {"value": ..., "state": "plain"} objects; a bare string is read as
// the value too. Values that are not strings (the SDK's attributes are strings) are skipped.
Result<std::map<std::string, std::string>> parse_attributes(const json::Fields& fields) {
  std::map<std::string, std::string> attributes;
  auto object = fields.optional_object("attributes");
  if (!object) return object.status();
  if (*object == nullptr) return attributes;
  for (const cJSON* item = (*object)->child; item != nullptr; item = item->next) {
    if (item->string == nullptr) continue;
    const cJSON* value = cJSON_IsObject(item) ? json::member(item, "value") : item;
    if (!cJSON_IsString(value) || value->valuestring == nullptr) continue;
    attributes.emplace(item->string, value->valuestring);  // a repeated name: the first wins
  }
  return attributes;
}

Result<MvpdProfile> parse_profile(const cJSON* entry) {
  if (!cJSON_IsObject(entry)) return json::bad_answer(kProfilesAnswer, "profiles.*", "is not an object");
  const json::Fields fields(entry, kProfilesAnswer, "profiles.*.");
  MvpdProfile profile;
  profile.mvpd = entry->string == nullptr ? std::string() : std::string(entry->string);
  if (profile.mvpd.empty()) return json::bad_answer(kProfilesAnswer, "profiles", "has an empty MVPD name");

  auto validity = fields.validity();
  if (!validity) return validity.status();
  profile.not_before = validity->not_before;
  profile.not_after = validity->not_after;

  auto issuer = fields.optional_text("issuer");
  if (!issuer) return issuer.status();
  profile.issuer = issuer->empty() ? profile.mvpd : std::move(issuer).value();

  // "regular" on the device that logged in; "serviceTokenSSO" (or another V2 *SSO type such
  // as appSSO) when the profile came through single sign-on.
  auto type = fields.optional_text("type");
  if (!type) return type.status();
  profile.sso = ends_with(*type, "SSO");

  auto attributes = parse_attributes(fields);
  if (!attributes) return attributes.status();
  profile.attributes = std::move(attributes).value();
  return profile;
}

}  // namespace

// "authenticate"/"interactive": the user logs in at `url` while the app polls by `code`, so
// those and the times are required. "authorize"/"direct": nothing for the user to do; the
// reference server still sends one shape, other servers may leave code, url and times out.
Result<MvpdSession> parse_mvpd_session(const std::string& body) {
  auto object = json::parse_object(body, kSessionAnswer);
  if (!object) return object.status();
  const json::Fields fields(object->get(), kSessionAnswer);

  auto action_name = fields.text({"actionName"});
  if (!action_name) return action_name.status();
  auto action_type = fields.optional_text("actionType");
  if (!action_type) return action_type.status();

  MvpdSession session;
  session.already_authenticated = *action_name == "authorize" || *action_type == "direct";
  const bool interactive = !session.already_authenticated;

  for (auto [key, out] : {std::pair{"code", &session.code}, std::pair{"url", &session.url}}) {
    auto value = interactive ? fields.text({key}) : fields.optional_text(key);
    if (!value) return value.status();
    *out = std::move(value).value();
  }
  // The app opens the URL or shows it as a QR code: only a web address will do.
  if (!session.url.empty() && !starts_with_ignoring_case(session.url, "https://") &&
      !starts_with_ignoring_case(session.url, "http://")) {
    return fields.error("url", "is not an http(s) URL");
  }
  for (auto [key, out] : {std::pair{"sessionId", &session.session_id}, std::pair{"mvpd", &session.mvpd}}) {
    auto value = fields.optional_text(key);
    if (!value) return value.status();
    *out = std::move(value).value();
  }
  if (interactive || fields.has("notBefore") || fields.has("notAfter")) {
    auto validity = fields.validity();
    if (!validity) return validity.status();
    session.not_before = validity->not_before;
    session.not_after = validity->not_after;
  }
  return session;
}

// GET profiles and GET profiles/code/{code} answer the same form: {"profiles":{"<mvpd>":{...}}},
// `{}` while there is none.
Result<std::vector<MvpdProfile>> parse_mvpd_profiles(const std::string& body) {
  auto object = json::parse_object(body, kProfilesAnswer);
  if (!object) return object.status();
  auto map = json::Fields(object->get(), kProfilesAnswer).object("profiles");
  if (!map) return map.status();

  std::vector<MvpdProfile> profiles;
  std::set<std::string, std::less<>> seen;
  for (const cJSON* entry = (*map)->child; entry != nullptr; entry = entry->next) {
    auto profile = parse_profile(entry);
    if (!profile) return profile.status();
    if (!seen.insert(profile->mvpd).second) continue;  // a repeated MVPD: the first entry wins
    profiles.push_back(std::move(profile).value());
  }
  return profiles;
}

// {"logouts":{"<mvpd>":{"actionName":"complete"|"invalid","actionType":"none"}}}: true when a
// profile was removed, false when there was none. Any other action (a V2 logout that needs
// the user's browser) is not something this SDK can complete: kBadResponse.
Result<bool> parse_mvpd_logout(const std::string& body, const std::string& mvpd) {
  auto object = json::parse_object(body, kLogoutAnswer);
  if (!object) return object.status();
  auto logouts = json::Fields(object->get(), kLogoutAnswer).object("logouts");
  if (!logouts) return logouts.status();
  const cJSON* entry = json::member(*logouts, mvpd.c_str());
  if (entry == nullptr) return json::bad_answer(kLogoutAnswer, "logouts", "has no entry for the MVPD");
  if (!cJSON_IsObject(entry)) return json::bad_answer(kLogoutAnswer, "logouts.*", "is not an object");
  const json::Fields fields(entry, kLogoutAnswer, "logouts.*.");
  auto action = fields.text({"actionName"});
  if (!action) return action.status();
  if (*action == "complete") return true;
  if (*action == "invalid") return false;
  return fields.error("actionName", "is neither \"complete\" nor \"invalid\"");
}

}  // namespace ssokit::wire
