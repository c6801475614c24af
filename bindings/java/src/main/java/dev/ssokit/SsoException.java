package dev.ssokit;

import java.time.Duration;
import java.util.Optional;

/**
 * A failed call: its {@link ErrorCode}, the SDK's one-line message (secrets already removed;
 * for logs, not for users), and, when the server answered, its error object.
 */
public final class SsoException extends Exception {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final transient ServerError serverError;
  private final Duration retryAfter;

  public SsoException(ErrorCode code, String message, ServerError serverError, Duration retryAfter) {
    super(message);
    this.code = code;
    this.serverError = serverError;
    this.retryAfter = retryAfter == null ? Duration.ZERO : retryAfter;
  }

  /** What went wrong; switch on this. */
  public ErrorCode code() {
    return code;
  }

  /** The server's error object, when the server answered with one. */
  public Optional<ServerError> serverError() {
    return Optional.ofNullable(serverError);
  }

  /** The HTTP status of the server's answer; 0 when there was no answer. */
  public int httpStatus() {
    return serverError == null ? 0 : serverError.httpStatus();
  }

  /** How long the server asked to wait before trying again (429 Retry-After); zero when it did not. */
  public Duration retryAfter() {
    return retryAfter;
  }

  @Override
  public String toString() {
    return "SsoException[" + code + "]: " + getMessage();
  }

  // The native library's way to build one from a C ssokit_error (an httpStatus of 0: no error object).
  static SsoException fromNative(int status, String message, long retryAfterMs, int httpStatus, String serverCode,
                                 String serverMessage, String action, String helpUrl, String trace) {
    ServerError serverError =
        httpStatus == 0 ? null : new ServerError(httpStatus, serverCode, serverMessage, action, helpUrl, trace);
    return new SsoException(ErrorCode.of(status), message, serverError, Duration.ofMillis(Math.max(0, retryAfterMs)));
  }
}
