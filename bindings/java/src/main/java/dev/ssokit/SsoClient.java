package dev.ssokit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * One device's ssokit client: sign in, pair devices with link codes, list and unlink them, and
 * hand out the service token the app's backend checks. Built with {@link #builder()}; the app
 * supplies the platform's services (secure store, device id, device info) in Java or Kotlin.
 *
 * <p>Thread-safe: call any method from any thread. Blocking methods do network I/O and may take
 * up to their timeout (30 s by default): never call them on Android's main thread; use the
 * {@code ...Async} forms there. Close the client when the app is done with it.
 */
public final class SsoClient implements AutoCloseable {
  // Calls hold the read lock while they use the native handle; close() takes the write lock to
  // take the handle away, so it is never freed under a running call.
  private final ReentrantReadWriteLock guard = new ReentrantReadWriteLock();
  private long handle;
  private final Executor callbackExecutor;

  private SsoClient(long handle, Executor callbackExecutor) {
    this.handle = handle;
    this.callbackExecutor = callbackExecutor;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Signs in with the app's own account id. */
  public ServiceToken signIn(String ssoId) throws SsoException {
    return signIn(ssoId, null);
  }

  public ServiceToken signIn(String ssoId, CallOptions options) throws SsoException {
    Objects.requireNonNull(ssoId, "ssoId");
    return blocking(options, (client, call) -> NativeBridge.signIn(client, ssoId, call));
  }

  /** Joins the profile of another device with the code it shows. */
  public ServiceToken redeemLinkCode(String code) throws SsoException {
    return redeemLinkCode(code, null);
  }

  public ServiceToken redeemLinkCode(String code, CallOptions options) throws SsoException {
    Objects.requireNonNull(code, "code");
    return blocking(options, (client, call) -> NativeBridge.redeemLinkCode(client, code, call));
  }

  /** Signs in with the platform's identity token ({@link Builder#platformIdentity}). */
  public ServiceToken signInWithPlatformIdentity() throws SsoException {
    return signInWithPlatformIdentity(null);
  }

  public ServiceToken signInWithPlatformIdentity(CallOptions options) throws SsoException {
    return blocking(options, NativeBridge::signInWithPlatformIdentity);
  }

  /**
   * The current service token: from the cache, refreshed ahead of expiry. A cached token says
   * the device was linked when the server issued it; before playback, ask with
   * {@code new CallOptions().fromServer(true)}, which answers {@link ErrorCode#DEVICE_UNLINKED}
   * when another device unlinked this one.
   */
  public ServiceToken serviceToken() throws SsoException {
    return serviceToken(null);
  }

  public ServiceToken serviceToken(CallOptions options) throws SsoException {
    return blocking(options, NativeBridge::serviceToken);
  }

  /** A code for another device of this profile to type (a phone shows it to the TV's user). */
  public LinkCode createLinkCode() throws SsoException {
    return createLinkCode(null);
  }

  public LinkCode createLinkCode(CallOptions options) throws SsoException {
    return blocking(options, NativeBridge::createLinkCode);
  }

  /** The devices of this profile, oldest first. */
  public List<Device> listDevices() throws SsoException {
    return listDevices(null);
  }

  public List<Device> listDevices(CallOptions options) throws SsoException {
    return asList(blocking(options, NativeBridge::listDevices));
  }

  /** Unlinks devices of this profile; answers the ids the server actually unlinked. */
  public List<String> unlinkDevices(Collection<String> deviceIds) throws SsoException {
    return unlinkDevices(deviceIds, null);
  }

  public List<String> unlinkDevices(Collection<String> deviceIds, CallOptions options) throws SsoException {
    String[] ids = idArray(deviceIds);
    return asList(blocking(options, (client, call) -> NativeBridge.unlinkDevices(client, ids, call)));
  }

  /** Forgets the service token on this device (it stays in the profile's list until unlinked). */
  public void signOut() throws SsoException {
    blocking(null, (client, call) -> {
      NativeBridge.signOut(client);
      return null;
    });
  }

  /** Whether a service token is held (cached: see {@link #serviceToken(CallOptions)}). */
  public boolean isSignedIn() {
    Lock lock = guard.readLock();
    lock.lock();
    try {
      return NativeBridge.signedIn(openHandle());
    } finally {
      lock.unlock();
    }
  }

  /** This device's id as the server knows it (the hash of the raw id and the app's salt). */
  public String deviceId() throws SsoException {
    return blocking(null, (client, call) -> NativeBridge.deviceId(client));
  }

  // ---- asynchronous forms ---------------------------------------------------------------------
  // Each returns at once. The future completes exactly once: with the value, or exceptionally
  // with an SsoException (cancelled through its CallOptions: ErrorCode.CANCELLED). Cancelling the
  // future itself stops the call too. It completes on an SDK worker thread, or on the
  // Builder's callbackExecutor when one is set; do not block in stages that run there.

  public CompletableFuture<ServiceToken> signInAsync(String ssoId) {
    return signInAsync(ssoId, null);
  }

  public CompletableFuture<ServiceToken> signInAsync(String ssoId, CallOptions options) {
    Objects.requireNonNull(ssoId, "ssoId");
    return async(options, ServiceToken.class::cast,
        (client, call, done) -> NativeBridge.signInAsync(client, ssoId, call, done));
  }

  public CompletableFuture<ServiceToken> redeemLinkCodeAsync(String code) {
    return redeemLinkCodeAsync(code, null);
  }

  public CompletableFuture<ServiceToken> redeemLinkCodeAsync(String code, CallOptions options) {
    Objects.requireNonNull(code, "code");
    return async(options, ServiceToken.class::cast,
        (client, call, done) -> NativeBridge.redeemLinkCodeAsync(client, code, call, done));
  }

  public CompletableFuture<ServiceToken> signInWithPlatformIdentityAsync() {
    return signInWithPlatformIdentityAsync(null);
  }

  public CompletableFuture<ServiceToken> signInWithPlatformIdentityAsync(CallOptions options) {
    return async(options, ServiceToken.class::cast, NativeBridge::signInWithPlatformIdentityAsync);
  }

  public CompletableFuture<ServiceToken> serviceTokenAsync() {
    return serviceTokenAsync(null);
  }

  public CompletableFuture<ServiceToken> serviceTokenAsync(CallOptions options) {
    return async(options, ServiceToken.class::cast, NativeBridge::serviceTokenAsync);
  }

  public CompletableFuture<LinkCode> createLinkCodeAsync() {
    return createLinkCodeAsync(null);
  }

  public CompletableFuture<LinkCode> createLinkCodeAsync(CallOptions options) {
    return async(options, LinkCode.class::cast, NativeBridge::createLinkCodeAsync);
  }

  public CompletableFuture<List<Device>> listDevicesAsync() {
    return listDevicesAsync(null);
  }

  public CompletableFuture<List<Device>> listDevicesAsync(CallOptions options) {
    return async(options, devices -> asList((Device[]) devices), NativeBridge::listDevicesAsync);
  }

  public CompletableFuture<List<String>> unlinkDevicesAsync(Collection<String> deviceIds) {
    return unlinkDevicesAsync(deviceIds, null);
  }

  public CompletableFuture<List<String>> unlinkDevicesAsync(Collection<String> deviceIds, CallOptions options) {
    String[] ids = idArray(deviceIds);
    return async(options, unlinked -> asList((String[]) unlinked),
        (client, call, done) -> NativeBridge.unlinkDevicesAsync(client, ids, call, done));
  }

  /**
   * Finishes the asynchronous calls already queued (each future still completes), waits for
   * blocking calls in flight, then frees the client; later calls throw IllegalStateException.
   * Cancel running calls first when in a hurry. Do not call it from the platform services
   * (SecureStore, PlatformIdentity, LogListener): the call that runs them still holds the client.
   */
  @Override
  public void close() {
    long closing;
    Lock lock = guard.writeLock();
    lock.lock();
    try {
      closing = handle;
      handle = 0;
    } finally {
      lock.unlock();
    }
    if (closing == 0) return;
    if (PendingCompletion.onSdkWorker()) {
      // A worker cannot wait for the workers to finish, itself among them: a thread of its own does.
      new Thread(() -> NativeBridge.free(closing), "ssokit-close").start();
    } else {
      NativeBridge.free(closing);
    }
  }

  // ---- plumbing ---------------------------------------------------------------------------------

  @FunctionalInterface
  private interface BlockingCall<T> {
    T run(long client, long call) throws SsoException;
  }

  @FunctionalInterface
  private interface AsyncCall {
    void start(long client, long call, PendingCompletion<?> done) throws SsoException;
  }

  private <T> T blocking(CallOptions options, BlockingCall<T> body) throws SsoException {
    Lock lock = guard.readLock();
    lock.lock();
    try {
      long client = openHandle();
      if (options == null) return body.run(client, 0);
      try (NativeCall call = NativeCall.open(options)) {
        return body.run(client, call.pointer());
      }
    } finally {
      lock.unlock();
    }
  }

  private <T> CompletableFuture<T> async(CallOptions options, Function<Object, T> convert, AsyncCall body) {
    Lock lock = guard.readLock();
    lock.lock();
    try {
      long client = openHandle();
      // A call of its own even without options, so that the future's cancel() reaches it.
      PendingCompletion<T> pending = new PendingCompletion<>(NativeCall.open(options), callbackExecutor, convert);
      try {
        body.start(client, pending.call().pointer(), pending);
      } catch (SsoException notQueued) {
        pending.notQueued(notQueued);
      }
      return pending.future();
    } finally {
      lock.unlock();
    }
  }

  private long openHandle() {
    if (handle == 0) throw new IllegalStateException("this SsoClient is closed");
    return handle;
  }

  private static String[] idArray(Collection<String> deviceIds) {
    List<String> ids = new ArrayList<>(Objects.requireNonNull(deviceIds, "deviceIds"));
    for (String id : ids) Objects.requireNonNull(id, "a device id");
    return ids.toArray(new String[0]);
  }

  private static <E> List<E> asList(E[] items) {
    return Collections.unmodifiableList(Arrays.asList(items));
  }

  /**
   * The server, the app, and the platform's services. Required: {@link #server},
   * {@link #serviceProvider}, {@link #softwareStatement}, {@link #deviceId}, {@link #deviceInfo}
   * and {@link #secureStore}; {@link #build()} names what is missing.
   */
  public static final class Builder {
    private String server;
    private String serviceProvider;
    private String softwareStatement;
    private boolean allowInsecureHttp;
    private Duration defaultTimeout;
    private int asyncThreads;
    private String rawDeviceId;
    private String appSalt;
    private String deviceInfoJson;
    private SecureStore secureStore;
    private PlatformIdentity platformIdentity;
    private LogListener logListener;
    private Executor callbackExecutor;

    private Builder() {}

    /** The ssokit server, {@code https://...}. */
    public Builder server(String url) {
      this.server = Objects.requireNonNull(url, "url");
      return this;
    }

    /** The service provider the app belongs to, e.g. "demo". */
    public Builder serviceProvider(String serviceProvider) {
      this.serviceProvider = Objects.requireNonNull(serviceProvider, "serviceProvider");
      return this;
    }

    /** The app's software statement, from the service's operator. */
    public Builder softwareStatement(String softwareStatement) {
      this.softwareStatement = Objects.requireNonNull(softwareStatement, "softwareStatement");
      return this;
    }

    /** Allows {@code http://} to another machine: for test networks only (loopback is always allowed). */
    public Builder allowInsecureHttp(boolean allow) {
      this.allowInsecureHttp = allow;
      return this;
    }

    /** The deadline of a call whose CallOptions set none (30 s unless set). */
    public Builder defaultTimeout(Duration timeout) {
      if (timeout.isNegative()) throw new IllegalArgumentException("timeout must not be negative");
      this.defaultTimeout = timeout;
      return this;
    }

    /** The SDK worker threads that run asynchronous calls (2 unless set). */
    public Builder asyncThreads(int threads) {
      if (threads < 1) throw new IllegalArgumentException("asyncThreads must be at least 1");
      this.asyncThreads = threads;
      return this;
    }

    /**
     * The device id, from the raw id the platform gives (Android's {@code ANDROID_ID}, Fire TV's
     * too): hashed with the app's salt (SHA-256, base64) inside the SDK; the raw id is kept nowhere.
     */
    public Builder deviceId(String rawId, String appSalt) {
      this.rawDeviceId = Objects.requireNonNull(rawId, "rawId");
      this.appSalt = Objects.requireNonNull(appSalt, "appSalt");
      return this;
    }

    /** What the device says about itself. */
    public Builder deviceInfo(DeviceInfo deviceInfo) {
      return deviceInfoJson(deviceInfo.toJson());
    }

    /** The same as a JSON object, e.g. {@code {"primaryHardwareType":"TV","model":"AFTMM"}}. */
    public Builder deviceInfoJson(String json) {
      this.deviceInfoJson = Objects.requireNonNull(json, "json");
      return this;
    }

    public Builder secureStore(SecureStore store) {
      this.secureStore = Objects.requireNonNull(store, "store");
      return this;
    }

    /** Optional: the platform's identity token, for {@link SsoClient#signInWithPlatformIdentity()}. */
    public Builder platformIdentity(PlatformIdentity identity) {
      this.platformIdentity = Objects.requireNonNull(identity, "identity");
      return this;
    }

    /** Optional: the SDK's log lines. */
    public Builder logListener(LogListener listener) {
      this.logListener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Optional: where the futures of asynchronous calls complete (Android: the main thread's
     * executor, {@code ContextCompat.getMainExecutor(context)}). Without it, they complete on
     * an SDK worker thread.
     */
    public Builder callbackExecutor(Executor executor) {
      this.callbackExecutor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** Checks the options (no network call); {@link ErrorCode#INVALID_ARGUMENT} names what is wrong. */
    public SsoClient build() throws SsoException {
      long timeoutMillis = defaultTimeout == null ? -1 : NativeCall.millis(defaultTimeout);
      long handle = NativeBridge.create(server, serviceProvider, softwareStatement, allowInsecureHttp, timeoutMillis,
          asyncThreads, rawDeviceId, appSalt, deviceInfoJson, secureStore, platformIdentity, logListener);
      return new SsoClient(handle, callbackExecutor);
    }
  }
}
