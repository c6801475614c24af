package dev.ssokit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real ssokit-server binary (the system property {@code ssokit.server}, set by ctest),
 * started on a free loopback port with a fresh data folder, as the C++ integration tests start
 * it (tests/integration/support/server_process.cpp): throttles that would slow a test down are
 * off. Killed and its folder removed on close.
 */
final class ReferenceServer implements AutoCloseable {
  private static final Duration STARTUP = Duration.ofSeconds(20);

  private final String binary;
  private final Path folder;
  private final Path data;
  private final Process process;
  private final String baseUrl;
  private final Map<String, String> statements = new ConcurrentHashMap<>();

  private ReferenceServer(String binary, Path folder, Process process, String baseUrl) {
    this.binary = binary;
    this.folder = folder;
    this.data = folder.resolve("data");
    this.process = process;
    this.baseUrl = baseUrl;
  }

  /** Starts the server with these flags besides the test defaults. */
  static ReferenceServer start(String... extraFlags) throws IOException, InterruptedException {
    String binary = System.getProperty("ssokit.server");
    if (binary == null) throw new IllegalStateException("-Dssokit.server=PATH of ssokit-server is not set");
    Path folder = Files.createTempDirectory("ssokit-java-it-");
    Path ready = folder.resolve("ready");
    List<String> command = new ArrayList<>(List.of(binary, "serve", "--data", folder.resolve("data").toString(),
        "--listen", "127.0.0.1:0", "--ready-file", ready.toString(), "--device-rate", "off",
        "--redeem-failures", "100000/600", "--redeem-budget", "100000/600", "--log-level", "info"));
    command.addAll(List.of(extraFlags));
    Process process = new ProcessBuilder(command)
        .redirectOutput(folder.resolve("server.log").toFile())
        .redirectError(folder.resolve("server.err").toFile())
        .start();
    Instant deadline = Instant.now().plus(STARTUP);
    while (Instant.now().isBefore(deadline)) {
      if (Files.exists(ready)) {
        String address = Files.readString(ready, StandardCharsets.UTF_8).trim();
        if (!address.isEmpty()) return new ReferenceServer(binary, folder, process, "http://" + address);
      }
      if (!process.isAlive()) {
        String err = Files.readString(folder.resolve("server.err"));
        delete(folder);
        throw new IllegalStateException("ssokit-server exited early: " + err);
      }
      Thread.sleep(10);
    }
    process.destroyForcibly().waitFor();
    delete(folder);
    throw new IllegalStateException("ssokit-server did not listen within " + STARTUP);
  }

  /** http://127.0.0.1:PORT */
  String baseUrl() {
    return baseUrl;
  }

  /** A software statement for service provider {@code sp}, from the same data folder (made once). */
  String softwareStatement(String sp) throws IOException, InterruptedException {
    String known = statements.get(sp);
    if (known != null) return known;
    Process statement = new ProcessBuilder(binary, "software-statement", "--data", data.toString(),
        "--service-provider", sp).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(statement.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!statement.waitFor(30, TimeUnit.SECONDS) || statement.exitValue() != 0) {
      throw new IllegalStateException("software-statement failed");
    }
    statements.put(sp, out);
    return out;
  }

  @Override
  public void close() throws IOException {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();  // the folder still goes
    }
    delete(folder);
  }

  private static void delete(Path folder) throws IOException {
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(path);
    }
  }
}
