#include "jose/jwk.hpp"

#include <array>
#include <cstdint>
#include <stdexcept>

#include "jose/cjose_handles.hpp"
#include "jose/key_requirements.hpp"

namespace ssokit::jose {
namespace {

constexpr std::array<std::uint8_t, 3> kRsaPublicExponent{0x01, 0x00, 0x01};  // 65537
constexpr std::size_t kMaxHmacBytes = 1024;  // far beyond any use; keeps bytes * 8 in range

void set_string(json_t* object, const char* name, const std::string& value) {
  json_t* text = json_stringn(value.data(), value.size());
  if (text == nullptr) throw std::runtime_error(std::string("JWK member \"") + name + "\" is not valid UTF-8");
  json_object_set_new(object, name, text);
}

cjose_jwk_t* checked(cjose_jwk_t* jwk, const cjose_err& err, const char* what) {
  if (jwk == nullptr) throw std::runtime_error(std::string(what) + ": " + detail::describe(err));
  return jwk;
}

// cjose's JSON for `jwk`, as a jansson object whose "kid" is replaced by `kid`
// (members "use" and "alg" follow it when given).
detail::JsonPtr key_json(const cjose_jwk_t* jwk, bool with_private, const std::string& kid, const std::string& use,
                         const std::string& alg) {
  cjose_err err{};
  const detail::CjoseBuffer<char> text(cjose_jwk_to_json(jwk, with_private, &err));
  if (!text) throw std::runtime_error("cjose_jwk_to_json: " + detail::describe(err));
  json_error_t error;
  const detail::JsonPtr parsed(json_loads(text.get(), 0, &error));
  if (!parsed || !json_is_object(parsed.get())) throw std::runtime_error("cjose_jwk_to_json gave no JSON object");

  // A fresh object so "kty", "kid", "use", "alg" lead in a fixed order.
  detail::JsonPtr out(json_object());
  if (!out) throw std::bad_alloc();
  json_t* kty = json_object_get(parsed.get(), "kty");
  if (kty != nullptr) json_object_set(out.get(), "kty", kty);
  if (!kid.empty()) set_string(out.get(), "kid", kid);
  if (!use.empty()) set_string(out.get(), "use", use);
  if (!alg.empty()) set_string(out.get(), "alg", alg);
  const char* name = nullptr;
  json_t* value = nullptr;
  json_object_foreach(parsed.get(), name, value) {
    const std::string member(name);
    if (member != "kty" && member != "kid") json_object_set(out.get(), name, value);
  }
  return out;
}

}  // namespace

void Jwk::Deleter::operator()(cjose_jwk_int* jwk) const {
  cjose_jwk_release(jwk);
}

Jwk::Jwk(cjose_jwk_int* jwk) : jwk_(jwk) {}
Jwk::Jwk(Jwk&&) noexcept = default;
Jwk& Jwk::operator=(Jwk&&) noexcept = default;
Jwk::~Jwk() = default;

Jwk Jwk::generate_hmac(std::size_t bytes) {
  if (bytes == 0 || bytes > kMaxHmacBytes) throw std::invalid_argument("generate_hmac: size out of range");
  cjose_err err{};
  return Jwk(checked(cjose_jwk_create_oct_random(bytes * 8, &err), err, "cjose_jwk_create_oct_random"));
}

Jwk Jwk::generate_rsa(int bits) {
  if (bits < static_cast<int>(detail::kMinRsaBits)) {
    throw std::invalid_argument("generate_rsa: RSA keys need 2048 bits or more");
  }
  cjose_err err{};
  return Jwk(checked(cjose_jwk_create_RSA_random(static_cast<std::size_t>(bits), kRsaPublicExponent.data(),
                                                 kRsaPublicExponent.size(), &err),
                     err, "cjose_jwk_create_RSA_random"));
}

Jwk Jwk::generate_ec_p256() {
  cjose_err err{};
  return Jwk(checked(cjose_jwk_create_EC_random(CJOSE_JWK_EC_P_256, &err), err, "cjose_jwk_create_EC_random"));
}

std::optional<Jwk> Jwk::from_json(const std::string& json) {
  cjose_err err{};
  cjose_jwk_t* imported = cjose_jwk_import(json.data(), json.size(), &err);
  if (imported == nullptr) return std::nullopt;
  Jwk key(imported);
  const char* kid = cjose_jwk_get_kid(imported, &err);
  if (kid != nullptr) key.kid_ = kid;
  return key;
}

KeyType Jwk::type() const {
  if (!jwk_) throw std::logic_error("Jwk used after move");
  cjose_err err{};
  switch (cjose_jwk_get_kty(jwk_.get(), &err)) {
    case CJOSE_JWK_KTY_RSA: return KeyType::kRsa;
    case CJOSE_JWK_KTY_EC: return KeyType::kEc;
    case CJOSE_JWK_KTY_OCT: return KeyType::kOct;
  }
  throw std::runtime_error("cjose_jwk_get_kty: unknown key type");
}

std::string Jwk::to_private_json() const {
  if (!jwk_) throw std::logic_error("Jwk used after move");
  return detail::dump_compact(key_json(jwk_.get(), true, kid_, "", "").get());
}

std::optional<std::string> Jwk::to_public_json(const std::string& use, const std::string& alg) const {
  if (type() == KeyType::kOct) return std::nullopt;
  return detail::dump_compact(key_json(jwk_.get(), false, kid_, use, alg).get());
}

}  // namespace ssokit::jose
