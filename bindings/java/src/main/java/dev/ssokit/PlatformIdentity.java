package dev.ssokit;

/**
 * The platform's signed identity token (a Roku-style connect token), for
 * {@link SsoClient#signInWithPlatformIdentity()}. Called from any SDK thread; must be thread-safe.
 */
public interface PlatformIdentity {
  /**
   * The current token, or null when the platform has none. An exception counts as no token (and
   * is reported to the {@link LogListener}, by class name).
   */
  String connectToken() throws Exception;
}
