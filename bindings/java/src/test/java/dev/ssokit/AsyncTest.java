package dev.ssokit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The asynchronous forms: futures completed on SDK worker threads (attached to the VM as
 * daemons and detached when they end) or on the app's executor, failures as SsoException.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AsyncTest {
  private static final long WAIT_SECONDS = 30;

  private ReferenceServer server;

  @BeforeAll
  void startServer() throws Exception {
    server = ReferenceServer.start();
  }

  @AfterAll
  void stopServer() throws Exception {
    server.close();
  }

  @Test
  void thePairingCallsCompleteAsynchronously() throws Exception {
    try (SsoClient phone = TestDevice.phone().client(server); SsoClient tv = TestDevice.tv().client(server)) {
      AtomicReference<String> completedOn = new AtomicReference<>();
      ServiceToken token = phone.signInAsync("dave")
          .whenComplete((value, error) -> completedOn.set(Thread.currentThread().getName()))
          .get(WAIT_SECONDS, TimeUnit.SECONDS);
      assertTrue(phone.isSignedIn());
      assertEquals("ssokit-worker", completedOn.get(), "completed on an SDK worker, attached under that name");
      assertEquals(token, phone.serviceTokenAsync().get(WAIT_SECONDS, TimeUnit.SECONDS));

      LinkCode code = phone.createLinkCodeAsync().get(WAIT_SECONDS, TimeUnit.SECONDS);
      tv.redeemLinkCodeAsync(code.value()).get(WAIT_SECONDS, TimeUnit.SECONDS);
      List<Device> devices = phone.listDevicesAsync().get(WAIT_SECONDS, TimeUnit.SECONDS);
      assertEquals(2, devices.size());
      assertEquals(List.of(tv.deviceId()),
          phone.unlinkDevicesAsync(List.of(tv.deviceId())).get(WAIT_SECONDS, TimeUnit.SECONDS));
      ExecutionException unlinked = assertThrows(ExecutionException.class,
          () -> tv.serviceTokenAsync(new CallOptions().fromServer(true)).get(WAIT_SECONDS, TimeUnit.SECONDS));
      assertEquals(ErrorCode.DEVICE_UNLINKED, assertInstanceOf(SsoException.class, unlinked.getCause()).code());
    }
  }

  @Test
  void aFailureCompletesTheFutureWithAnSsoException() throws Exception {
    try (SsoClient tv = TestDevice.tv().client(server)) {
      CompletableFuture<ServiceToken> redeemed = tv.redeemLinkCodeAsync("999999");
      ExecutionException failed = assertThrows(ExecutionException.class,
          () -> redeemed.get(WAIT_SECONDS, TimeUnit.SECONDS));
      SsoException error = assertInstanceOf(SsoException.class, failed.getCause());
      assertEquals(ErrorCode.LINK_CODE_INVALID, error.code());
      assertEquals("get_new_link_code", error.serverError().orElseThrow().action());
    }
  }

  @Test
  void aRefusedArgumentFailsTheFutureAtOnce() throws Exception {
    try (SsoClient tv = TestDevice.tv().client(server)) {
      ExecutionException failed = assertThrows(ExecutionException.class,
          () -> tv.signInAsync("").get(WAIT_SECONDS, TimeUnit.SECONDS));
      assertEquals(ErrorCode.INVALID_ARGUMENT, assertInstanceOf(SsoException.class, failed.getCause()).code());
    }
  }

  @Test
  void futuresCompleteOnTheCallbackExecutorWhenOneIsSet() throws Exception {
    ExecutorService ui = Executors.newSingleThreadExecutor(task -> new Thread(task, "ui-thread"));
    try (SsoClient phone = TestDevice.phone().builder(server).callbackExecutor(ui).build()) {
      AtomicReference<String> completedOn = new AtomicReference<>();
      phone.signInAsync("erin")
          .thenAccept(token -> completedOn.set(Thread.currentThread().getName()))
          .get(WAIT_SECONDS, TimeUnit.SECONDS);
      assertEquals("ui-thread", completedOn.get());
    } finally {
      ui.shutdown();
    }
  }

  @Test
  void manyConcurrentCallsAllComplete() throws Exception {
    try (SsoClient phone = TestDevice.phone().builder(server).asyncThreads(4).build()) {
      phone.signIn("frank");
      List<CompletableFuture<List<Device>>> lists = new ArrayList<>();
      for (int i = 0; i < 200; i++) lists.add(phone.listDevicesAsync());
      CompletableFuture.allOf(lists.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
      for (CompletableFuture<List<Device>> list : lists) assertEquals(1, list.get().size());
    }
  }

  @Test
  void closingDetachesTheWorkersFromTheVm() throws Exception {
    SsoClient phone = TestDevice.phone().builder(server).asyncThreads(3).build();
    List<CompletableFuture<ServiceToken>> calls = new ArrayList<>();
    for (int i = 0; i < 6; i++) calls.add(phone.signInAsync("grace"));
    phone.close();  // finishes the queued calls first
    for (CompletableFuture<ServiceToken> call : calls) assertTrue(call.isDone(), "queued calls finish on close");
    // Detached at thread exit, the workers are no longer Java threads once the SDK joined them.
    assertEquals(0, workerThreads(), "SDK workers still attached after close");
    assertThrows(IllegalStateException.class, phone::isSignedIn);
    assertThrows(IllegalStateException.class, () -> phone.listDevicesAsync());
    phone.close();  // a second close does nothing
  }

  @Test
  void aClientClosedFromItsOwnCompletionDoesNotDeadlock() throws Exception {
    SsoClient phone = TestDevice.phone().client(server);
    CompletableFuture<Void> closed = phone.signInAsync("heidi").thenAccept(token -> phone.close());
    closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(WAIT_SECONDS));
    while (workerThreads() > 0 && Instant.now().isBefore(deadline)) Thread.sleep(10);
    assertEquals(0, workerThreads());
  }

  private static long workerThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().equals("ssokit-worker"))
        .count();
  }
}
