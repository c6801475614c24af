package dev.ssokit;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * Options of one call or of a group of calls: a deadline, whether the answer must come from the
 * server, and cancellation. Set it up, then pass it to any number of calls, blocking or
 * asynchronous; {@link #cancel()} may be called from any thread.
 *
 * <pre>{@code
 * CallOptions options = new CallOptions().timeout(Duration.ofSeconds(5));
 * CompletableFuture<List<Device>> devices = client.listDevicesAsync(options);
 * // leaving the screen:
 * options.cancel();   // the call completes with ErrorCode.CANCELLED
 * }</pre>
 */
public final class CallOptions {
  private volatile Duration timeout;
  private volatile boolean fromServer;
  // The native calls made with these options and not finished yet: what cancel() reaches.
  private final Set<NativeCall> running = new HashSet<>();
  private boolean cancelled;

  /**
   * The whole call, retries and waits included, must finish within {@code timeout} of its start.
   * Without it, the client's {@link SsoClient.Builder#defaultTimeout default timeout} applies. A
   * timeout longer than a year is read as a year.
   */
  public CallOptions timeout(Duration timeout) {
    if (timeout.isNegative()) throw new IllegalArgumentException("timeout must not be negative");
    this.timeout = timeout;
    return this;
  }

  /**
   * {@code true}: {@link SsoClient#serviceToken} asks the server now instead of answering from
   * its cache, which proves this device is still linked ({@link ErrorCode#DEVICE_UNLINKED} when
   * another device unlinked it). A failure is then the answer, never the cached token. Other
   * calls reach the server anyway.
   */
  public CallOptions fromServer(boolean fromServer) {
    this.fromServer = fromServer;
    return this;
  }

  /**
   * Cancels every call made with these options, running or still to come: each answers
   * {@link ErrorCode#CANCELLED} promptly (a call that already finished keeps its result).
   */
  public void cancel() {
    synchronized (running) {
      cancelled = true;
      for (NativeCall call : running) call.cancel();
    }
  }

  public boolean isCancelled() {
    synchronized (running) {
      return cancelled;
    }
  }

  Duration timeout() {
    return timeout;
  }

  boolean fromServer() {
    return fromServer;
  }

  void register(NativeCall call) {
    synchronized (running) {
      if (cancelled) call.cancel();
      running.add(call);
    }
  }

  void unregister(NativeCall call) {
    synchronized (running) {
      running.remove(call);
    }
  }
}
