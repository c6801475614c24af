package dev.ssokit;

/**
 * Where the SDK keeps its few small values between runs (the app's client credentials and the
 * service token): on Android, storage encrypted with a key in the Android Keystore. The values
 * are opaque bytes; keep them exactly.
 *
 * <p>Called from any thread the SDK runs on (the app's thread during a blocking call, an SDK
 * worker during an asynchronous one), concurrently: implementations must be thread-safe. An
 * exception thrown here fails the SDK call with {@link ErrorCode#STORAGE_ERROR}; it never
 * reaches the SDK's threads.
 */
public interface SecureStore {
  /** The value stored under {@code key}, or null when there is none. */
  byte[] get(String key) throws Exception;

  /** Stores {@code value} under {@code key}, atomically: after a crash, the old value or the new one. */
  void put(String key, byte[] value) throws Exception;

  /** Removes {@code key}; removing a missing key is not an error. */
  void remove(String key) throws Exception;
}
