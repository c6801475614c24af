// The asynchronous calls. Each hands the SDK a global reference to its Java PendingCompletion;
// the SDK's callback, on one of its worker threads, turns the answer into Java and completes
// it, exactly once, then drops the reference.
#include "arguments.hpp"
#include "dev_ssokit_NativeBridge.h"
#include "java_classes.hpp"
#include "java_client.hpp"
#include "java_values.hpp"
#include "jvm.hpp"

using ssokit::jni::ArgumentString;
using ssokit::jni::ArgumentStrings;
using ssokit::jni::sdk_call;
using ssokit::jni::sdk_client;

namespace {

namespace jni = ssokit::jni;

constexpr jint kFrameCapacity = 16;

// What went wrong while answering (out of memory, or a throw in the completion itself) still
// completes the future, with that exception.
void fail_with_pending_exception(JNIEnv* env, jobject pending) {
  jthrowable thrown = env->ExceptionOccurred();
  env->ExceptionClear();
  env->CallVoidMethod(pending, jni::java().pending_fail, thrown);
  env->ExceptionClear();  // nothing more can be done for this call
  env->DeleteLocalRef(thrown);
}

// The SDK's callback for a call answering a `Value`, made Java by `to_java`.
template <typename Value, jobject (*to_java)(JNIEnv*, const Value*)>
void on_done(void* user_data, int status, const Value* value, const ssokit_error* error) {
  auto pending = static_cast<jobject>(user_data);
  JNIEnv* env = jni::attached_env();
  if (env == nullptr) return;  // the VM is shutting down: no one is left to tell
  {
    jni::LocalFrame frame(env, kFrameCapacity);
    if (frame && status == SSOKIT_OK) {
      jobject result = to_java(env, value);
      if (result != nullptr) env->CallVoidMethod(pending, jni::java().pending_succeed, result);
    } else if (frame) {
      jthrowable failure = jni::java_exception(env, status, error);
      if (failure != nullptr) env->CallVoidMethod(pending, jni::java().pending_fail, failure);
    }
    if (env->ExceptionCheck()) fail_with_pending_exception(env, pending);
  }
  env->DeleteGlobalRef(pending);
}

constexpr ssokit_token_done_fn on_token = on_done<ssokit_token, jni::java_token>;
constexpr ssokit_link_code_done_fn on_link_code = on_done<ssokit_link_code, jni::java_link_code>;
constexpr ssokit_device_list_done_fn on_devices = on_done<ssokit_device_list, jni::java_devices>;
constexpr ssokit_string_list_done_fn on_strings = on_done<ssokit_string_list, jni::java_strings>;

// Queues a call: `start(user_data)` calls the C API's _async function. When the SDK does not
// queue it (its callback will never run), the reference is dropped and the refusal thrown.
template <typename Start>
void queue(JNIEnv* env, jobject done, Start start) {
  jobject pending = env->NewGlobalRef(done);
  if (pending == nullptr) return;  // out of memory, pending
  const int status = start(static_cast<void*>(pending));
  if (status == SSOKIT_OK) return;
  env->DeleteGlobalRef(pending);
  jni::throw_failure(env, status, nullptr);
}

}  // namespace

JNIEXPORT void JNICALL Java_dev_ssokit_NativeBridge_signInAsync(JNIEnv* env, jclass, jlong client, jstring sso_id,
                                                                jlong call, jobject done) {
  ArgumentString id(env, sso_id, "ssoId");
  if (!id.ok()) return;
  queue(env, done, [&](void* pending) {
    return ssokit_client_sign_in_async(sdk_client(client), id.c_str(), sdk_call(call), on_token, pending);
  });
}

JNIEXPORT void JNICALL Java_dev_ssokit_NativeBridge_redeemLinkCodeAsync(JNIEnv* env, jclass, jlong client, jstring code,
                                                                        jlong call, jobject done) {
  ArgumentString text(env, code, "code");
  if (!text.ok()) return;
  queue(env, done, [&](void* pending) {
    return ssokit_client_redeem_link_code_async(sdk_client(client), text.c_str(), sdk_call(call), on_token, pending);
  });
}

JNIEXPORT void JNICALL Java_dev_ssokit_NativeBridge_signInWithPlatformIdentityAsync(JNIEnv* env, jclass, jlong client,
                                                                                    jlong call, jobject done) {
  queue(env, done, [&](void* pending) {
    return ssokit_client_sign_in_with_platform_identity_async(sdk_client(client), sdk_call(call), on_token, pending);
  });
}

JNIEXPORT void JNICALL Java_dev_ssokit_NativeBridge_serviceTokenAsync(JNIEnv* env, jclass, jlong client, jlong call,
                                                                      jobject done) {
  queue(env, done, [&](void* pending) {
    return ssokit_client_service_token_async(sdk_client(client), sdk_call(call), on_token, pending);
  });
}

JNIEXPORT void JNICALL Java_dev_ssokit_NativeBridge_createLinkCodeAsync(JNIEnv* env, jclass, jlong client, jlong call,
                                                                        jobject done) {
  queue(env, done, [&](void* pending) {
    return ssokit_client_create_link_code_async(sdk_client(client), sdk_call(call), on_link_code, pending);
  });
}

JNIEXPORT void JNICALL Java_dev_ssokit_NativeBridge_listDevicesAsync(JNIEnv* env, jclass, jlong client, jlong call,
                                                                     jobject done) {
  queue(env, done, [&](void* pending) {
    return ssokit_client_list_devices_async(sdk_client(client), sdk_call(call), on_devices, pending);
  });
}

JNIEXPORT void JNICALL Java_dev_ssokit_NativeBridge_unlinkDevicesAsync(JNIEnv* env, jclass, jlong client,
                                                                       jobjectArray device_ids, jlong call,
                                                                       jobject done) {
  ArgumentStrings ids(env, device_ids, "deviceIds");
  if (!ids.ok()) return;
  queue(env, done, [&](void* pending) {
    return ssokit_client_unlink_devices_async(sdk_client(client), ids.data(), ids.size(), sdk_call(call), on_strings,
                                              pending);
  });
}
