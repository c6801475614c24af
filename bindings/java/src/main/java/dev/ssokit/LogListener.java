package dev.ssokit;

/**
 * Receives the SDK's log lines, already redacted (no token, code or device id in them). Called
 * from any SDK thread, concurrently: keep it short and thread-safe (hand the line to Android's
 * {@code Log}, for example). Exceptions thrown here are ignored.
 */
@FunctionalInterface
public interface LogListener {
  void onLog(LogLevel level, String line);
}
