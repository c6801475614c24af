// The library's entry point: the VM and the Java classes, found once, on the thread that
// loads the library (the only one whose class loader sees the app's classes on Android).
#include <jni.h>

#include "java_classes.hpp"
#include "jvm.hpp"

extern "C" JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM* vm, void*) {
  JNIEnv* env = nullptr;
  if (vm->GetEnv(reinterpret_cast<void**>(&env), ssokit::jni::kJniVersion) != JNI_OK) return JNI_ERR;
  if (!ssokit::jni::init_vm(vm) || !ssokit::jni::load_java_classes(env)) return JNI_ERR;
  return ssokit::jni::kJniVersion;
}
