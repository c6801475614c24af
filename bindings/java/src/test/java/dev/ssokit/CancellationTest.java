package dev.ssokit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Deadlines and cancellation, against a server that accepts connections and never answers
 * (a listening socket nobody reads), so that every call is still in flight when it is stopped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CancellationTest {
  // Far below the calls' own timeouts (30 s and more), so only a cancel explains it, and roomy
  // enough for a loaded two-core machine.
  private static final Duration PROMPTLY = Duration.ofSeconds(10);

  private ServerSocket silent;
  private ReferenceServer server;  // for the statement, and for a call that must still work
  private ScheduledExecutorService timer;

  @BeforeAll
  void start() throws Exception {
    silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    server = ReferenceServer.start();
    timer = Executors.newSingleThreadScheduledExecutor();
  }

  @AfterAll
  void stop() throws Exception {
    timer.shutdownNow();
    server.close();
    silent.close();
  }

  private SsoClient silentClient() throws Exception {
    return TestDevice.tv().builder(server).server("http://127.0.0.1:" + silent.getLocalPort()).build();
  }

  @Test
  void aBlockingCallCancelledFromAnotherThreadAnswersCancelled() throws Exception {
    try (SsoClient tv = silentClient()) {
      CallOptions options = new CallOptions().timeout(Duration.ofSeconds(60));
      timer.schedule(options::cancel, 200, TimeUnit.MILLISECONDS);
      Instant started = Instant.now();
      SsoException cancelled = assertThrows(SsoException.class, () -> tv.signIn("ivan", options));
      assertEquals(ErrorCode.CANCELLED, cancelled.code());
      assertTrue(Duration.between(started, Instant.now()).compareTo(PROMPTLY) < 0, "cancelled promptly");
      assertTrue(cancelled.serverError().isEmpty(), "no answer, no server error object");
    }
  }

  @Test
  void callsMadeWithCancelledOptionsAnswerCancelled() throws Exception {
    try (SsoClient tv = silentClient()) {
      CallOptions options = new CallOptions();
      options.cancel();
      assertTrue(options.isCancelled());
      assertEquals(ErrorCode.CANCELLED, assertThrows(SsoException.class, () -> tv.signIn("judy", options)).code());
      ExecutionException failed = assertThrows(ExecutionException.class,
          () -> tv.signInAsync("judy", options).get(PROMPTLY.toSeconds(), TimeUnit.SECONDS));
      assertEquals(ErrorCode.CANCELLED, assertInstanceOf(SsoException.class, failed.getCause()).code());
    }
  }

  @Test
  void anAsynchronousCallCancelledThroughItsOptionsCompletesWithCancelled() throws Exception {
    try (SsoClient tv = silentClient()) {
      CallOptions options = new CallOptions();
      CompletableFuture<ServiceToken> call = tv.signInAsync("ken", options);
      Thread.sleep(200);
      assertTrue(!call.isDone(), "still waiting for the silent server");
      options.cancel();
      ExecutionException failed =
          assertThrows(ExecutionException.class, () -> call.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS));
      assertEquals(ErrorCode.CANCELLED, assertInstanceOf(SsoException.class, failed.getCause()).code());
    }
  }

  @Test
  void cancellingTheFutureStopsTheCall() throws Exception {
    SsoClient tv = silentClient();
    CompletableFuture<ServiceToken> call = tv.signInAsync("leo");
    Thread.sleep(200);
    assertTrue(call.cancel(true));
    assertThrows(CancellationException.class, call::join);
    // close() finishes queued calls: it returns promptly only if the cancel reached the SDK.
    Instant started = Instant.now();
    tv.close();
    assertTrue(Duration.between(started, Instant.now()).compareTo(PROMPTLY) < 0, "the call stopped");
  }

  @Test
  void aDeadlineWithTheRequestInFlightAnswersTimeout() throws Exception {
    try (SsoClient tv = silentClient()) {
      Instant started = Instant.now();
      SsoException late = assertThrows(SsoException.class,
          () -> tv.signIn("mallory", new CallOptions().timeout(Duration.ofMillis(300))));
      assertEquals(ErrorCode.TIMEOUT, late.code());
      assertTrue(Duration.between(started, Instant.now()).compareTo(PROMPTLY) < 0);
    }
  }

  @Test
  void theClientsDefaultTimeoutApplies() throws Exception {
    try (SsoClient tv = TestDevice.tv().builder(server).server("http://127.0.0.1:" + silent.getLocalPort())
             .defaultTimeout(Duration.ofMillis(300)).build()) {
      assertEquals(ErrorCode.TIMEOUT, assertThrows(SsoException.class, () -> tv.signIn("niaj")).code());
    }
  }

  @Test
  void optionsThatWereNeverCancelledDoNotDisturbLaterCalls() throws Exception {
    try (SsoClient phone = TestDevice.phone().client(server)) {
      CallOptions options = new CallOptions().timeout(Duration.ofSeconds(10));
      phone.signIn("olivia", options);
      assertEquals(1, phone.listDevicesAsync(options).get(PROMPTLY.toSeconds(), TimeUnit.SECONDS).size());
    }
  }
}
