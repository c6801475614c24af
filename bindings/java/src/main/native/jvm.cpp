#include "jvm.hpp"

#include <pthread.h>

namespace ssokit::jni {
namespace {

JavaVM* g_vm = nullptr;
// Set to the VM on threads this library attached; its destructor detaches them at exit.
pthread_key_t g_attached_key;

void detach_at_thread_exit(void* vm) {
  static_cast<JavaVM*>(vm)->DetachCurrentThread();
}

// Android's jni.h declares AttachCurrentThread* with JNIEnv**, the JDK's with void**.
#if defined(__ANDROID__)
JNIEnv** env_out(JNIEnv** env) {
  return env;
}
#else
void** env_out(JNIEnv** env) {
  return reinterpret_cast<void**>(env);
}
#endif

}  // namespace

bool init_vm(JavaVM* vm) {
  g_vm = vm;
  return pthread_key_create(&g_attached_key, detach_at_thread_exit) == 0;
}

JNIEnv* attached_env() {
  JNIEnv* env = nullptr;
  const jint state = g_vm->GetEnv(reinterpret_cast<void**>(&env), kJniVersion);
  if (state == JNI_OK) return env;
  if (state != JNI_EDETACHED) return nullptr;
  JavaVMAttachArgs args{kJniVersion, const_cast<char*>("ssokit-worker"), nullptr};
  if (g_vm->AttachCurrentThreadAsDaemon(env_out(&env), &args) != JNI_OK) return nullptr;
  if (pthread_setspecific(g_attached_key, g_vm) != 0) {
    // Without the exit hook the thread would end attached (Android aborts then): give up on it.
    g_vm->DetachCurrentThread();
    return nullptr;
  }
  return env;
}

}  // namespace ssokit::jni
