package dev.ssokit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The platform services an app writes in Java: the secure store (and what its exceptions
 * become), the log listener, the platform identity, and the checks on what the app passes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlatformServicesTest {
  private static final long WAIT_SECONDS = 30;

  private Path keys;
  private PlatformIdentityTokens platform;
  private ReferenceServer server;

  @BeforeAll
  void startServer() throws Exception {
    keys = Files.createTempDirectory("ssokit-java-keys-");
    platform = new PlatformIdentityTokens("tizen");
    server = ReferenceServer.start(platform.serverFlags(keys));
  }

  @AfterAll
  void stopServer() throws Exception {
    server.close();
    try (var files = Files.list(keys)) {
      for (Path file : (Iterable<Path>) files::iterator) Files.delete(file);
    }
    Files.delete(keys);
  }

  @Test
  void theSdkKeepsItsStateInTheAppsStore() throws Exception {
    TestDevice phone = TestDevice.phone();
    try (SsoClient first = phone.client(server)) {
      first.signIn("peggy");
    }
    assertTrue(phone.store.size() > 0, "credentials and token stored");
    try (SsoClient again = phone.client(server)) {  // the app's next run
      assertTrue(again.isSignedIn());
      assertEquals(1, again.listDevices().size());
    }
  }

  @Test
  void aStoreThatThrowsFailsTheCallWithStorageError() throws Exception {
    TestDevice device = TestDevice.tv();
    List<String> lines = new CopyOnWriteArrayList<>();
    try (SsoClient tv = device.builder(server).logListener((level, line) -> lines.add(level + " " + line)).build()) {
      device.store.breakWith("the Keystore key is gone: secret-value-42");
      SsoException failed = assertThrows(SsoException.class, () -> tv.signIn("quentin"));
      assertEquals(ErrorCode.STORAGE_ERROR, failed.code());
      ExecutionException async = assertThrows(ExecutionException.class,
          () -> tv.signInAsync("quentin").get(WAIT_SECONDS, TimeUnit.SECONDS));
      assertEquals(ErrorCode.STORAGE_ERROR, assertInstanceOf(SsoException.class, async.getCause()).code());
      assertTrue(lines.stream().anyMatch(line -> line.contains("threw java.io.IOException")), lines.toString());
      assertFalse(lines.stream().anyMatch(line -> line.contains("secret-value-42")), "no exception message in logs");
    }
  }

  @Test
  void aStoreThatBreaksLaterFailsTheCallsThatReadIt() throws Exception {
    TestDevice device = TestDevice.phone();
    try (SsoClient phone = device.client(server)) {
      ServiceToken token = phone.signIn("rupert");
      device.store.breakWith("disk full");
      assertEquals(token, phone.serviceToken(), "the running client answers from memory");
    }
    // The app's next run: a token that cannot be read is no token, and signing in again needs
    // the app's credentials from the store.
    try (SsoClient again = device.client(server)) {
      assertEquals(ErrorCode.NOT_SIGNED_IN, assertThrows(SsoException.class, again::serviceToken).code());
      assertEquals(ErrorCode.STORAGE_ERROR, assertThrows(SsoException.class, () -> again.signIn("rupert")).code());
    }
  }

  @Test
  void theLogListenerHearsTheSdkAndMayThrow() throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    TestDevice device = TestDevice.phone();
    try (SsoClient phone = device.builder(server).logListener((level, line) -> {
      lines.add(line);
      throw new IllegalStateException("a listener that throws changes nothing");
    }).build()) {
      ServiceToken token = phone.signIn("sybil");
      assertTrue(phone.listDevicesAsync().get(WAIT_SECONDS, TimeUnit.SECONDS).size() == 1);
      assertFalse(lines.isEmpty(), "the SDK logged");
      assertFalse(lines.stream().anyMatch(line -> line.contains(token.value())), "tokens stay out of logs");
      assertFalse(lines.stream().anyMatch(line -> line.contains(device.rawId)), "the raw id stays out of logs");
    }
  }

  @Test
  void twoDevicesOfOnePlatformAccountShareAProfile() throws Exception {
    String token = platform.tokenFor("account-1234");
    try (SsoClient tv = TestDevice.tv().builder(server).platformIdentity(() -> token).build();
         SsoClient stick = TestDevice.tv().builder(server).platformIdentity(() -> token).build()) {
      tv.signInWithPlatformIdentity();
      stick.signInWithPlatformIdentityAsync().get(WAIT_SECONDS, TimeUnit.SECONDS);
      List<Device> devices = tv.listDevices();
      assertEquals(2, devices.size());
      assertTrue(devices.stream().allMatch(device -> device.linkType() == LinkType.REGULAR));
    }
  }

  @Test
  void aPlatformWithoutATokenIsAnInvalidArgument() throws Exception {
    try (SsoClient none = TestDevice.tv().builder(server).platformIdentity(() -> null).build();
         SsoClient throwing = TestDevice.tv().builder(server).platformIdentity(() -> {
           throw new IllegalStateException("no account signed in on this TV");
         }).build();
         SsoClient unset = TestDevice.tv().client(server)) {
      assertEquals(ErrorCode.INVALID_ARGUMENT,
          assertThrows(SsoException.class, none::signInWithPlatformIdentity).code());
      assertEquals(ErrorCode.INVALID_ARGUMENT,
          assertThrows(SsoException.class, throwing::signInWithPlatformIdentity).code());
      assertEquals(ErrorCode.INVALID_ARGUMENT,
          assertThrows(SsoException.class, unset::signInWithPlatformIdentity).code());
    }
  }

  @Test
  void aMissingServiceIsNamedWhenTheClientIsBuilt() throws Exception {
    SsoClient.Builder noStore = SsoClient.builder().server(server.baseUrl()).serviceProvider("demo")
        .softwareStatement(server.softwareStatement("demo")).deviceId("raw", "salt")
        .deviceInfo(DeviceInfo.builder(DeviceInfo.TV).build());
    SsoException missing = assertThrows(SsoException.class, noStore::build);
    assertEquals(ErrorCode.INVALID_ARGUMENT, missing.code());
    assertTrue(missing.getMessage().toLowerCase().contains("store"), missing.getMessage());

    SsoException noServer = assertThrows(SsoException.class,
        () -> SsoClient.builder().serviceProvider("demo").softwareStatement("x").deviceId("raw", "salt")
            .deviceInfoJson("{}").secureStore(new MemorySecureStore()).build());
    assertEquals(ErrorCode.INVALID_ARGUMENT, noServer.code());
  }

  @Test
  void plainHttpToAnotherMachineNeedsTheTestNetworkSwitch() throws Exception {
    SsoException refused = assertThrows(SsoException.class,
        () -> TestDevice.tv().builder(server).server("http://192.0.2.1:8080").build());
    assertEquals(ErrorCode.INVALID_ARGUMENT, refused.code());
    TestDevice.tv().builder(server).server("http://192.0.2.1:8080").allowInsecureHttp(true).build().close();
  }

  @Test
  void aNulCharacterInAnArgumentIsRefusedNotCut() throws Exception {
    try (SsoClient phone = TestDevice.phone().client(server)) {
      SsoException refused = assertThrows(SsoException.class, () -> phone.signIn("alice\u0000admin"));
      assertEquals(ErrorCode.INVALID_ARGUMENT, refused.code());
      assertTrue(refused.getMessage().contains("ssoId"), refused.getMessage());
      assertFalse(phone.isSignedIn());
    }
  }

  @Test
  void aClosedClientRefusesCalls() throws Exception {
    SsoClient phone = TestDevice.phone().client(server);
    phone.close();
    assertThrows(IllegalStateException.class, () -> phone.signIn("trent"));
    assertThrows(IllegalStateException.class, phone::deviceId);
  }
}
