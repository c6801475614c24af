#include "java_classes.hpp"

namespace ssokit::jni {
namespace {

JavaClasses g_classes;

jclass global_class(JNIEnv* env, const char* name) {
  jclass local = env->FindClass(name);
  if (local == nullptr) return nullptr;
  auto global = static_cast<jclass>(env->NewGlobalRef(local));
  env->DeleteLocalRef(local);
  return global;
}

jmethodID method(JNIEnv* env, const char* class_name, const char* name, const char* signature) {
  jclass type = env->FindClass(class_name);
  if (type == nullptr) return nullptr;
  jmethodID id = env->GetMethodID(type, name, signature);
  env->DeleteLocalRef(type);
  return id;
}

bool load_log_levels(JNIEnv* env) {
  jclass levels = env->FindClass("dev/ssokit/LogLevel");
  if (levels == nullptr) return false;
  const char* names[] = {"DEBUG", "INFO", "WARN", "ERROR"};
  bool loaded = true;
  for (int i = 0; i < 4 && loaded; ++i) {
    jfieldID field = env->GetStaticFieldID(levels, names[i], "Ldev/ssokit/LogLevel;");
    jobject level = field == nullptr ? nullptr : env->GetStaticObjectField(levels, field);
    loaded = level != nullptr;
    if (loaded) {
      g_classes.log_levels[i] = env->NewGlobalRef(level);
      env->DeleteLocalRef(level);
    }
  }
  env->DeleteLocalRef(levels);
  return loaded;
}

}  // namespace

bool load_java_classes(JNIEnv* env) {
  // In order, stopping at the first miss: no JNI call may follow a pending exception.
  JavaClasses& c = g_classes;
  return (c.string = global_class(env, "java/lang/String")) &&
         (c.service_token = global_class(env, "dev/ssokit/ServiceToken")) &&
         (c.service_token_new = env->GetMethodID(c.service_token, "<init>", "(Ljava/lang/String;JJ)V")) &&
         (c.link_code = global_class(env, "dev/ssokit/LinkCode")) &&
         (c.link_code_new = env->GetMethodID(c.link_code, "<init>", "(Ljava/lang/String;JJ)V")) &&
         (c.device = global_class(env, "dev/ssokit/Device")) &&
         (c.device_new = env->GetMethodID(c.device, "<init>",
                                          "(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;"
                                          "Ljava/lang/String;Ljava/lang/String;JIZ)V")) &&
         (c.sso_exception = global_class(env, "dev/ssokit/SsoException")) &&
         (c.sso_exception_from_native =
              env->GetStaticMethodID(c.sso_exception, "fromNative",
                                     "(ILjava/lang/String;JILjava/lang/String;Ljava/lang/String;Ljava/lang/String;"
                                     "Ljava/lang/String;Ljava/lang/String;)Ldev/ssokit/SsoException;")) &&
         (c.pending_succeed = method(env, "dev/ssokit/PendingCompletion", "succeed", "(Ljava/lang/Object;)V")) &&
         (c.pending_fail = method(env, "dev/ssokit/PendingCompletion", "fail", "(Ljava/lang/Throwable;)V")) &&
         (c.store_get = method(env, "dev/ssokit/SecureStore", "get", "(Ljava/lang/String;)[B")) &&
         (c.store_put = method(env, "dev/ssokit/SecureStore", "put", "(Ljava/lang/String;[B)V")) &&
         (c.store_remove = method(env, "dev/ssokit/SecureStore", "remove", "(Ljava/lang/String;)V")) &&
         (c.identity_connect_token =
              method(env, "dev/ssokit/PlatformIdentity", "connectToken", "()Ljava/lang/String;")) &&
         (c.log_on_log =
              method(env, "dev/ssokit/LogListener", "onLog", "(Ldev/ssokit/LogLevel;Ljava/lang/String;)V")) &&
         (c.class_get_name = method(env, "java/lang/Class", "getName", "()Ljava/lang/String;")) && load_log_levels(env);
}

const JavaClasses& java() {
  return g_classes;
}

}  // namespace ssokit::jni
