package dev.ssokit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The Java codes and the C API's statuses are the same list: same numbers, same names. */
class ErrorCodeTest {
  @Test
  void everyCodeHasTheNumberAndNameOfItsCStatus() {
    for (ErrorCode code : ErrorCode.values()) {
      assertEquals(code.name().toLowerCase(Locale.ROOT), NativeBridge.statusName(code.number()), code.name());
      assertEquals(code, ErrorCode.of(code.number()));
    }
    assertEquals("ok", NativeBridge.statusName(0));
    assertEquals("unknown", NativeBridge.statusName(ErrorCode.values().length + 1), "no C status beyond the last code");
  }

  @Test
  void theNativeLibraryIsOfThisBuild() {
    assertEquals(System.getProperty("ssokit.version"), NativeBridge.version());
  }
}
