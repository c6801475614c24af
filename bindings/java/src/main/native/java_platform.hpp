#pragma once
// The app's platform services, written in Java or Kotlin, behind the C API's platform
// callbacks. The SDK calls them on whatever thread runs a call (an app thread inside a blocking
// call, an SDK worker for an asynchronous one); a Java exception never crosses back into the
// SDK: the store answers SSOKIT_STORAGE_ERROR, the identity "no token", the log nothing.
#include <jni.h>

#include "ssokit/c/ssokit.h"

namespace ssokit::jni {

// Global references to the app's objects (null when not given), reached by the callbacks
// through their user_data. Must outlive the ssokit_client that calls them.
struct JavaPlatform {
  jobject store = nullptr;     // dev.ssokit.SecureStore
  jobject identity = nullptr;  // dev.ssokit.PlatformIdentity
  jobject log = nullptr;       // dev.ssokit.LogListener
};

// Takes global references to the given objects (any may be null).
JavaPlatform hold_platform(JNIEnv* env, jobject store, jobject identity, jobject log);
// Drops them; call only once no SDK thread can call back any more.
void release_platform(JNIEnv* env, JavaPlatform& platform);

// Points `options` at the callbacks of each service `platform` has. SSOKIT_OK or the setter's failure.
int set_platform_callbacks(ssokit_options* options, JavaPlatform* platform);

}  // namespace ssokit::jni
