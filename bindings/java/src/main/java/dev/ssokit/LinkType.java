package dev.ssokit;

/** How a device joined its profile. */
public enum LinkType {
  /** Signed in on its own: with an account id or the platform's identity. */
  REGULAR,
  /** Joined the profile with a link code from another device. */
  SSO;

  // The C API's ssokit_link_type: 0 regular, 1 SSO.
  static LinkType of(int number) {
    return number == 1 ? SSO : REGULAR;
  }
}
