package dev.ssokit;

import java.time.Instant;
import java.util.Objects;

/**
 * A service token: what the app hands its backend. Its times are the server's clock: compare
 * them with each other (the lifetime), not with this device's clock.
 */
public final class ServiceToken {
  private final String value;
  private final Instant notBefore;
  private final Instant notAfter;

  ServiceToken(String value, long notBeforeMillis, long notAfterMillis) {
    this.value = value;
    this.notBefore = Instant.ofEpochMilli(notBeforeMillis);
    this.notAfter = Instant.ofEpochMilli(notAfterMillis);
  }

  /** The token itself. A secret: never log it. */
  public String value() {
    return value;
  }

  public Instant notBefore() {
    return notBefore;
  }

  public Instant notAfter() {
    return notAfter;
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof ServiceToken)) return false;
    ServiceToken that = (ServiceToken) other;
    return value.equals(that.value) && notBefore.equals(that.notBefore) && notAfter.equals(that.notAfter);
  }

  @Override
  public int hashCode() {
    return Objects.hash(value, notBefore, notAfter);
  }

  /** Without the value, so a token that ends up in a log line gives nothing away. */
  @Override
  public String toString() {
    return "ServiceToken[notBefore=" + notBefore + ", notAfter=" + notAfter + "]";
  }
}
