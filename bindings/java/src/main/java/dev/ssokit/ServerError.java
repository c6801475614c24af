package dev.ssokit;

import java.util.Objects;

/**
 * The error object the server answered with (docs/errors.md). Every non-2xx answer carries
 * one; transport failures (no answer) carry none.
 */
public final class ServerError {
  private final int httpStatus;
  private final String code;
  private final String message;
  private final String action;
  private final String helpUrl;
  private final String trace;

  ServerError(int httpStatus, String code, String message, String action, String helpUrl, String trace) {
    this.httpStatus = httpStatus;
    this.code = code;
    this.message = message;
    this.action = action;
    this.helpUrl = helpUrl;
    this.trace = trace;
  }

  /** The HTTP status of the answer, e.g. 400. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The server's code, e.g. {@code link_code_invalid}; "" when absent. */
  public String code() {
    return code;
  }

  /** The server's human text; "" when absent. */
  public String message() {
    return message;
  }

  /** What the server suggests, e.g. {@code get_new_link_code}; "" when absent. */
  public String action() {
    return action;
  }

  /** The catalog entry of this error; "" when absent. */
  public String helpUrl() {
    return helpUrl;
  }

  /** A UUID that is also in the server's log line: quote it in bug reports. "" when absent. */
  public String trace() {
    return trace;
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof ServerError)) return false;
    ServerError that = (ServerError) other;
    return httpStatus == that.httpStatus && code.equals(that.code) && message.equals(that.message)
        && action.equals(that.action) && helpUrl.equals(that.helpUrl) && trace.equals(that.trace);
  }

  @Override
  public int hashCode() {
    return Objects.hash(httpStatus, code, message, action, helpUrl, trace);
  }

  @Override
  public String toString() {
    return "ServerError[httpStatus=" + httpStatus + ", code=" + code + ", action=" + action + ", trace=" + trace + "]";
  }
}
