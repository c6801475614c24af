package dev.ssokit;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The code another device of this profile types to join it. Its times are the server's clock:
 * show the remaining time from {@link #lifetime()} counted on this device, not by comparing
 * {@link #notAfter()} with this device's clock.
 */
public final class LinkCode {
  private final String value;
  private final Instant notBefore;
  private final Instant notAfter;

  LinkCode(String value, long notBeforeMillis, long notAfterMillis) {
    this.value = value;
    this.notBefore = Instant.ofEpochMilli(notBeforeMillis);
    this.notAfter = Instant.ofEpochMilli(notAfterMillis);
  }

  /** The code to show, e.g. "123456". */
  public String value() {
    return value;
  }

  public Instant notBefore() {
    return notBefore;
  }

  public Instant notAfter() {
    return notAfter;
  }

  /** How long the code is valid from when the server made it. */
  public Duration lifetime() {
    return Duration.between(notBefore, notAfter);
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof LinkCode)) return false;
    LinkCode that = (LinkCode) other;
    return value.equals(that.value) && notBefore.equals(that.notBefore) && notAfter.equals(that.notAfter);
  }

  @Override
  public int hashCode() {
    return Objects.hash(value, notBefore, notAfter);
  }

  /** Without the code: it signs another device in while it is valid. */
  @Override
  public String toString() {
    return "LinkCode[notBefore=" + notBefore + ", notAfter=" + notAfter + "]";
  }
}
