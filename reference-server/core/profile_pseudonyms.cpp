#include "core/profile_pseudonyms.hpp"

#include <stdexcept>

#include "core/base64.hpp"
#include "core/secret_hash.hpp"

namespace ssokit::server {
namespace {

constexpr const char* kMetaKey = "profile-pseudonym-key";
constexpr std::size_t kMinKeyLength = 32;

std::string_view source_tag(ProfileSource source) {
  switch (source) {
    case ProfileSource::kSsoId:
      return "sso-id";
    case ProfileSource::kDeviceId:
      return "device-id";
    case ProfileSource::kPlatform:
      return "platform";
  }
  return "unknown";
}

}  // namespace

ProfilePseudonyms::ProfilePseudonyms(std::string key) : key_(std::move(key)) {
  if (key_.size() < kMinKeyLength) throw std::runtime_error("the profile pseudonym key is too short");
}

ProfilePseudonyms ProfilePseudonyms::load_or_create(store::Store& store, Random& random) {
  if (auto key = store.get_meta(kMetaKey)) return ProfilePseudonyms(*key);
  std::string raw(32, '\0');
  random.fill(reinterpret_cast<unsigned char*>(raw.data()), raw.size());
  // First writer wins: instances starting together on a new store agree on one key.
  return ProfilePseudonyms(store.put_meta_if_absent(kMetaKey, base64url_encode(raw)));
}

std::string ProfilePseudonyms::profile_id(std::string_view sp, ProfileSource source, std::string_view common_id) const {
  // Length-prefixed fields: no (sp, id) pair can be shifted into another one.
  std::string message = "ssokit profile v1";
  for (std::string_view field : {sp, source_tag(source), common_id}) {
    message += '\n';
    message += std::to_string(field.size());
    message += ':';
    message += field;
  }
  return base64url_encode(hmac_sha256_raw(key_, message));
}

}  // namespace ssokit::server
