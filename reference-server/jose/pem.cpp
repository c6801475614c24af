// PEM <-> Jwk. OpenSSL only parses and writes PEM and exposes the key's numbers; the key
// itself is rebuilt by cjose from those numbers (cjose_jwk_create_*_spec).
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include <array>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "jose/base64url.hpp"
#include "jose/cjose_handles.hpp"
#include "jose/jwk.hpp"

namespace ssokit::jose {
namespace {

// Larger than any RSA-8192 private key PEM; bounds what reaches the parser.
constexpr std::size_t kMaxPemSize = 16 * 1024;

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;

struct PkeyFree {
  void operator()(EVP_PKEY* pkey) const { EVP_PKEY_free(pkey); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* ctx) const { EVP_PKEY_CTX_free(ctx); }
};
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;

struct BnFree {
  void operator()(BIGNUM* bn) const { BN_clear_free(bn); }
};
using BnPtr = std::unique_ptr<BIGNUM, BnFree>;

struct ParamBldFree {
  void operator()(OSSL_PARAM_BLD* bld) const { OSSL_PARAM_BLD_free(bld); }
};
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree>;

struct ParamFree {
  void operator()(OSSL_PARAM* params) const { OSSL_PARAM_free(params); }
};
using ParamPtr = std::unique_ptr<OSSL_PARAM, ParamFree>;

// Key material on its way to cjose: wiped when it goes.
class Bytes {
 public:
  Bytes() = default;
  explicit Bytes(std::size_t size) : data_(size) {}
  Bytes(Bytes&&) = default;
  Bytes& operator=(Bytes&&) = default;
  Bytes(const Bytes&) = delete;
  Bytes& operator=(const Bytes&) = delete;
  ~Bytes() { OPENSSL_cleanse(data_.data(), data_.size()); }

  std::uint8_t* data() { return data_.empty() ? nullptr : data_.data(); }
  std::size_t size() const { return data_.size(); }
  bool empty() const { return data_.empty(); }

 private:
  std::vector<std::uint8_t> data_;
};

// Never prompts: an encrypted private key is simply not accepted.
int refuse_passphrase(char* /*buf*/, int /*size*/, int /*rwflag*/, void* /*userdata*/) {
  return -1;
}

// OpenSSL queues an error for every failed attempt; clear it so the thread's queue does
// not mislead whatever runs next on it.
template <typename T>
T* without_error_queue(T* result) {
  if (result == nullptr) ERR_clear_error();
  return result;
}

// The big-endian bytes of BIGNUM parameter `name`, left-padded to `width` when non-zero;
// empty when the key lacks it.
Bytes bn_param(const EVP_PKEY* pkey, const char* name, int width = 0) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &raw) != 1) {
    ERR_clear_error();
    return Bytes();
  }
  const BnPtr bn(raw);
  const int size = width > 0 ? width : BN_num_bytes(bn.get());
  if (size <= 0 || BN_num_bytes(bn.get()) > size) return Bytes();
  Bytes out(static_cast<std::size_t>(size));
  if (BN_bn2binpad(bn.get(), out.data(), size) != size) return Bytes();
  return out;
}

struct CurveInfo {
  int nid;
  int coordinate_bytes;
};

constexpr std::array<CurveInfo, 3> kCurves{{
    {NID_X9_62_prime256v1, 32},
    {NID_secp384r1, 48},
    {NID_secp521r1, 66},
}};

const CurveInfo* curve_by_nid(int nid) {
  for (const CurveInfo& curve : kCurves) {
    if (curve.nid == nid) return &curve;
  }
  return nullptr;
}

cjose_jwk_t* rsa_to_cjose(const EVP_PKEY* pkey, bool with_private) {
  Bytes n = bn_param(pkey, OSSL_PKEY_PARAM_RSA_N);
  Bytes e = bn_param(pkey, OSSL_PKEY_PARAM_RSA_E);
  if (n.empty() || e.empty()) return nullptr;
  cjose_jwk_rsa_keyspec spec{};
  spec.n = n.data();
  spec.nlen = n.size();
  spec.e = e.data();
  spec.elen = e.size();
  Bytes d, p, q, dp, dq, qi;
  if (with_private) {
    d = bn_param(pkey, OSSL_PKEY_PARAM_RSA_D);
    if (d.empty()) return nullptr;
    p = bn_param(pkey, OSSL_PKEY_PARAM_RSA_FACTOR1);
    q = bn_param(pkey, OSSL_PKEY_PARAM_RSA_FACTOR2);
    dp = bn_param(pkey, OSSL_PKEY_PARAM_RSA_EXPONENT1);
    dq = bn_param(pkey, OSSL_PKEY_PARAM_RSA_EXPONENT2);
    qi = bn_param(pkey, OSSL_PKEY_PARAM_RSA_COEFFICIENT1);
    spec.d = d.data();
    spec.dlen = d.size();
    spec.p = p.data();
    spec.plen = p.size();
    spec.q = q.data();
    spec.qlen = q.size();
    spec.dp = dp.data();
    spec.dplen = dp.size();
    spec.dq = dq.data();
    spec.dqlen = dq.size();
    spec.qi = qi.data();
    spec.qilen = qi.size();
  }
  cjose_err err{};
  return cjose_jwk_create_RSA_spec(&spec, &err);
}

cjose_jwk_t* ec_to_cjose(const EVP_PKEY* pkey, bool with_private) {
  std::array<char, 64> group{};
  std::size_t group_len = 0;
  if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group.data(), group.size(), &group_len) != 1) {
    ERR_clear_error();
    return nullptr;
  }
  // PEM keys come from platform issuers, whose ES256 needs P-256: another curve is refused
  // here, at load time, rather than as a key mismatch on every token.
  const CurveInfo* curve = curve_by_nid(OBJ_sn2nid(group.data()));
  if (curve == nullptr || curve->nid != NID_X9_62_prime256v1) return nullptr;
  Bytes x = bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_X, curve->coordinate_bytes);
  Bytes y = bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, curve->coordinate_bytes);
  if (x.empty() || y.empty()) return nullptr;
  cjose_jwk_ec_keyspec spec{};
  spec.crv = static_cast<cjose_jwk_ec_curve>(curve->nid);
  spec.x = x.data();
  spec.xlen = x.size();
  spec.y = y.data();
  spec.ylen = y.size();
  Bytes d;
  if (with_private) {
    d = bn_param(pkey, OSSL_PKEY_PARAM_PRIV_KEY, curve->coordinate_bytes);
    if (d.empty()) return nullptr;
    spec.d = d.data();
    spec.dlen = d.size();
  }
  cjose_err err{};
  return cjose_jwk_create_EC_spec(&spec, &err);
}

// The decoded bytes of string member `name` of a JWK object; nullopt when absent or bad.
std::optional<std::string> decoded_member(const json_t* jwk, const char* name) {
  const json_t* value = json_object_get(jwk, name);
  if (!json_is_string(value)) return std::nullopt;
  return detail::base64url_decode(std::string_view(json_string_value(value), json_string_length(value)));
}

BnPtr to_bn(const std::string& bytes) {
  return BnPtr(
      BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()), nullptr));
}

// Builds the OpenSSL public key a JWK describes, from cjose's public JSON of it.
PkeyPtr public_pkey(const cjose_jwk_t* jwk, KeyType type) {
  cjose_err err{};
  const detail::CjoseBuffer<char> text(cjose_jwk_to_json(jwk, false, &err));
  if (!text) throw std::runtime_error("cjose_jwk_to_json: " + detail::describe(err));
  json_error_t error;
  const detail::JsonPtr json(json_loads(text.get(), 0, &error));
  if (!json) throw std::runtime_error("cjose_jwk_to_json gave no JSON");

  const ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld) throw std::bad_alloc();
  BnPtr n, e;
  std::string point;
  const char* algorithm = nullptr;
  if (type == KeyType::kRsa) {
    algorithm = "RSA";
    const auto n_bytes = decoded_member(json.get(), "n");
    const auto e_bytes = decoded_member(json.get(), "e");
    if (!n_bytes || !e_bytes) throw std::runtime_error("RSA JWK without n or e");
    n = to_bn(*n_bytes);
    e = to_bn(*e_bytes);
    if (!n || !e || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1) {
      throw std::runtime_error("cannot describe RSA public key to OpenSSL");
    }
  } else {
    algorithm = "EC";
    const CurveInfo* curve = curve_by_nid(cjose_jwk_EC_get_curve(jwk, &err));
    const auto x = decoded_member(json.get(), "x");
    const auto y = decoded_member(json.get(), "y");
    if (curve == nullptr || !x || !y) throw std::runtime_error("EC JWK without a known curve, x or y");
    const auto width = static_cast<std::size_t>(curve->coordinate_bytes);
    if (x->size() > width || y->size() > width) throw std::runtime_error("EC JWK coordinate too long");
    // Uncompressed point: 0x04 || X || Y, each coordinate left-padded to the field size.
    point =
        std::string(1, '\x04') + std::string(width - x->size(), '\0') + *x + std::string(width - y->size(), '\0') + *y;
    if (OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, OBJ_nid2sn(curve->nid), 0) != 1 ||
        OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) != 1) {
      throw std::runtime_error("cannot describe EC public key to OpenSSL");
    }
  }
  const ParamPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
  const PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, algorithm, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    ERR_clear_error();
    throw std::runtime_error("OpenSSL rejected the public key");
  }
  return PkeyPtr(raw);
}

}  // namespace

std::optional<Jwk> Jwk::from_pem(const std::string& pem) {
  if (pem.empty() || pem.size() > kMaxPemSize) return std::nullopt;
  const bool is_private = pem.find("PRIVATE KEY-----") != std::string::npos;
  const BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) throw std::bad_alloc();
  const PkeyPtr pkey(without_error_queue(is_private
                                             ? PEM_read_bio_PrivateKey(bio.get(), nullptr, refuse_passphrase, nullptr)
                                             : PEM_read_bio_PUBKEY(bio.get(), nullptr, refuse_passphrase, nullptr)));
  if (!pkey) return std::nullopt;

  cjose_jwk_t* jwk = nullptr;
  switch (EVP_PKEY_get_base_id(pkey.get())) {
    case EVP_PKEY_RSA: jwk = rsa_to_cjose(pkey.get(), is_private); break;
    case EVP_PKEY_EC: jwk = ec_to_cjose(pkey.get(), is_private); break;
    default: return std::nullopt;  // RSA-PSS-only, Ed25519, DSA, ...: nothing we sign with
  }
  if (jwk == nullptr) return std::nullopt;
  return Jwk(jwk);
}

std::optional<std::string> Jwk::to_public_pem() const {
  const KeyType key_type = type();
  if (key_type == KeyType::kOct) return std::nullopt;
  const PkeyPtr pkey = public_pkey(jwk_.get(), key_type);
  const BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), pkey.get()) != 1) {
    ERR_clear_error();
    throw std::runtime_error("PEM_write_bio_PUBKEY failed");
  }
  std::string out(BIO_ctrl_pending(bio.get()), '\0');
  if (out.empty() || BIO_read(bio.get(), out.data(), static_cast<int>(out.size())) != static_cast<int>(out.size())) {
    throw std::runtime_error("PEM_write_bio_PUBKEY wrote nothing");
  }
  return out;
}

}  // namespace ssokit::jose
