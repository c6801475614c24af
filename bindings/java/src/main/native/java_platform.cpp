#include "java_platform.hpp"

#include <climits>
#include <string>

#include "java_classes.hpp"
#include "java_text.hpp"
#include "jvm.hpp"

namespace ssokit::jni {
namespace {

constexpr jint kFrameCapacity = 8;
constexpr int kWarn = 2;  // the C API's log level

void log_to_app(JNIEnv* env, const JavaPlatform& platform, int level, const char* line);

// True when the app's code threw: the exception is cleared (it must not reach the SDK's
// thread) and reported to the app's log by class name only, since its message may quote
// stored values.
bool threw(JNIEnv* env, const JavaPlatform& platform, const char* what, const char* outcome) {
  jthrowable thrown = env->ExceptionOccurred();
  if (thrown == nullptr) return false;
  env->ExceptionClear();
  std::string name = "an exception";
  jclass type = env->GetObjectClass(thrown);
  auto class_name = static_cast<jstring>(env->CallObjectMethod(type, java().class_get_name));
  if (env->ExceptionCheck()) {
    env->ExceptionClear();
  } else if (class_name != nullptr && !utf8_of(env, class_name, name)) {
    env->ExceptionClear();
    name = "an exception";
  }
  log_to_app(env, platform, kWarn, (std::string("ssokit-jni: ") + what + " threw " + name + "; " + outcome).c_str());
  if (class_name != nullptr) env->DeleteLocalRef(class_name);
  env->DeleteLocalRef(type);
  env->DeleteLocalRef(thrown);
  return true;
}

void log_to_app(JNIEnv* env, const JavaPlatform& platform, int level, const char* line) {
  if (platform.log == nullptr) return;
  jstring text = java_string(env, line);
  if (text != nullptr) {
    const int index = level < 0 ? 0 : (level > 3 ? 3 : level);
    env->CallVoidMethod(platform.log, java().log_on_log, java().log_levels[index], text);
    env->DeleteLocalRef(text);
  }
  env->ExceptionClear();  // a listener that throws loses its line, nothing more
}

// `status`, once the VM's pending exception (out of memory) is cleared: it must not reach the SDK.
int cleared(JNIEnv* env, int status) {
  env->ExceptionClear();
  return status;
}

// The Java string of a C key, inside a frame; nullptr (nothing pending) when the VM has no room.
jstring key_string(JNIEnv* env, const char* key) {
  jstring text = java_string(env, key);
  if (text == nullptr) env->ExceptionClear();
  return text;
}

int store_get(void* user_data, const char* key, ssokit_buffer* value) {
  const auto& platform = *static_cast<JavaPlatform*>(user_data);
  JNIEnv* env = attached_env();
  if (env == nullptr) return SSOKIT_STORAGE_ERROR;
  LocalFrame frame(env, kFrameCapacity);
  if (!frame) return cleared(env, SSOKIT_STORAGE_ERROR);
  jstring java_key = key_string(env, key);
  if (java_key == nullptr) return SSOKIT_STORAGE_ERROR;
  auto bytes = static_cast<jbyteArray>(env->CallObjectMethod(platform.store, java().store_get, java_key));
  if (threw(env, platform, "SecureStore.get", "the call answers storage_error")) return SSOKIT_STORAGE_ERROR;
  if (bytes == nullptr) return SSOKIT_OK;  // no such key: the buffer stays untouched
  std::string copy(static_cast<size_t>(env->GetArrayLength(bytes)), '\0');
  env->GetByteArrayRegion(bytes, 0, static_cast<jsize>(copy.size()), reinterpret_cast<jbyte*>(&copy[0]));
  ssokit_buffer_set(value, copy.data(), copy.size());
  return SSOKIT_OK;
}

int store_put(void* user_data, const char* key, const char* value, size_t length) {
  const auto& platform = *static_cast<JavaPlatform*>(user_data);
  if (length > static_cast<size_t>(INT_MAX)) return SSOKIT_STORAGE_ERROR;  // no Java array is that long
  JNIEnv* env = attached_env();
  if (env == nullptr) return SSOKIT_STORAGE_ERROR;
  LocalFrame frame(env, kFrameCapacity);
  if (!frame) return cleared(env, SSOKIT_STORAGE_ERROR);
  jstring java_key = key_string(env, key);
  jbyteArray bytes = java_key ? env->NewByteArray(static_cast<jsize>(length)) : nullptr;
  if (bytes == nullptr) return cleared(env, SSOKIT_STORAGE_ERROR);
  env->SetByteArrayRegion(bytes, 0, static_cast<jsize>(length), reinterpret_cast<const jbyte*>(value));
  env->CallVoidMethod(platform.store, java().store_put, java_key, bytes);
  if (threw(env, platform, "SecureStore.put", "the call answers storage_error")) return SSOKIT_STORAGE_ERROR;
  return SSOKIT_OK;
}

int store_remove(void* user_data, const char* key) {
  const auto& platform = *static_cast<JavaPlatform*>(user_data);
  JNIEnv* env = attached_env();
  if (env == nullptr) return SSOKIT_STORAGE_ERROR;
  LocalFrame frame(env, kFrameCapacity);
  if (!frame) return cleared(env, SSOKIT_STORAGE_ERROR);
  jstring java_key = key_string(env, key);
  if (java_key == nullptr) return SSOKIT_STORAGE_ERROR;
  env->CallVoidMethod(platform.store, java().store_remove, java_key);
  if (threw(env, platform, "SecureStore.remove", "the call answers storage_error")) return SSOKIT_STORAGE_ERROR;
  return SSOKIT_OK;
}

void connect_token(void* user_data, ssokit_buffer* token) {
  const auto& platform = *static_cast<JavaPlatform*>(user_data);
  JNIEnv* env = attached_env();
  if (env == nullptr) return;
  LocalFrame frame(env, kFrameCapacity);
  if (!frame) {
    env->ExceptionClear();
    return;
  }
  auto text = static_cast<jstring>(env->CallObjectMethod(platform.identity, java().identity_connect_token));
  if (threw(env, platform, "PlatformIdentity.connectToken", "signing in without a platform token")) return;
  if (text == nullptr) return;  // no token: the buffer stays untouched
  std::string utf8;
  if (utf8_of(env, text, utf8)) {
    ssokit_buffer_set(token, utf8.data(), utf8.size());
  } else {
    env->ExceptionClear();
  }
}

void log_line(void* user_data, int level, const char* line) {
  JNIEnv* env = attached_env();
  if (env == nullptr) return;
  LocalFrame frame(env, kFrameCapacity);
  if (!frame) {
    env->ExceptionClear();
    return;
  }
  log_to_app(env, *static_cast<JavaPlatform*>(user_data), level, line);
}

jobject global_or_null(JNIEnv* env, jobject object) {
  return object ? env->NewGlobalRef(object) : nullptr;
}

}  // namespace

JavaPlatform hold_platform(JNIEnv* env, jobject store, jobject identity, jobject log) {
  JavaPlatform platform;
  platform.store = global_or_null(env, store);
  platform.identity = global_or_null(env, identity);
  platform.log = global_or_null(env, log);
  return platform;
}

void release_platform(JNIEnv* env, JavaPlatform& platform) {
  for (jobject* held : {&platform.store, &platform.identity, &platform.log}) {
    if (*held != nullptr) env->DeleteGlobalRef(*held);
    *held = nullptr;
  }
}

int set_platform_callbacks(ssokit_options* options, JavaPlatform* platform) {
  int status = SSOKIT_OK;
  if (platform->store) status = ssokit_options_set_store(options, store_get, store_put, store_remove, platform);
  if (status == SSOKIT_OK && platform->identity) {
    status = ssokit_options_set_connect_token_provider(options, connect_token, platform);
  }
  if (status == SSOKIT_OK && platform->log) status = ssokit_options_set_log(options, log_line, platform);
  return status;
}

}  // namespace ssokit::jni
