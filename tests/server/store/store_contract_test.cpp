// The store contract (store/store.hpp), part one: liveness, meta values, service providers,
// keys, clients and access tokens, the throttle, and what survives a restart. Devices, link
// codes, MVPD rows, housekeeping and concurrency have files of their own.
#include "store_contract.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace ssokit::store::testing {
namespace {

KeyRecord key(const std::string& kid, const std::string& purpose, Millis created_at) {
  return KeyRecord{kid, purpose, "{\"kid\":\"" + kid + "\"}", created_at};
}

ClientRecord client(const std::string& id, const std::string& statement_id = "",
                    std::vector<std::string> service_providers = {"sp"}) {
  return ClientRecord{id, "hash-" + id, std::move(service_providers), statement_id, 42};
}

// ---- liveness, meta and service providers ------------------------------------------------

TEST_P(StoreContractTest, PingAnswersTrue) {
  EXPECT_TRUE(store_->ping());
}

TEST_P(StoreContractTest, MetaFirstWriterWins) {
  EXPECT_EQ(store_->get_meta("secret-salt"), std::nullopt);
  EXPECT_EQ(store_->put_meta_if_absent("secret-salt", "first"), "first");
  EXPECT_EQ(store_->put_meta_if_absent("secret-salt", "second"), "first");
  EXPECT_EQ(store_->get_meta("secret-salt"), "first");
  EXPECT_EQ(store_->put_meta_if_absent("other", ""), "");  // an empty value is a value
  EXPECT_EQ(store_->get_meta("other"), "");
}

TEST_P(StoreContractTest, ServiceProvidersAreCreatedOnce) {
  EXPECT_FALSE(store_->service_provider_exists("sp1"));
  store_->ensure_service_provider("sp1", 10);
  store_->ensure_service_provider("sp1", 20);  // idempotent
  EXPECT_TRUE(store_->service_provider_exists("sp1"));
  EXPECT_FALSE(store_->service_provider_exists("sp2"));
}

// ---- keys ----------------------------------------------------------------------------------

TEST_P(StoreContractTest, KeysFirstOfAPurposeWins) {
  EXPECT_TRUE(store_->keys().empty());
  const KeyRecord first = store_->insert_key_if_purpose_absent(key("k1", "hs256", 100));
  EXPECT_EQ(first.kid, "k1");
  const KeyRecord again = store_->insert_key_if_purpose_absent(key("k2", "hs256", 200));
  EXPECT_EQ(again.kid, "k1");
  EXPECT_EQ(again.jwk_json, "{\"kid\":\"k1\"}");
  EXPECT_EQ(again.created_at, 100);
  EXPECT_EQ(store_->insert_key_if_purpose_absent(key("k3", "enc-rsa", 300)).kid, "k3");
  EXPECT_EQ(store_->keys().size(), 2u);
}

TEST_P(StoreContractTest, InsertedKeyBecomesTheNewestOfItsPurpose) {
  store_->insert_key_if_purpose_absent(key("a1", "hs256", 1000));
  store_->insert_key(key("b1", "enc", 1500));
  store_->insert_key(key("a2", "hs256", 900));  // an earlier clock still makes it newest
  const auto all = store_->keys();
  ASSERT_EQ(all.size(), 3u);
  std::vector<std::string> hs;
  for (const auto& k : all) {
    if (k.purpose == "hs256") hs.push_back(k.kid);
  }
  EXPECT_EQ(hs, (std::vector<std::string>{"a2", "a1"}));
  EXPECT_EQ(store_->insert_key_if_purpose_absent(key("zz", "hs256", 5)).kid, "a2");
}

TEST_P(StoreContractTest, DuplicateKidIsAStoreErrorWithoutTheValue) {
  store_->insert_key(key("kid-4b1d-secretish", "hs256", 1));
  try {
    store_->insert_key(key("kid-4b1d-secretish", "hs256", 2));
    FAIL() << "a second key with the same kid was accepted";
  } catch (const StoreError& e) {
    // Error messages reach logs; key material and ids stay out of them.
    EXPECT_EQ(std::string(e.what()).find("kid-4b1d-secretish"), std::string::npos) << e.what();
  }
  EXPECT_EQ(store_->keys().size(), 1u);
}

// ---- clients -------------------------------------------------------------------------------

TEST_P(StoreContractTest, ClientsRoundTripWithTheirStatementAndServiceProvidersInOrder) {
  EXPECT_EQ(store_
                ->register_client(ClientRecord{"c1", "hash1", {"zeta", "alpha", "mid"}, "statement-1", 42},
                                  std::nullopt, 1000)
                .result,
            CreationResult::kCreated);
  EXPECT_EQ(store_->register_client(ClientRecord{"c2", "hash2", {}, "", 43}, std::nullopt, 1000).result,
            CreationResult::kCreated);
  const auto c1 = store_->find_client("c1");
  ASSERT_TRUE(c1);
  EXPECT_EQ(c1->client_id, "c1");
  EXPECT_EQ(c1->secret_hash, "hash1");
  EXPECT_EQ(c1->service_providers, (std::vector<std::string>{"zeta", "alpha", "mid"}));
  EXPECT_EQ(c1->issued_at, 42);
  EXPECT_EQ(c1->statement_id, "statement-1");
  const auto c2 = store_->find_client("c2");
  ASSERT_TRUE(c2);
  EXPECT_TRUE(c2->service_providers.empty());
  EXPECT_EQ(c2->statement_id, "");
  EXPECT_EQ(store_->find_client("c3"), std::nullopt);
}

TEST_P(StoreContractTest, RegisteringAnExistingClientIdIsAStoreErrorThatChangesNothing) {
  const auto limit = creation_limit("create:client", {60'000, 2});
  ASSERT_EQ(store_->register_client(client("c1", "", {"a", "b", "c"}), limit, 1000).result, CreationResult::kCreated);
  EXPECT_THROW(store_->register_client(ClientRecord{"c1", "other", {"x"}, "", 1}, limit, 1000), StoreError);
  EXPECT_EQ(store_->find_client("c1")->service_providers.size(), 3u);  // the failed insert left nothing
  // ...not even a consumed creation: the second of the burst of two is still there.
  EXPECT_EQ(store_->register_client(client("c2"), limit, 1000).result, CreationResult::kCreated);
}

TEST_P(StoreContractTest, RevokedStatementsStayRevokedAndRevokingTwiceIsNoError) {
  store_->revoke_software_statement("s1", 10);
  EXPECT_NO_THROW(store_->revoke_software_statement("s1", 20));
  EXPECT_EQ(store_->register_client(client("c1", "s1"), std::nullopt, 30).result, CreationResult::kStatementRevoked);
  EXPECT_EQ(store_->find_client("c1"), std::nullopt);
  EXPECT_EQ(store_->register_client(client("c2", "s2"), std::nullopt, 30).result, CreationResult::kCreated);
  EXPECT_EQ(store_->register_client(client("c3", ""), std::nullopt, 30).result, CreationResult::kCreated);
}

TEST_P(StoreContractTest, ClientCreationLimitIsConsumedOnlyOnSuccessAndRefusesWithRetryAfter) {
  const auto limit = creation_limit("create:address:192.0.2.9", {1000, 2});  // 2 at once, then 1/s
  store_->revoke_software_statement("revoked", 1);
  // A revoked statement is refused without using the limit.
  EXPECT_EQ(store_->register_client(client("r", "revoked"), limit, 10'000).result, CreationResult::kStatementRevoked);
  EXPECT_EQ(store_->register_client(client("c1"), limit, 10'000).result, CreationResult::kCreated);
  EXPECT_EQ(store_->register_client(client("c2"), limit, 10'000).result, CreationResult::kCreated);
  const CreationOutcome refused = store_->register_client(client("c3"), limit, 10'000);
  EXPECT_EQ(refused.result, CreationResult::kLimited);
  EXPECT_EQ(refused.retry_after_ms, 1000);
  EXPECT_EQ(store_->find_client("c3"), std::nullopt);
  // A refusal consumes nothing either: one ms early it is still refused, then exactly one fits.
  EXPECT_EQ(store_->register_client(client("c3"), limit, 10'999).result, CreationResult::kLimited);
  EXPECT_EQ(store_->register_client(client("c3"), limit, 11'000).result, CreationResult::kCreated);
  EXPECT_EQ(store_->register_client(client("c4"), limit, 11'000).result, CreationResult::kLimited);
  EXPECT_TRUE(store_->find_client("c3"));
}

// ---- access tokens -------------------------------------------------------------------------

TEST_P(StoreContractTest, AccessTokensRoundTrip) {
  ASSERT_EQ(store_->register_client(client("c1"), std::nullopt, 1000).result, CreationResult::kCreated);
  EXPECT_EQ(store_->issue_access_token(AccessTokenRecord{"th1", "c1", 5000}, std::nullopt, 1000).result,
            CreationResult::kCreated);
  const auto t = store_->find_access_token("th1");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->token_hash, "th1");
  EXPECT_EQ(t->client_id, "c1");
  EXPECT_EQ(t->expires_at, 5000);
  EXPECT_EQ(store_->find_access_token("nope"), std::nullopt);
}

TEST_P(StoreContractTest, NoAccessTokenForAClientOfARevokedStatement) {
  ASSERT_EQ(store_->register_client(client("c1", "s1"), std::nullopt, 1000).result, CreationResult::kCreated);
  ASSERT_EQ(store_->register_client(client("legacy", ""), std::nullopt, 1000).result, CreationResult::kCreated);
  EXPECT_EQ(store_->issue_access_token(AccessTokenRecord{"before", "c1", 9000}, std::nullopt, 1000).result,
            CreationResult::kCreated);
  store_->revoke_software_statement("s1", 2000);
  EXPECT_EQ(store_->issue_access_token(AccessTokenRecord{"after", "c1", 9000}, std::nullopt, 2000).result,
            CreationResult::kStatementRevoked);
  EXPECT_EQ(store_->find_access_token("after"), std::nullopt);
  // A client registered without a statement is not caught by anyone's revocation.
  store_->revoke_software_statement("", 2000);
  EXPECT_EQ(store_->issue_access_token(AccessTokenRecord{"legacy-token", "legacy", 9000}, std::nullopt, 2000).result,
            CreationResult::kCreated);
}

TEST_P(StoreContractTest, TokenCreationLimitIsConsumedOnlyOnSuccessAndRefusesWithRetryAfter) {
  const auto limit = creation_limit("create:token:c1", {1000, 1});
  ASSERT_EQ(store_->register_client(client("c1", "s1"), std::nullopt, 1000).result, CreationResult::kCreated);
  ASSERT_EQ(store_->register_client(client("c2", "s2"), std::nullopt, 1000).result, CreationResult::kCreated);
  store_->revoke_software_statement("s2", 1000);
  EXPECT_EQ(store_->issue_access_token(AccessTokenRecord{"t0", "c2", 99'000}, limit, 5000).result,
            CreationResult::kStatementRevoked);
  EXPECT_EQ(store_->issue_access_token(AccessTokenRecord{"t1", "c1", 99'000}, limit, 5000).result,
            CreationResult::kCreated);
  const CreationOutcome refused = store_->issue_access_token(AccessTokenRecord{"t2", "c1", 99'000}, limit, 5000);
  EXPECT_EQ(refused.result, CreationResult::kLimited);
  EXPECT_EQ(refused.retry_after_ms, 1000);
  EXPECT_EQ(store_->find_access_token("t2"), std::nullopt);
  EXPECT_EQ(store_->issue_access_token(AccessTokenRecord{"t2", "c1", 99'000}, limit, 5999).result,
            CreationResult::kLimited);
  EXPECT_EQ(store_->issue_access_token(AccessTokenRecord{"t2", "c1", 99'000}, limit, 6000).result,
            CreationResult::kCreated);
  EXPECT_TRUE(store_->find_access_token("t2"));
}

// ---- the throttle --------------------------------------------------------------------------

TEST_P(StoreContractTest, ConsumeRateCountsOnlyAllowedEvents) {
  const server::RateLimit limit{1000, 2};  // 2 at once, then 1/s
  EXPECT_TRUE(store_->consume_rate("k", limit, 10'000).allowed);
  EXPECT_TRUE(store_->consume_rate("k", limit, 10'000).allowed);
  const auto denied = store_->consume_rate("k", limit, 10'000);
  EXPECT_FALSE(denied.allowed);
  EXPECT_EQ(denied.retry_after_ms, 1000);
  EXPECT_FALSE(store_->consume_rate("k", limit, 10'999).allowed);  // a denial stores nothing
  EXPECT_TRUE(store_->consume_rate("k", limit, 11'000).allowed);
  EXPECT_FALSE(store_->consume_rate("k", limit, 11'000).allowed);
  EXPECT_TRUE(store_->consume_rate("other", limit, 11'000).allowed);  // keys are independent
}

TEST_P(StoreContractTest, ConsumeRateForgetsATimeFarAheadOfAClockThatSteppedBack) {
  const server::RateLimit limit{1000, 2};
  ASSERT_TRUE(store_->consume_rate("k", limit, 100'000).allowed);
  ASSERT_TRUE(store_->consume_rate("k", limit, 100'000).allowed);  // the key's time: 102,000
  // A small step back keeps the limit: 102,000 is within two burst periods of 99,500.
  const auto denied = store_->consume_rate("k", limit, 99'500);
  EXPECT_FALSE(denied.allowed);
  EXPECT_EQ(denied.retry_after_ms, 1500);
  // A step back of 90 s would lock the key out for 90 s: the stored time is forgotten.
  EXPECT_TRUE(store_->consume_rate("k", limit, 10'000).allowed);
  EXPECT_TRUE(store_->consume_rate("k", limit, 10'000).allowed);
  EXPECT_FALSE(store_->consume_rate("k", limit, 10'000).allowed);
}

// ---- restarts and other instances ------------------------------------------------------------

TEST_P(StoreContractTest, ConsumeRateSurvivesReopen) {
  const server::RateLimit limit{1000, 1};
  EXPECT_TRUE(store_->consume_rate("k", limit, 5000).allowed);
  reopen();
  EXPECT_FALSE(store_->consume_rate("k", limit, 5500).allowed);
}

TEST_P(StoreContractTest, EverythingSurvivesClosingAndReopening) {
  store_->put_meta_if_absent("m", "v");
  store_->ensure_service_provider("sp", 1);
  store_->insert_key(key("k1", "hs256", 1));
  ASSERT_EQ(store_->register_client(client("c1", "s1"), std::nullopt, 1).result, CreationResult::kCreated);
  ASSERT_EQ(store_->issue_access_token(AccessTokenRecord{"t1", "c1", 99}, std::nullopt, 1).result,
            CreationResult::kCreated);
  store_->revoke_software_statement("s-revoked", 1);
  const DeviceLink phone = linked(device("sp", "d1", "p1", 5));
  ASSERT_EQ(store_->create_link_code(phone, NewLinkCode{{"code"}, 100'000, 5}, 10).inserted, 0u);
  store_->insert_mvpd_session(
      MvpdSessionRecord{"s1", "sp", "sess", "p1", "d1", "A", "example.com", "https://example.com/back", 10, 100'000});
  store_->upsert_mvpd_profile(MvpdProfileRecord{"sp", "p1", "A", "d1", "u", 10, 100'000}, 10);
  reopen();
  EXPECT_EQ(store_->get_meta("m"), "v");
  EXPECT_TRUE(store_->service_provider_exists("sp"));
  ASSERT_EQ(store_->keys().size(), 1u);
  EXPECT_EQ(store_->keys()[0].kid, "k1");
  EXPECT_EQ(store_->find_client("c1")->service_providers, std::vector<std::string>{"sp"});
  EXPECT_EQ(store_->find_client("c1")->statement_id, "s1");
  EXPECT_EQ(store_->find_access_token("t1")->expires_at, 99);
  EXPECT_EQ(store_->register_client(client("c2", "s-revoked"), std::nullopt, 20).result,
            CreationResult::kStatementRevoked);
  EXPECT_EQ(store_->find_device("sp", "d1")->profile_id, "p1");
  EXPECT_EQ(store_->check_device_link(phone, 20), "p1");  // the link too
  EXPECT_TRUE(store_->find_mvpd_session("s1"));
  EXPECT_EQ(store_->list_mvpd_profiles("sp", "p1", 20).size(), 1u);
  const auto outcome =
      store_->redeem_link_code("code", device("sp", "tv", "", 20, DeviceType::kSso), {}, JoinLimits{}, 20);
  EXPECT_EQ(outcome.result, RedeemResult::kRedeemed);
  EXPECT_EQ(outcome.profile_id, "p1");
}

// Instances may cache records once found, but a read never misses a write committed through
// another instance, even when the same read found nothing before.
TEST_P(StoreContractTest, ReadsSeeWritesCommittedThroughAnotherInstance) {
  auto other = open_another();
  EXPECT_EQ(other->find_client("c1"), std::nullopt);
  EXPECT_EQ(other->find_access_token("t1"), std::nullopt);
  EXPECT_EQ(other->get_meta("m"), std::nullopt);
  EXPECT_FALSE(other->service_provider_exists("sp"));
  EXPECT_EQ(other->find_device("sp", "d1"), std::nullopt);

  ASSERT_EQ(store_->register_client(client("c1", "s1"), std::nullopt, 1).result, CreationResult::kCreated);
  ASSERT_EQ(store_->issue_access_token(AccessTokenRecord{"t1", "c1", 99}, std::nullopt, 1).result,
            CreationResult::kCreated);
  store_->put_meta_if_absent("m", "v");
  store_->ensure_service_provider("sp", 1);
  const DeviceLink d1 = linked(device("sp", "d1", "p1", 5));
  store_->insert_key_if_purpose_absent(key("k1", "hs256", 1));

  EXPECT_EQ(other->find_client("c1")->statement_id, "s1");
  EXPECT_EQ(other->find_access_token("t1")->client_id, "c1");
  EXPECT_EQ(other->get_meta("m"), "v");
  EXPECT_TRUE(other->service_provider_exists("sp"));
  EXPECT_EQ(other->check_device_link(d1, 10), "p1");
  ASSERT_EQ(other->keys().size(), 1u);
  EXPECT_EQ(other->insert_key_if_purpose_absent(key("k2", "hs256", 2)).kid, "k1");

  // A revocation through one instance refuses through the other at once.
  other->revoke_software_statement("s1", 20);
  EXPECT_EQ(store_->issue_access_token(AccessTokenRecord{"t2", "c1", 99}, std::nullopt, 20).result,
            CreationResult::kStatementRevoked);
  // An unlink through one instance ends the link for the other at once.
  EXPECT_EQ(other->unlink_devices(d1, {"d1"}, 30).unlinked, std::vector<std::string>{"d1"});
  EXPECT_EQ(store_->check_device_link(d1, 40), std::nullopt);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContractTest, ::testing::ValuesIn(store_backends()), backend_name);

}  // namespace
}  // namespace ssokit::store::testing
