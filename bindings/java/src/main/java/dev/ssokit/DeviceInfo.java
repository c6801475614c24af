package dev.ssokit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the device says about itself (the server's X-Device-Info): its hardware type, model and
 * operating system, shown to the user in every device list of the profile. Build one with
 * {@link #builder(String)}; empty fields are left out.
 *
 * <pre>{@code
 * DeviceInfo info = DeviceInfo.builder(DeviceInfo.TV)
 *     .manufacturer(Build.MANUFACTURER).model(Build.MODEL)
 *     .osName("Android TV").osVersion(Build.VERSION.RELEASE)
 *     .build();
 * }</pre>
 */
public final class DeviceInfo {
  public static final String TV = "TV";
  public static final String SET_TOP_BOX = "SetTopBox";
  public static final String MEDIA_PLAYER = "MediaPlayer";
  public static final String MOBILE_PHONE = "MobilePhone";
  public static final String TABLET = "Tablet";
  public static final String DESKTOP = "Desktop";

  private final String json;

  private DeviceInfo(String json) {
    this.json = json;
  }

  /** A device of {@code hardwareType}: {@link #TV}, {@link #MOBILE_PHONE}, {@link #MEDIA_PLAYER}... */
  public static Builder builder(String hardwareType) {
    return new Builder(hardwareType);
  }

  /** The JSON object the SDK sends. */
  public String toJson() {
    return json;
  }

  @Override
  public String toString() {
    return json;
  }

  public static final class Builder {
    // The server's field names, in the order the C++ platform adaptors write them.
    private final Map<String, String> standard = new LinkedHashMap<>();
    private final Map<String, String> extra = new TreeMap<>();

    private Builder(String hardwareType) {
      standard.put("primaryHardwareType", Objects.requireNonNull(hardwareType, "hardwareType"));
      for (String field : new String[] {"model", "manufacturer", "version", "osName", "osVersion", "connectionType"}) {
        standard.put(field, "");
      }
    }

    public Builder model(String model) {
      return set("model", model);
    }

    public Builder manufacturer(String manufacturer) {
      return set("manufacturer", manufacturer);
    }

    /** The hardware or firmware version, when known. */
    public Builder version(String version) {
      return set("version", version);
    }

    public Builder osName(String osName) {
      return set("osName", osName);
    }

    public Builder osVersion(String osVersion) {
      return set("osVersion", osVersion);
    }

    /** "WiFi", "LAN", "Cellular"; often unknown. */
    public Builder connectionType(String connectionType) {
      return set("connectionType", connectionType);
    }

    /** Any other key the service accepts; a key that names a standard field is ignored (the field wins). */
    public Builder extra(String key, String value) {
      extra.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    public DeviceInfo build() {
      StringBuilder json = new StringBuilder("{");
      for (Map.Entry<String, String> field : standard.entrySet()) append(json, field.getKey(), field.getValue());
      for (Map.Entry<String, String> field : extra.entrySet()) {
        if (!standard.containsKey(field.getKey())) append(json, field.getKey(), field.getValue());
      }
      return new DeviceInfo(json.append('}').toString());
    }

    private Builder set(String field, String value) {
      standard.put(field, Objects.requireNonNull(value, field));
      return this;
    }

    private static void append(StringBuilder json, String key, String value) {
      if (value.isEmpty()) return;
      if (json.length() > 1) json.append(',');
      quote(json, key);
      json.append(':');
      quote(json, value);
    }

    private static void quote(StringBuilder json, String text) {
      json.append('"');
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c == '"' || c == '\\') {
          json.append('\\').append(c);
        } else if (c < 0x20) {
          json.append(String.format("\\u%04x", (int) c));
        } else {
          json.append(c);
        }
      }
      json.append('"');
    }
  }
}
