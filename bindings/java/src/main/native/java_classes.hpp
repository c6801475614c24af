#pragma once
// The Java classes and methods the native side uses, looked up once in JNI_OnLoad. Looking
// them up later would fail on Android: FindClass on an SDK worker thread sees only the system
// class loader, not the app's.
#include <jni.h>

namespace ssokit::jni {

struct JavaClasses {
  jclass string;
  jclass service_token;
  jmethodID service_token_new;  // ServiceToken(String value, long notBefore, long notAfter)
  jclass link_code;
  jmethodID link_code_new;  // LinkCode(String value, long notBefore, long notAfter)
  jclass device;
  jmethodID device_new;  // Device(id, type, model, os, osVersion, long lastSeen, int linkType, boolean current)
  jclass sso_exception;
  jmethodID sso_exception_from_native;  // static SsoException.fromNative(...)
  jmethodID pending_succeed;            // PendingCompletion.succeed(Object)
  jmethodID pending_fail;               // PendingCompletion.fail(Throwable)
  jmethodID store_get;                  // SecureStore.get(String): byte[]
  jmethodID store_put;                  // SecureStore.put(String, byte[])
  jmethodID store_remove;               // SecureStore.remove(String)
  jmethodID identity_connect_token;     // PlatformIdentity.connectToken(): String
  jmethodID log_on_log;                 // LogListener.onLog(LogLevel, String)
  jobject log_levels[4];                // LogLevel.DEBUG, INFO, WARN, ERROR: the C levels 0..3
  jmethodID class_get_name;             // Class.getName()
};

// Looks everything up (JNI_OnLoad). False, with the VM's exception pending, when something is
// missing: a jar and a native library from different builds.
bool load_java_classes(JNIEnv* env);

const JavaClasses& java();

}  // namespace ssokit::jni
