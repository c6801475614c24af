package android.os;

public class Build {
  public static final String MANUFACTURER = compileTimeOnly();
  public static final String MODEL = compileTimeOnly();

  public static class VERSION {
    public static final String RELEASE = compileTimeOnly();
  }

  private static String compileTimeOnly() {
    throw new UnsupportedOperationException("a compile-time stand-in");
  }
}
