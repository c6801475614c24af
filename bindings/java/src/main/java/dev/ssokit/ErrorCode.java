package dev.ssokit;

/**
 * Why a call failed. The numbers are those of the C API's {@code ssokit_status} and of C++'s
 * {@code ssokit::ErrorCode} (success, 0, is a returned value here, not a code). What each means
 * and what the app should do: docs/sdk.md, "Errors".
 */
public enum ErrorCode {
  /** The caller's mistake (empty SSO id or code, a missing platform service), found before any network call. */
  INVALID_ARGUMENT(1),
  /** No answer: DNS, refused, reset, TLS, truncated; also retries that ran into the deadline. */
  NETWORK_ERROR(2),
  /** The call's deadline passed while a request was in flight, or before one could be sent. */
  TIMEOUT(3),
  /** The call was cancelled ({@link CallOptions#cancel()}). */
  CANCELLED(4),
  /** An answer the SDK does not understand (a captive portal, a wrong server URL). */
  BAD_RESPONSE(5),
  /** The link code is unknown, used or expired: ask the other device for a new one. */
  LINK_CODE_INVALID(6),
  /** Too many requests: wait {@link SsoException#retryAfter()}. */
  RATE_LIMITED(7),
  /** Another device unlinked this one; the local state is already cleared. */
  DEVICE_UNLINKED(8),
  /** The service token expired beyond the server's refresh grace: sign in again. */
  TOKEN_EXPIRED(9),
  /** The server refused the service token: sign in again. */
  TOKEN_INVALID(10),
  /** The call needs a service token and there is none: sign in or redeem a code first. */
  NOT_SIGNED_IN(11),
  /** The server refused the software statement or the client credentials (a configuration bug). */
  REGISTRATION_FAILED(12),
  /** The access token was refused after one renewal (a configuration bug). */
  ACCESS_DENIED(13),
  /** Any other 4xx answer. */
  BAD_REQUEST(14),
  /** A 5xx answer. */
  SERVER_ERROR(15),
  /** The secure store failed, or threw. */
  STORAGE_ERROR(16),
  /** The profile holds its most devices: unlink one first. */
  DEVICE_LIMIT_REACHED(17),
  /** The device that made the link code denied this device: ask it for a new code. */
  LINK_DENIED(18);

  private final int number;

  ErrorCode(int number) {
    this.number = number;
  }

  /** The C API's status number. */
  public int number() {
    return number;
  }

  /**
   * The code of a C status number. The jar and the native library come from one build, so every
   * number is known; should a newer native library ever answer a code this jar does not know,
   * it is read as {@link #BAD_RESPONSE} ("an answer the SDK does not understand").
   */
  static ErrorCode of(int number) {
    for (ErrorCode code : values()) {
      if (code.number == number) return code;
    }
    return BAD_RESPONSE;
  }
}
