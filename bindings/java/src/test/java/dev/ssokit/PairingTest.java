package dev.ssokit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The pairing walk of the C API's test, through the Java binding against the real server: a
 * phone signs in and shows a code, a TV redeems it, the phone lists and unlinks the TV, and the
 * TV finds out when it asks the server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PairingTest {
  private ReferenceServer server;

  @BeforeAll
  void startServer() throws Exception {
    server = ReferenceServer.start();
  }

  @AfterAll
  void stopServer() throws Exception {
    server.close();
  }

  @Test
  void aPhoneAndATvPairListAndUnlink() throws Exception {
    TestDevice phoneDevice = TestDevice.phone();
    TestDevice tvDevice = TestDevice.tv();
    try (SsoClient phone = phoneDevice.client(server); SsoClient tv = tvDevice.client(server)) {
      assertFalse(phone.isSignedIn());
      ServiceToken phoneToken = phone.signIn("alice");
      assertTrue(phone.isSignedIn());
      assertFalse(phoneToken.value().isEmpty());
      assertTrue(phoneToken.notAfter().isAfter(phoneToken.notBefore()));
      assertFalse(phoneToken.toString().contains(phoneToken.value()), "a token's toString() hides the value");

      LinkCode code = phone.createLinkCode();
      assertEquals(6, code.value().length());
      assertEquals(Duration.ofMinutes(10), code.lifetime());

      ServiceToken tvToken = tv.redeemLinkCode(code.value());
      assertTrue(tv.isSignedIn());
      assertNotEquals(phoneToken.value(), tvToken.value());

      List<Device> devices = phone.listDevices();
      assertEquals(2, devices.size());
      Map<String, Device> byId = devices.stream().collect(Collectors.toMap(Device::id, Function.identity()));
      Device phoneListed = byId.get(phone.deviceId());
      Device tvListed = byId.get(tv.deviceId());
      assertEquals("MobilePhone", phoneListed.type());
      assertEquals("Pixel 8", phoneListed.model());
      assertEquals("Android", phoneListed.os());
      assertEquals("14", phoneListed.osVersion());
      assertEquals(LinkType.REGULAR, phoneListed.linkType());
      assertTrue(phoneListed.isCurrent());
      assertEquals("TV", tvListed.type());
      assertEquals("AFTKA", tvListed.model());
      assertEquals(LinkType.SSO, tvListed.linkType());
      assertFalse(tvListed.isCurrent());
      assertTrue(tvListed.lastSeen().isAfter(phoneToken.notBefore().minusSeconds(60)));
      assertThrows(UnsupportedOperationException.class, () -> devices.remove(0));

      assertEquals(List.of(tv.deviceId()), phone.unlinkDevices(List.of(tv.deviceId())));
      assertEquals(1, phone.listDevices().size());

      // The TV's cached token still answers; the server says it is unlinked.
      assertEquals(tvToken, tv.serviceToken());
      SsoException unlinked =
          assertThrows(SsoException.class, () -> tv.serviceToken(new CallOptions().fromServer(true)));
      assertEquals(ErrorCode.DEVICE_UNLINKED, unlinked.code());
      assertEquals("device_unlinked", unlinked.serverError().orElseThrow().code());
      assertFalse(tv.isSignedIn(), "the SDK cleared the unlinked device's state");
      assertEquals(ErrorCode.NOT_SIGNED_IN, assertThrows(SsoException.class, tv::serviceToken).code());
    }
  }

  @Test
  void aWrongLinkCodeCarriesTheServersErrorObject() throws Exception {
    try (SsoClient tv = TestDevice.tv().client(server)) {
      SsoException wrong = assertThrows(SsoException.class, () -> tv.redeemLinkCode("000000"));
      assertEquals(ErrorCode.LINK_CODE_INVALID, wrong.code());
      ServerError error = wrong.serverError().orElseThrow();
      assertEquals("link_code_invalid", error.code());
      assertEquals("get_new_link_code", error.action());
      assertEquals(wrong.httpStatus(), error.httpStatus());
      assertTrue(error.httpStatus() >= 400 && error.httpStatus() < 500, "status " + error.httpStatus());
      assertFalse(error.trace().isEmpty(), "a trace to quote in bug reports");
      assertEquals(Duration.ZERO, wrong.retryAfter());
      assertFalse(tv.isSignedIn());
    }
  }

  @Test
  void aUsedLinkCodeIsRefused() throws Exception {
    try (SsoClient phone = TestDevice.phone().client(server); SsoClient tv = TestDevice.tv().client(server);
         SsoClient another = TestDevice.tv().client(server)) {
      phone.signIn("bob");
      String code = phone.createLinkCode().value();
      tv.redeemLinkCode(code);
      assertEquals(ErrorCode.LINK_CODE_INVALID,
          assertThrows(SsoException.class, () -> another.redeemLinkCode(code)).code());
    }
  }

  @Test
  void textBeyondAsciiCrossesBothWays() throws Exception {
    // Characters beyond U+FFFF are where JNI's "modified UTF-8" and real UTF-8 part ways.
    String model = "Fernseher \u00fcber dem Kamin \uD83D\uDCFA";
    TestDevice device = TestDevice.of(DeviceInfo.builder(DeviceInfo.TV).model(model).osName("webOS \u00e9")
        .osVersion("6.0").extra("note", "quote \" backslash \\ tab \t").build());
    try (SsoClient client = device.client(server)) {
      client.signIn("\u00e7a-\uD83D\uDE00-user");
      Device listed = client.listDevices().get(0);
      assertEquals(model, listed.model());
      assertEquals("webOS \u00e9", listed.os());
    }
  }

  @Test
  void signingOutForgetsTheTokenButKeepsTheDeviceListed() throws Exception {
    try (SsoClient phone = TestDevice.phone().client(server)) {
      phone.signIn("carol");
      String id = phone.deviceId();
      phone.signOut();
      assertFalse(phone.isSignedIn());
      assertEquals(ErrorCode.NOT_SIGNED_IN, assertThrows(SsoException.class, phone::listDevices).code());
      phone.signIn("carol");
      assertEquals(List.of(id), phone.listDevices().stream().map(Device::id).collect(Collectors.toList()));
    }
  }

  @Test
  void theDeviceIdIsTheSaltedHashOfTheRawId() throws Exception {
    TestDevice device = TestDevice.tv();
    try (SsoClient first = device.client(server);
         SsoClient sameSalt = TestDevice.tv().builder(server).deviceId(device.rawId, TestDevice.SALT).build();
         SsoClient otherSalt = TestDevice.tv().builder(server).deviceId(device.rawId, "another app").build()) {
      assertEquals(44, first.deviceId().length(), "base64 of SHA-256");
      assertEquals(first.deviceId(), sameSalt.deviceId());
      assertNotEquals(first.deviceId(), otherSalt.deviceId());
      assertFalse(first.deviceId().contains(device.rawId));
    }
  }
}
