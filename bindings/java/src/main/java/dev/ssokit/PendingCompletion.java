package dev.ssokit;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * One asynchronous SDK call on its way: the native library calls {@link #succeed} or
 * {@link #fail} exactly once, on an SDK worker thread, and this completes the app's future
 * there or on the client's callback executor.
 *
 * @param <T> what the future holds
 */
final class PendingCompletion<T> {
  // Set while an SDK worker completes a future: what the app runs then (its dependent stages)
  // runs on that worker, where SsoClient.close() must not wait for the workers to finish.
  private static final ThreadLocal<Boolean> ON_SDK_WORKER = ThreadLocal.withInitial(() -> false);

  private final NativeCall call;
  private final Executor executor;  // null: complete on the SDK worker
  private final Function<Object, T> convert;
  private final CompletableFuture<T> future;

  PendingCompletion(NativeCall call, Executor executor, Function<Object, T> convert) {
    this.call = call;
    this.executor = executor;
    this.convert = convert;
    this.future = new CompletableFuture<T>() {
      @Override
      public boolean cancel(boolean mayInterruptIfRunning) {
        call.cancel();  // the SDK stops the call at once; its late answer is dropped
        return super.cancel(mayInterruptIfRunning);
      }
    };
  }

  NativeCall call() {
    return call;
  }

  CompletableFuture<T> future() {
    return future;
  }

  static boolean onSdkWorker() {
    return ON_SDK_WORKER.get();
  }

  // Called by the native library with the call's value (a ServiceToken, LinkCode, Device[] or String[]).
  void succeed(Object value) {
    call.close();
    T converted = convert.apply(value);
    complete(() -> future.complete(converted));
  }

  // Called by the native library with an SsoException, or with what failed while reading the answer.
  void fail(Throwable error) {
    call.close();
    complete(() -> future.completeExceptionally(error));
  }

  // The SDK refused to queue the call (its callback will never run): fail the future here.
  void notQueued(SsoException error) {
    call.close();
    future.completeExceptionally(error);
  }

  private void complete(Runnable completion) {
    if (executor != null) {
      try {
        executor.execute(completion);
        return;
      } catch (RejectedExecutionException shutDown) {
        // The app's executor is gone: still complete the future, here.
      }
    }
    ON_SDK_WORKER.set(true);
    try {
      completion.run();
    } finally {
      ON_SDK_WORKER.set(false);
    }
  }
}
