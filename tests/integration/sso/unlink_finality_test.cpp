// SPEC §2, attack review item 2: unlink is final for every token issued before it. Before,
// a token issued before an unlink worked again once the device signed in or joined again
// (and stayed refreshable for the whole grace): the server only checked that the device was
// linked to the token's profile now, not that it was the same linkage.
#include <string>

#include "json_text.hpp"
#include "jwt.hpp"
#include "metrics_text.hpp"
#include "sso_helpers.hpp"

namespace ssokit::testing::sso {
namespace {

using UnlinkFinalityTest = SsoTest;

TEST_F(UnlinkFinalityTest, ATokenIssuedBeforeAnUnlinkStaysDeadAfterTheDeviceJoinsAgain) {
  const SignedIn phone = sign_in("phone", "alice");
  const SignedIn old_tv = join("tv", create_link_code(phone));
  ASSERT_EQ(unlink(phone, devices_body({old_tv.device_id})).status, 200);
  const SignedIn new_tv = join("tv", create_link_code(phone));

  EXPECT_EQ(list(new_tv).status, 200);
  expect_error(list(old_tv), 401, "device_unlinked", "sign_in");
  expect_error(refresh(old_tv), 401, "device_unlinked", "sign_in");
  expect_error(link(old_tv), 401, "device_unlinked", "sign_in");
  // The new token is unharmed by the old one's refusal.
  EXPECT_EQ(refresh(new_tv).status, 200);
}

TEST_F(UnlinkFinalityTest, ATokenIssuedBeforeAnUnlinkStaysDeadAfterTheDeviceSignsInAgain) {
  const SignedIn old_phone = sign_in("phone", "alice");
  ASSERT_EQ(unlink(old_phone, devices_body({old_phone.device_id})).status, 200);
  const SignedIn new_phone = sign_in("phone", "alice");
  EXPECT_EQ(list(new_phone).status, 200);
  expect_error(list(old_phone), 401, "device_unlinked", "sign_in");
  expect_error(refresh(old_phone), 401, "device_unlinked", "sign_in");
}

TEST_F(UnlinkFinalityTest, ATokenIssuedBeforeAMoveStaysDeadWhenTheDeviceMovesBack) {
  const SignedIn as_alice = sign_in("tv", "alice");
  const SignedIn as_bob = sign_in("tv", "bob");  // the device moves to Bob's profile
  expect_error(list(as_alice), 401, "device_unlinked", "sign_in");
  const SignedIn alice_again = sign_in("tv", "alice");  // and back
  EXPECT_EQ(list(alice_again).status, 200);
  expect_error(list(as_alice), 401, "device_unlinked", "sign_in");
  expect_error(refresh(as_alice), 401, "device_unlinked", "sign_in");
  expect_error(list(as_bob), 401, "device_unlinked", "sign_in");
}

TEST_F(UnlinkFinalityTest, MovesAreCountedAndLoggedWithoutTheDeviceId) {
  // Device ids are an unauthenticated claim (docs/security.md): a move is worth watching.
  sign_in("tv", "alice");
  sign_in("tv", "alice");                         // not a move
  const SignedIn phone = sign_in("phone", "bob");
  sign_in("tv", "bob");                           // a move
  join("tv", create_link_code(sign_in("laptop", "carol")));  // a move by code
  join("phone", create_link_code(phone));         // already there: not a move
  EXPECT_EQ(metric_value(metrics(), "ssokit_device_moves_total"), 2.0);
  const std::string log = server().log();
  EXPECT_NE(log.find("device moved to another profile"), std::string::npos) << log;
  EXPECT_EQ(log.find(device_id("tv")), std::string::npos) << "a device id in the log";
}

TEST_F(UnlinkFinalityTest, SigningInAgainToTheSameProfileKeepsEarlierTokensValid) {
  // Not an unlink and not a move: an app that signs in twice must not log itself out.
  const SignedIn first = sign_in("phone", "alice");
  const SignedIn second = sign_in("phone", "alice");
  EXPECT_EQ(list(first).status, 200);
  EXPECT_EQ(list(second).status, 200);
}

TEST_F(UnlinkFinalityTest, AnOldTokenWithinTheRefreshGraceCannotBeRefreshedAfterAnUnlinkAndRejoin) {
  const SignedIn phone = sign_in("phone", "alice");
  const SignedIn tv = join("tv", create_link_code(phone));
  const HttpResponse refreshed = refresh(tv);  // a second old token of the same linkage
  ASSERT_EQ(refreshed.status, 200) << refreshed.body;
  const SignedIn tv_refreshed{tv.device_id, refreshed.json("serviceToken").value_or("")};
  ASSERT_EQ(unlink(phone, devices_body({tv.device_id})).status, 200);
  join("tv", create_link_code(phone));
  expect_error(refresh(tv), 401, "device_unlinked", "sign_in");
  expect_error(refresh(tv_refreshed), 401, "device_unlinked", "sign_in");
}

}  // namespace
}  // namespace ssokit::testing::sso
