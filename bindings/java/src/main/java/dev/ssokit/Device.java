package dev.ssokit;

import java.time.Instant;
import java.util.Objects;

/** One device of the profile, as {@link SsoClient#listDevices()} answers it. */
public final class Device {
  private final String id;
  private final String type;
  private final String model;
  private final String os;
  private final String osVersion;
  private final Instant lastSeen;
  private final LinkType linkType;
  private final boolean current;

  Device(String id, String type, String model, String os, String osVersion, long lastSeenMillis, int linkType,
         boolean current) {
    this.id = id;
    this.type = type;
    this.model = model;
    this.os = os;
    this.osVersion = osVersion;
    this.lastSeen = Instant.ofEpochMilli(lastSeenMillis);
    this.linkType = LinkType.of(linkType);
    this.current = current;
  }

  /** The device id as the server knows it: what {@link SsoClient#unlinkDevices} takes. */
  public String id() {
    return id;
  }

  /** Its primary hardware type: "TV", "MobilePhone", "MediaPlayer"... */
  public String type() {
    return type;
  }

  public String model() {
    return model;
  }

  public String os() {
    return os;
  }

  public String osVersion() {
    return osVersion;
  }

  /** When the server last heard from it, by the server's clock. */
  public Instant lastSeen() {
    return lastSeen;
  }

  public LinkType linkType() {
    return linkType;
  }

  /** True for the device that asked: leave it out of an "unlink other devices" list. */
  public boolean isCurrent() {
    return current;
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof Device)) return false;
    Device that = (Device) other;
    return id.equals(that.id) && type.equals(that.type) && model.equals(that.model) && os.equals(that.os)
        && osVersion.equals(that.osVersion) && lastSeen.equals(that.lastSeen) && linkType == that.linkType
        && current == that.current;
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, type, model, os, osVersion, lastSeen, linkType, current);
  }

  /** Without the id, which the SDK keeps out of logs. */
  @Override
  public String toString() {
    return "Device[type=" + type + ", model=" + model + ", os=" + os + " " + osVersion + ", lastSeen=" + lastSeen
        + ", linkType=" + linkType + ", current=" + current + "]";
  }
}
