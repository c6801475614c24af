// What another program (secret-tool, Seahorse, a support script) sees of LibsecretSecureStore's
// items, read straight from the Secret Service with libsecret: the documented schema and
// attributes find them, and the label names the app and key but never holds the value.
#include <gtest/gtest.h>
#include <libsecret/secret.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <string>

#include "ssokit/platform/libsecret_secure_store.hpp"

namespace ssokit::platform {
namespace {

struct HashTableDeleter {
  void operator()(GHashTable* table) const { g_hash_table_unref(table); }
};
struct ListDeleter {
  void operator()(GList* list) const { g_list_free_full(list, g_object_unref); }
};
struct ValueDeleter {
  void operator()(SecretValue* value) const { secret_value_unref(value); }
};

std::map<std::string, std::string> to_map(GHashTable* table) {
  std::map<std::string, std::string> out;
  GHashTableIter iter;
  gpointer key = nullptr;
  gpointer value = nullptr;
  g_hash_table_iter_init(&iter, table);
  while (g_hash_table_iter_next(&iter, &key, &value)) {
    out[static_cast<const char*>(key)] = static_cast<const char*>(value);
  }
  return out;
}

TEST(LibsecretSecureStoreItems, CarryTheSchemaAppAndKeyAndALabelWithoutTheValue) {
  const char* stage = std::getenv("SSOKIT_TEST_SECRET_SERVICE");
  if (stage == nullptr || std::string(stage) != "running") {
    GTEST_SKIP() << "needs with_secret_service.sh (SSOKIT_TEST_SECRET_SERVICE=running)";
  }
  const std::string app = "org.ssokit.test.items";
  const std::string value = "the-client-secret-4711";
  LibsecretSecureStore store(app);
  ASSERT_TRUE(store.put("client_secret", value).ok());

  // As `secret-tool search --all xdg:schema org.ssokit.SecureStore app ... key ...` asks.
  std::unique_ptr<GHashTable, HashTableDeleter> attributes(g_hash_table_new(g_str_hash, g_str_equal));
  g_hash_table_insert(attributes.get(), const_cast<char*>("xdg:schema"),
                      const_cast<char*>(LibsecretSecureStore::kSchemaName));
  g_hash_table_insert(attributes.get(), const_cast<char*>("app"), const_cast<char*>(app.c_str()));
  g_hash_table_insert(attributes.get(), const_cast<char*>("key"), const_cast<char*>("client_secret"));
  GError* error = nullptr;
  std::unique_ptr<GList, ListDeleter> items(secret_password_searchv_sync(
      nullptr, attributes.get(), static_cast<SecretSearchFlags>(SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK), nullptr,
      &error));
  ASSERT_EQ(error, nullptr) << error->message;
  ASSERT_EQ(g_list_length(items.get()), 1u);

  auto* item = static_cast<SecretRetrievable*>(items->data);
  gchar* label = secret_retrievable_get_label(item);
  EXPECT_STREQ(label, "ssokit: org.ssokit.test.items client_secret");
  g_free(label);
  std::unique_ptr<GHashTable, HashTableDeleter> stored(secret_retrievable_get_attributes(item));
  EXPECT_EQ(to_map(stored.get()), (std::map<std::string, std::string>{{"app", app},
                                                                       {"key", "client_secret"},
                                                                       {"xdg:schema", "org.ssokit.SecureStore"}}));
  std::unique_ptr<SecretValue, ValueDeleter> secret(secret_retrievable_retrieve_secret_sync(item, nullptr, &error));
  ASSERT_EQ(error, nullptr) << error->message;
  ASSERT_NE(secret, nullptr);
  gsize length = 0;
  const gchar* bytes = secret_value_get(secret.get(), &length);
  EXPECT_EQ(std::string(bytes, length), value);
}

}  // namespace
}  // namespace ssokit::platform
