#include "java_values.hpp"

#include "java_classes.hpp"
#include "java_text.hpp"
#include "jvm.hpp"

namespace ssokit::jni {
namespace {

// Strings and an object per element: room for them in each element's frame.
constexpr jint kFrameCapacity = 16;

jobject java_device(JNIEnv* env, const ssokit_device* device) {
  LocalFrame frame(env, kFrameCapacity);
  if (!frame) return nullptr;
  jstring id = java_string(env, ssokit_device_id(device));
  jstring type = id ? java_string(env, ssokit_device_type(device)) : nullptr;
  jstring model = type ? java_string(env, ssokit_device_model(device)) : nullptr;
  jstring os = model ? java_string(env, ssokit_device_os(device)) : nullptr;
  jstring os_version = os ? java_string(env, ssokit_device_os_version(device)) : nullptr;
  if (os_version == nullptr) return nullptr;
  jobject result = env->NewObject(java().device, java().device_new, id, type, model, os, os_version,
                                  static_cast<jlong>(ssokit_device_last_seen_ms(device)),
                                  static_cast<jint>(ssokit_device_link_type(device)),
                                  static_cast<jboolean>(ssokit_device_is_current(device) == 1));
  return frame.pop(result);
}

// Fills a new array of `size` elements of `type` with make(i); each element's local reference
// is dropped once stored, so a long list needs no more than a few at a time.
template <typename Make>
jobject java_array(JNIEnv* env, jclass type, size_t size, Make make) {
  auto array = env->NewObjectArray(static_cast<jsize>(size), type, nullptr);
  if (array == nullptr) return nullptr;
  for (size_t i = 0; i < size; ++i) {
    jobject element = make(i);
    if (element == nullptr) {
      env->DeleteLocalRef(array);
      return nullptr;
    }
    env->SetObjectArrayElement(array, static_cast<jsize>(i), element);
    env->DeleteLocalRef(element);
  }
  return array;
}

// An SsoException of `status` with `message` and, when `error` is not NULL, its server error
// object and Retry-After.
jthrowable exception_of(JNIEnv* env, int status, const char* message, const ssokit_error* error) {
  LocalFrame frame(env, kFrameCapacity);
  if (!frame) return nullptr;
  const bool has = error != nullptr;
  jstring text = java_string(env, message);
  jstring code = text ? java_string(env, has ? ssokit_error_server_code(error) : "") : nullptr;
  jstring server_message = code ? java_string(env, has ? ssokit_error_server_message(error) : "") : nullptr;
  jstring action = server_message ? java_string(env, has ? ssokit_error_server_action(error) : "") : nullptr;
  jstring help_url = action ? java_string(env, has ? ssokit_error_server_help_url(error) : "") : nullptr;
  jstring trace = help_url ? java_string(env, has ? ssokit_error_server_trace(error) : "") : nullptr;
  if (trace == nullptr) return nullptr;
  jobject exception = env->CallStaticObjectMethod(
      java().sso_exception, java().sso_exception_from_native, static_cast<jint>(status), text,
      static_cast<jlong>(has ? ssokit_error_retry_after_ms(error) : 0),
      static_cast<jint>(has ? ssokit_error_http_status(error) : 0), code, server_message, action, help_url, trace);
  if (env->ExceptionCheck()) return nullptr;
  return static_cast<jthrowable>(frame.pop(exception));
}

void throw_exception(JNIEnv* env, jthrowable exception) {
  if (exception == nullptr) return;  // what stopped it is pending instead
  env->Throw(exception);
  env->DeleteLocalRef(exception);
}

}  // namespace

jobject java_token(JNIEnv* env, const ssokit_token* token) {
  jstring value = java_string(env, ssokit_token_value(token));
  if (value == nullptr) return nullptr;
  jobject result = env->NewObject(java().service_token, java().service_token_new, value,
                                  static_cast<jlong>(ssokit_token_not_before_ms(token)),
                                  static_cast<jlong>(ssokit_token_not_after_ms(token)));
  env->DeleteLocalRef(value);
  return result;
}

jobject java_link_code(JNIEnv* env, const ssokit_link_code* code) {
  jstring value = java_string(env, ssokit_link_code_value(code));
  if (value == nullptr) return nullptr;
  jobject result = env->NewObject(java().link_code, java().link_code_new, value,
                                  static_cast<jlong>(ssokit_link_code_not_before_ms(code)),
                                  static_cast<jlong>(ssokit_link_code_not_after_ms(code)));
  env->DeleteLocalRef(value);
  return result;
}

jobject java_devices(JNIEnv* env, const ssokit_device_list* devices) {
  return java_array(env, java().device, ssokit_device_list_size(devices),
                    [&](size_t i) { return java_device(env, ssokit_device_list_at(devices, i)); });
}

jobject java_strings(JNIEnv* env, const ssokit_string_list* strings) {
  return java_array(env, java().string, ssokit_string_list_size(strings),
                    [&](size_t i) -> jobject { return java_string(env, ssokit_string_list_at(strings, i)); });
}

jthrowable java_exception(JNIEnv* env, int status, const ssokit_error* error) {
  return exception_of(env, status, error ? ssokit_error_message(error) : ssokit_status_name(status), error);
}

void throw_failure(JNIEnv* env, int status, const ssokit_error* error) {
  throw_exception(env, java_exception(env, status, error));
}

void throw_invalid_argument(JNIEnv* env, const char* message) {
  throw_exception(env, exception_of(env, SSOKIT_INVALID_ARGUMENT, message, nullptr));
}

}  // namespace ssokit::jni
