package dev.ssokit;

/** The level of a log line from the SDK. */
public enum LogLevel {
  DEBUG,
  INFO,
  WARN,
  ERROR
}
