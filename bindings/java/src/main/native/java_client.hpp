#pragma once
// What a Java SsoClient's handle (a long) points to: the C client and the app's platform
// services it calls back. The Java side never frees it while a call uses it (SsoClient's lock).
#include <jni.h>

#include "c_handles.hpp"
#include "java_platform.hpp"
#include "ssokit/c/ssokit.h"

namespace ssokit::jni {

struct JavaClient {
  ssokit_client* client = nullptr;
  JavaPlatform platform;  // outlives `client`: freed only after ssokit_client_free returned
};

inline ssokit_client* sdk_client(jlong handle) {
  return from_jlong<JavaClient>(handle)->client;
}
inline const ssokit_call* sdk_call(jlong call) {
  return from_jlong<ssokit_call>(call);
}

}  // namespace ssokit::jni
