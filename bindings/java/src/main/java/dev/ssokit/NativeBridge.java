package dev.ssokit;

/**
 * The native methods of libssokit_jni (bindings/java/src/main/native), one per C API function
 * the binding uses. Pointers travel as longs; 0 is NULL. Failures are thrown as SsoException.
 * Asynchronous methods either queue the call (its PendingCompletion then hears back exactly
 * once) or throw without queuing anything.
 */
final class NativeBridge {
  static {
    System.loadLibrary("ssokit_jni");
  }

  private NativeBridge() {}

  static native String version();

  static native String statusName(int status);

  // A client (a native struct holding the ssokit_client and global refs to the app's platform
  // services). defaultTimeoutMillis < 0 and asyncThreads <= 0 keep the SDK's defaults; null
  // strings and services are left unset (the SDK names what is missing).
  static native long create(String server, String serviceProvider, String softwareStatement,
                            boolean allowInsecureHttp, long defaultTimeoutMillis, int asyncThreads,
                            String rawDeviceId, String appSalt, String deviceInfoJson, SecureStore store,
                            PlatformIdentity identity, LogListener log) throws SsoException;

  static native void free(long client);

  // timeoutMillis < 0: no timeout of its own.
  static native long callNew(long timeoutMillis, boolean fromServer);

  static native void callCancel(long call);

  static native void callFree(long call);

  static native ServiceToken signIn(long client, String ssoId, long call) throws SsoException;

  static native ServiceToken redeemLinkCode(long client, String code, long call) throws SsoException;

  static native ServiceToken signInWithPlatformIdentity(long client, long call) throws SsoException;

  static native ServiceToken serviceToken(long client, long call) throws SsoException;

  static native LinkCode createLinkCode(long client, long call) throws SsoException;

  static native Device[] listDevices(long client, long call) throws SsoException;

  static native String[] unlinkDevices(long client, String[] deviceIds, long call) throws SsoException;

  static native void signOut(long client) throws SsoException;

  static native boolean signedIn(long client);

  static native String deviceId(long client) throws SsoException;

  static native void signInAsync(long client, String ssoId, long call, PendingCompletion<?> done)
      throws SsoException;

  static native void redeemLinkCodeAsync(long client, String code, long call, PendingCompletion<?> done)
      throws SsoException;

  static native void signInWithPlatformIdentityAsync(long client, long call, PendingCompletion<?> done)
      throws SsoException;

  static native void serviceTokenAsync(long client, long call, PendingCompletion<?> done) throws SsoException;

  static native void createLinkCodeAsync(long client, long call, PendingCompletion<?> done) throws SsoException;

  static native void listDevicesAsync(long client, long call, PendingCompletion<?> done) throws SsoException;

  static native void unlinkDevicesAsync(long client, String[] deviceIds, long call, PendingCompletion<?> done)
      throws SsoException;
}
