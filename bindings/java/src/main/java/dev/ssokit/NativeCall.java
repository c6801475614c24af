package dev.ssokit;

import java.time.Duration;

/**
 * One C {@code ssokit_call}: the options of one SDK call, made per call so that a future's
 * cancel() reaches that call alone while {@link CallOptions#cancel()} reaches all of its calls.
 * Freed when the call has finished, never while the SDK may still read it.
 */
final class NativeCall implements AutoCloseable {
  private static final long NO_TIMEOUT = -1;
  // Longer timeouts are read as this: far beyond any call, and safe from overflow in the SDK's clocks.
  private static final long LONGEST_TIMEOUT_MILLIS = Duration.ofDays(365).toMillis();

  private final CallOptions options;  // null: the client's defaults, no shared cancellation
  private long pointer;

  private NativeCall(CallOptions options, long pointer) {
    this.options = options;
    this.pointer = pointer;
  }

  static NativeCall open(CallOptions options) {
    long timeoutMillis = NO_TIMEOUT;
    boolean fromServer = false;
    if (options != null) {
      Duration timeout = options.timeout();
      if (timeout != null) timeoutMillis = millis(timeout);
      fromServer = options.fromServer();
    }
    NativeCall call = new NativeCall(options, NativeBridge.callNew(timeoutMillis, fromServer));
    if (options != null) options.register(call);
    return call;
  }

  synchronized long pointer() {
    return pointer;
  }

  synchronized void cancel() {
    if (pointer != 0) NativeBridge.callCancel(pointer);
  }

  @Override
  public void close() {
    if (options != null) options.unregister(this);
    synchronized (this) {
      if (pointer == 0) return;
      NativeBridge.callFree(pointer);
      pointer = 0;
    }
  }

  // A timeout as the C API takes it.
  static long millis(Duration duration) {
    if (duration.compareTo(Duration.ofMillis(LONGEST_TIMEOUT_MILLIS)) > 0) return LONGEST_TIMEOUT_MILLIS;
    return duration.toMillis();
  }
}
