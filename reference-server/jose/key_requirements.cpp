#include "jose/key_requirements.hpp"

#include <array>

#include "jose/cjose_handles.hpp"

namespace ssokit::jose::detail {
namespace {

struct AlgorithmEntry {
  std::string_view alg;
  KeyRequirement requirement;
};

const std::array<AlgorithmEntry, 12> kSignatureAlgorithms{{
    {"HS256", {KeyType::kOct, 256, 0}},
    {"HS384", {KeyType::kOct, 384, 0}},
    {"HS512", {KeyType::kOct, 512, 0}},
    {"RS256", {KeyType::kRsa, kMinRsaBits, 0}},
    {"RS384", {KeyType::kRsa, kMinRsaBits, 0}},
    {"RS512", {KeyType::kRsa, kMinRsaBits, 0}},
    {"PS256", {KeyType::kRsa, kMinRsaBits, 0}},
    {"PS384", {KeyType::kRsa, kMinRsaBits, 0}},
    {"PS512", {KeyType::kRsa, kMinRsaBits, 0}},
    {"ES256", {KeyType::kEc, 0, CJOSE_JWK_EC_P_256}},
    {"ES384", {KeyType::kEc, 0, CJOSE_JWK_EC_P_384}},
    {"ES512", {KeyType::kEc, 0, CJOSE_JWK_EC_P_521}},
}};

const std::array<AlgorithmEntry, 2> kKeyManagementAlgorithms{{
    {"RSA-OAEP", {KeyType::kRsa, kMinRsaBits, 0}},
    {"ECDH-ES", {KeyType::kEc, 0, 0}},
}};

template <std::size_t N>
std::optional<KeyRequirement> find(const std::array<AlgorithmEntry, N>& table, std::string_view alg) {
  for (const AlgorithmEntry& entry : table) {
    if (entry.alg == alg) return entry.requirement;
  }
  return std::nullopt;
}

}  // namespace

std::optional<KeyRequirement> signature_key_requirement(std::string_view alg) {
  return find(kSignatureAlgorithms, alg);
}

std::optional<KeyRequirement> key_management_requirement(std::string_view alg) {
  return find(kKeyManagementAlgorithms, alg);
}

bool is_supported_content_encryption(std::string_view enc) {
  return enc == "A128GCM" || enc == "A192GCM" || enc == "A256GCM";
}

bool key_fits(const Jwk& key, const KeyRequirement& requirement) {
  if (key.raw() == nullptr || key.type() != requirement.type) return false;
  cjose_err err{};
  if (requirement.type == KeyType::kEc) {
    const int curve = cjose_jwk_EC_get_curve(key.raw(), &err);
    if (curve == CJOSE_JWK_EC_INVALID) return false;
    return requirement.ec_curve == 0 || curve == requirement.ec_curve;
  }
  return cjose_jwk_get_keysize(key.raw(), &err) >= requirement.min_bits;
}

}  // namespace ssokit::jose::detail
