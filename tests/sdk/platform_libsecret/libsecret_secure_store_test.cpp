// LibsecretSecureStore against a real Secret Service (gnome-keyring-daemon on a throwaway
// D-Bus session bus), never a mock. with_secret_service.sh sets the stage and says which one
// through SSOKIT_TEST_SECRET_SERVICE: "running" (an unlocked keyring on the bus) or "absent"
// (no bus, or a bus where nothing provides org.freedesktop.secrets). Run without the script,
// every test skips, so a developer's own keyring is never written to.
#include "ssokit/platform/libsecret_secure_store.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "ssokit/platform/build_config.hpp"

static_assert(SSOKIT_HAS_LIBSECRET_SECURE_STORE == 1, "this test is built only with LibsecretSecureStore");

namespace ssokit::platform {
namespace {

bool stage_is(const char* wanted) {
  const char* stage = std::getenv("SSOKIT_TEST_SECRET_SERVICE");
  return stage != nullptr && std::string(stage) == wanted;
}

// Each test has app names of its own, so the tests never share an item.
std::string app_name(const std::string& suffix = "") {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  return std::string("org.ssokit.test.") + info->name() + suffix;
}

std::optional<std::string> must_get(LibsecretSecureStore& store, const std::string& key) {
  auto value = store.get(key);
  EXPECT_TRUE(value.ok()) << value.status().message();
  return value.ok() ? value.value() : std::nullopt;
}

class LibsecretSecureStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!stage_is("running")) GTEST_SKIP() << "needs with_secret_service.sh (SSOKIT_TEST_SECRET_SERVICE=running)";
  }
};

TEST_F(LibsecretSecureStoreTest, PutGetOverwriteRemove) {
  LibsecretSecureStore store(app_name());
  ASSERT_TRUE(store.put("client_secret", "first").ok());
  EXPECT_EQ(must_get(store, "client_secret"), std::optional<std::string>("first"));
  ASSERT_TRUE(store.put("client_secret", "second, longer than the first").ok());
  EXPECT_EQ(must_get(store, "client_secret"), std::optional<std::string>("second, longer than the first"));
  ASSERT_TRUE(store.put("client_secret", "3").ok());
  EXPECT_EQ(must_get(store, "client_secret"), std::optional<std::string>("3"));
  ASSERT_TRUE(store.remove("client_secret").ok());
  EXPECT_EQ(must_get(store, "client_secret"), std::nullopt);
}

TEST_F(LibsecretSecureStoreTest, MissingKeysAreNotErrors) {
  LibsecretSecureStore store(app_name());
  EXPECT_EQ(must_get(store, "service_token"), std::nullopt);
  EXPECT_TRUE(store.remove("service_token").ok());
  ASSERT_TRUE(store.put("other", "x").ok());
  EXPECT_EQ(must_get(store, "service_token"), std::nullopt);
  EXPECT_TRUE(store.remove("service_token").ok());
  EXPECT_EQ(must_get(store, "other"), std::optional<std::string>("x"));
}

TEST_F(LibsecretSecureStoreTest, KeysAreSeparate) {
  LibsecretSecureStore store(app_name());
  ASSERT_TRUE(store.put("access_token", "a").ok());
  ASSERT_TRUE(store.put("service_token", "s").ok());
  ASSERT_TRUE(store.remove("access_token").ok());
  EXPECT_EQ(must_get(store, "access_token"), std::nullopt);
  EXPECT_EQ(must_get(store, "service_token"), std::optional<std::string>("s"));
}

TEST_F(LibsecretSecureStoreTest, BinaryUtf8AndEmptyValuesRoundTrip) {
  LibsecretSecureStore store(app_name());
  std::string every_byte;
  for (int c = 0; c < 256; ++c) every_byte += static_cast<char>(c);  // NULs, controls, not UTF-8
  const std::string utf8 = "Ünïcødé ✓ 日本語 🔑\ttab\nnewline";
  const std::string nul_inside("before\0after", 12);
  for (const std::string& value : {every_byte, utf8, nul_inside, std::string()}) {
    ASSERT_TRUE(store.put("value", value).ok());
    EXPECT_EQ(must_get(store, "value"), std::optional<std::string>(value));
  }
  EXPECT_EQ(must_get(store, "value"), std::optional<std::string>("")) << "an empty value is present, not missing";
}

TEST_F(LibsecretSecureStoreTest, ValuesUpToTheLimitRoundTripLargerOnesAreRefused) {
  LibsecretSecureStore store(app_name());
  std::string largest(LibsecretSecureStore::kMaxValueSize, '\0');
  for (std::size_t i = 0; i < largest.size(); ++i) largest[i] = static_cast<char>(i * 7 + i / 251);
  ASSERT_TRUE(store.put("large", largest).ok());
  EXPECT_EQ(must_get(store, "large"), std::optional<std::string>(largest));

  const Status refused = store.put("large", largest + "x");
  EXPECT_EQ(refused.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(must_get(store, "large"), std::optional<std::string>(largest)) << "a refused put changes nothing";
}

TEST_F(LibsecretSecureStoreTest, TwoAppsDoNotSeeEachOthersKeys) {
  LibsecretSecureStore tv(app_name(".tv"));
  LibsecretSecureStore phone(app_name(".phone"));
  ASSERT_TRUE(tv.put("client_id", "tv-client").ok());
  EXPECT_EQ(must_get(phone, "client_id"), std::nullopt);
  ASSERT_TRUE(phone.put("client_id", "phone-client").ok());
  EXPECT_EQ(must_get(tv, "client_id"), std::optional<std::string>("tv-client"));
  EXPECT_EQ(must_get(phone, "client_id"), std::optional<std::string>("phone-client"));
  ASSERT_TRUE(phone.remove("client_id").ok());
  EXPECT_EQ(must_get(tv, "client_id"), std::optional<std::string>("tv-client"));
  EXPECT_EQ(must_get(phone, "client_id"), std::nullopt);
}

TEST_F(LibsecretSecureStoreTest, TwoInstancesOfOneAppShareItsKeys) {
  LibsecretSecureStore writer(app_name());
  LibsecretSecureStore reader(app_name());
  ASSERT_TRUE(writer.put("client_id", "shared").ok());
  EXPECT_EQ(must_get(reader, "client_id"), std::optional<std::string>("shared"));
}

TEST_F(LibsecretSecureStoreTest, ThreadsMayUseStoresAtOnce) {
  constexpr int kThreads = 6;
  constexpr int kRounds = 15;
  // Half the threads share one store object, the others have one each; all the same app.
  LibsecretSecureStore shared(app_name());
  const std::string app = shared.app();
  std::vector<std::thread> threads;
  std::vector<int> failures(kThreads, 0);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t, &shared, &app, &failures] {
      LibsecretSecureStore own(app);
      LibsecretSecureStore& store = t % 2 == 0 ? shared : own;
      const std::string key = "key-" + std::to_string(t);
      for (int round = 0; round < kRounds; ++round) {
        const std::string value = key + "=" + std::to_string(round);
        if (!store.put(key, value).ok()) {
          ++failures[static_cast<std::size_t>(t)];
          continue;
        }
        auto got = store.get(key);
        if (!got.ok() || got.value() != std::optional<std::string>(value)) ++failures[static_cast<std::size_t>(t)];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(failures[static_cast<std::size_t>(t)], 0) << "thread " << t;
}

// Needs no Secret Service: refused before anything is sent.
TEST(LibsecretSecureStoreNames, BadKeysAppNamesAndValuesAreRefusedUpFront) {
  LibsecretSecureStore store("org.ssokit.test.names");
  const std::vector<std::string> bad_keys = {"", ".hidden", "a/b", "a b", std::string(129, 'k'), std::string("nul\0", 4)};
  for (const std::string& key : bad_keys) {
    EXPECT_EQ(store.get(key).status().code(), ErrorCode::kInvalidArgument) << key;
    EXPECT_EQ(store.put(key, "v").code(), ErrorCode::kInvalidArgument) << key;
    EXPECT_EQ(store.remove(key).code(), ErrorCode::kInvalidArgument) << key;
  }
  EXPECT_TRUE(LibsecretSecureStore::valid_app("com.example.tvapp"));
  const std::vector<std::string> bad_apps = {"", "a b", "ä", "a/b", std::string(129, 'a')};
  for (const std::string& app : bad_apps) {
    EXPECT_FALSE(LibsecretSecureStore::valid_app(app)) << app;
    LibsecretSecureStore bad(app);
    const Status refused = bad.put("client_id", "v");
    EXPECT_EQ(refused.code(), ErrorCode::kInvalidArgument) << app;
    EXPECT_NE(refused.message().find("app name"), std::string::npos) << refused.message();
  }
  EXPECT_EQ(store.put("client_id", std::string(LibsecretSecureStore::kMaxValueSize + 1, 'v')).code(),
            ErrorCode::kInvalidArgument);
}

class LibsecretWithoutSecretServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!stage_is("absent")) GTEST_SKIP() << "needs with_secret_service.sh (SSOKIT_TEST_SECRET_SERVICE=absent)";
  }
};

TEST_F(LibsecretWithoutSecretServiceTest, EveryCallIsAStorageErrorThatSaysWhyAndNeverTheValue) {
  LibsecretSecureStore store("com.example.tvapp");
  const std::string value = "the-client-secret-4711";

  const Status put = store.put("client_secret", value);
  EXPECT_EQ(put.code(), ErrorCode::kStorageError);
  auto got = store.get("client_secret");
  EXPECT_EQ(got.status().code(), ErrorCode::kStorageError);
  const Status removed = store.remove("client_secret");
  EXPECT_EQ(removed.code(), ErrorCode::kStorageError);

  for (const Status& status : {put, got.status(), removed}) {
    const std::string& message = status.message();
    EXPECT_NE(message.find("secure store (libsecret)"), std::string::npos) << message;
    EXPECT_NE(message.find("'client_secret' of app 'com.example.tvapp'"), std::string::npos) << message;
    EXPECT_NE(message.find("Secret Service: "), std::string::npos) << message;
    EXPECT_GT(message.size(), message.find("Secret Service: ") + 16) << "a reason follows: " << message;
    EXPECT_EQ(message.find(value), std::string::npos) << message;
  }
  EXPECT_NE(put.message().find("cannot store"), std::string::npos) << put.message();
  EXPECT_NE(got.status().message().find("cannot read"), std::string::npos) << got.status().message();
  EXPECT_NE(removed.message().find("cannot remove"), std::string::npos) << removed.message();
  std::printf("  (message: %s)\n", put.message().c_str());
}

}  // namespace
}  // namespace ssokit::platform
