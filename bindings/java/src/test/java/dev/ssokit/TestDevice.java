package dev.ssokit;

import java.io.IOException;
import java.util.UUID;

/**
 * One simulated device of a test: its own raw id, store and device info, and a client of the
 * reference server built from them.
 */
final class TestDevice {
  static final String SERVICE_PROVIDER = "demo";
  static final String SALT = "ssokit-java-tests";

  final String rawId = UUID.randomUUID().toString();
  final MemorySecureStore store = new MemorySecureStore();
  final DeviceInfo info;

  private TestDevice(DeviceInfo info) {
    this.info = info;
  }

  static TestDevice phone() {
    return new TestDevice(DeviceInfo.builder(DeviceInfo.MOBILE_PHONE).manufacturer("Google").model("Pixel 8")
        .osName("Android").osVersion("14").build());
  }

  static TestDevice tv() {
    return new TestDevice(DeviceInfo.builder(DeviceInfo.TV).manufacturer("Amazon").model("AFTKA")
        .osName("Fire OS").osVersion("8").build());
  }

  static TestDevice of(DeviceInfo info) {
    return new TestDevice(info);
  }

  /** The builder of this device's client: its services, the server and the app's statement. */
  SsoClient.Builder builder(ReferenceServer server) throws IOException, InterruptedException {
    return SsoClient.builder()
        .server(server.baseUrl())
        .serviceProvider(SERVICE_PROVIDER)
        .softwareStatement(server.softwareStatement(SERVICE_PROVIDER))
        .deviceId(rawId, SALT)
        .deviceInfo(info)
        .secureStore(store);
  }

  SsoClient client(ReferenceServer server) throws IOException, InterruptedException, SsoException {
    return builder(server).build();
  }
}
