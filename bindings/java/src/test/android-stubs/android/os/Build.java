package android.os;

public class Build {
  public static final String MANUFACTURER = stub();
  public static final String MODEL = stub();

  public static class VERSION {
    public static final String RELEASE = stub();
  }

  private static String stub() {
    throw new UnsupportedOperationException("a compile-time stand-in");
  }
}
