package dev.ssokit;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tests' SecureStore: a map in memory, one per simulated device. {@link #breakWith} makes
 * every later access throw, as a Keystore that lost its key does.
 */
final class MemorySecureStore implements SecureStore {
  private final Map<String, byte[]> values = new ConcurrentHashMap<>();
  private volatile String failure;

  void breakWith(String message) {
    failure = message;
  }

  int size() {
    return values.size();
  }

  @Override
  public byte[] get(String key) throws IOException {
    failIfBroken();
    byte[] value = values.get(key);
    return value == null ? null : value.clone();
  }

  @Override
  public void put(String key, byte[] value) throws IOException {
    failIfBroken();
    values.put(key, value.clone());
  }

  @Override
  public void remove(String key) throws IOException {
    failIfBroken();
    values.remove(key);
  }

  private void failIfBroken() throws IOException {
    String message = failure;
    if (message != null) throw new IOException(message);
  }
}
