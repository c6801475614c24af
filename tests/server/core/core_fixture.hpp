#pragma once
// The SSO core wired for unit tests: a fake clock, a seeded random source, recorded events,
// and a real SQLite store in a temporary folder (the store is not what is under test here,
// but it is cheaper to use the real one than to keep a fake in step with it).
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/key_ring.hpp"
#include "core/platform_identity.hpp"
#include "core/profile_pseudonyms.hpp"
#include "core/service_tokens.hpp"
#include "core/sso_service.hpp"
#include "store/sqlite_store.hpp"

namespace ssokit::server::testing {

class FakeClock final : public Clock {
 public:
  explicit FakeClock(Millis start) : now_(start) {}
  Millis now_ms() const override { return now_; }
  void advance(Millis ms) { now_ += ms; }
  void set(Millis ms) { now_ = ms; }

 private:
  Millis now_;
};

// Deterministic bytes, so a failing test fails the same way every run.
class SeededRandom final : public Random {
 public:
  explicit SeededRandom(std::uint64_t seed) : engine_(seed) {}
  void fill(unsigned char* out, std::size_t size) override {
    for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<unsigned char>(engine_() & 0xFF);
  }

 private:
  std::mt19937_64 engine_;
};

// Replays the same bytes over and over: every code drawn is the same code.
class StuckRandom final : public Random {
 public:
  void fill(unsigned char* out, std::size_t size) override {
    for (std::size_t i = 0; i < size; ++i) out[i] = 7;
  }
};

class RecordingEvents final : public ServiceEvents {
 public:
  void link_redemption(std::string_view result) override { ++redemptions[std::string(result)]; }
  void rate_limited(std::string_view limit) override { ++limited[std::string(limit)]; }
  void platform_identity_rejected(std::string_view reason) override { ++rejected[std::string(reason)]; }
  void device_moved() override { ++moves; }
  std::map<std::string, int> redemptions;
  int moves = 0;
  std::map<std::string, int> limited;
  std::map<std::string, int> rejected;
};

class CoreTest : public ::testing::Test {
 protected:
  static constexpr Millis kStart = 1'800'000'000'000;  // a fixed "now" in 2027

  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("ssokit-core-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    std::filesystem::create_directories(dir_);
    store::SqliteOptions options;
    options.path = (dir_ / "core.db").string();
    store_ = std::make_unique<store::SqliteStore>(options);
    keys_ = std::make_unique<KeyRing>(*store_, clock_, random_);
    keys_->load_or_create();
    rebuild();
  }

  void TearDown() override {
    sso_.reset();
    platform_.reset();
    tokens_.reset();
    keys_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Re-creates the services after a change to config_.
  void rebuild(std::vector<PlatformIssuer> issuers = {}) {
    sso_.reset();
    tokens_ = std::make_unique<ServiceTokens>(config_, *keys_, clock_, random_);
    platform_ = std::make_unique<PlatformIdentity>(std::move(issuers), *keys_, clock_, config_.clock_skew_ms);
    sso_ = std::make_unique<SsoService>(config_, *store_, *tokens_, *platform_, pseudonyms_, events_, clock_,
                                        *code_random_, "pepper-for-tests");
  }

  SsoRequest request_from(const std::string& device) const {
    SsoRequest request;
    request.sp = "demo";
    request.device_identifier = "fingerprint " + device;
    request.client_address = "192.0.2.1";
    return request;
  }

  IssuedServiceToken sign_in(const std::string& device, const std::string& sso_id) {
    SsoRequest request = request_from(device);
    request.sso_id = sso_id;
    auto token = sso_->create_service_token(request);
    EXPECT_TRUE(token.ok()) << (token.ok() ? "" : token.error().message);
    return token.ok() && token->token ? *token->token : IssuedServiceToken{};
  }

  SsoRequest with_token(const std::string& device, const IssuedServiceToken& token) const {
    SsoRequest request = request_from(device);
    request.service_token = token.token;
    return request;
  }

  std::filesystem::path dir_;
  FakeClock clock_{kStart};
  SeededRandom random_{42};
  Random* code_random_ = &random_;
  RecordingEvents events_;
  ServiceConfig config_;
  ProfilePseudonyms pseudonyms_{"a-profile-pseudonym-key-for-tests-only"};
  std::unique_ptr<store::SqliteStore> store_;
  std::unique_ptr<KeyRing> keys_;
  std::unique_ptr<ServiceTokens> tokens_;
  std::unique_ptr<PlatformIdentity> platform_;
  std::unique_ptr<SsoService> sso_;
};

}  // namespace ssokit::server::testing
