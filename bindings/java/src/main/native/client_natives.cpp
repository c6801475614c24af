// The client's lifetime, per-call options, and the blocking calls: each runs on the calling
// Java thread and answers a value or throws SsoException.
#include <memory>

#include "arguments.hpp"
#include "c_handles.hpp"
#include "dev_ssokit_NativeBridge.h"
#include "java_client.hpp"
#include "java_text.hpp"
#include "java_values.hpp"

using ssokit::jni::ArgumentString;
using ssokit::jni::ArgumentStrings;
using ssokit::jni::from_jlong;
using ssokit::jni::java_devices;
using ssokit::jni::java_link_code;
using ssokit::jni::java_string;
using ssokit::jni::java_strings;
using ssokit::jni::java_token;
using ssokit::jni::JavaClient;
using ssokit::jni::OwnedDeviceList;
using ssokit::jni::OwnedError;
using ssokit::jni::OwnedLinkCode;
using ssokit::jni::OwnedOptions;
using ssokit::jni::OwnedString;
using ssokit::jni::OwnedStringList;
using ssokit::jni::OwnedToken;
using ssokit::jni::sdk_call;
using ssokit::jni::sdk_client;
using ssokit::jni::throw_failure;
using ssokit::jni::to_jlong;

namespace {

// `status` was not OK: throw it, with `error` (may be null). The caller returns at once.
void fail(JNIEnv* env, int status, const OwnedError& error) {
  throw_failure(env, status, error.get());
}

jobject token_answer(JNIEnv* env, int status, ssokit_token* token, ssokit_error* error) {
  OwnedToken owned_token(token);
  OwnedError owned_error(error);
  if (status != SSOKIT_OK) {
    fail(env, status, owned_error);
    return nullptr;
  }
  return java_token(env, owned_token.get());
}

// Applies the string setting `set` when the Java side gave a value. False with an exception
// pending when it failed.
bool set_string(JNIEnv* env, ssokit_options* options, jstring value, const char* name,
                int (*set)(ssokit_options*, const char*)) {
  if (value == nullptr) return true;  // unset: ssokit_client_create names it if it is needed
  ArgumentString text(env, value, name);
  if (!text.ok()) return false;
  const int status = set(options, text.c_str());
  if (status != SSOKIT_OK) throw_failure(env, status, nullptr);
  return status == SSOKIT_OK;
}

// Every option the Java Builder gave, on `options`; false with an exception pending.
bool set_options(JNIEnv* env, ssokit_options* options, jstring server, jstring service_provider,
                 jstring software_statement, jboolean allow_insecure_http, jlong default_timeout_ms, jint async_threads,
                 jstring raw_device_id, jstring app_salt, jstring device_info_json) {
  if (!set_string(env, options, server, "server", ssokit_options_set_server) ||
      !set_string(env, options, service_provider, "serviceProvider", ssokit_options_set_service_provider) ||
      !set_string(env, options, software_statement, "softwareStatement", ssokit_options_set_software_statement) ||
      !set_string(env, options, device_info_json, "deviceInfo", ssokit_options_set_device_info_json)) {
    return false;
  }
  int status = ssokit_options_set_allow_insecure_http(options, allow_insecure_http ? 1 : 0);
  if (status == SSOKIT_OK && default_timeout_ms >= 0) {
    status = ssokit_options_set_default_timeout_ms(options, default_timeout_ms);
  }
  if (status == SSOKIT_OK && async_threads > 0) status = ssokit_options_set_async_threads(options, async_threads);
  if (status == SSOKIT_OK && raw_device_id != nullptr && app_salt != nullptr) {
    ArgumentString raw(env, raw_device_id, "rawId");
    ArgumentString salt(env, app_salt, "appSalt");
    if (!raw.ok() || !salt.ok()) return false;
    status = ssokit_options_set_device_id(options, raw.c_str(), salt.c_str());
  }
  if (status != SSOKIT_OK) throw_failure(env, status, nullptr);
  return status == SSOKIT_OK;
}

}  // namespace

JNIEXPORT jstring JNICALL Java_dev_ssokit_NativeBridge_version(JNIEnv* env, jclass) {
  return java_string(env, ssokit_version());
}

JNIEXPORT jstring JNICALL Java_dev_ssokit_NativeBridge_statusName(JNIEnv* env, jclass, jint status) {
  return java_string(env, ssokit_status_name(status));
}

JNIEXPORT jlong JNICALL Java_dev_ssokit_NativeBridge_create(JNIEnv* env, jclass, jstring server,
                                                            jstring service_provider, jstring software_statement,
                                                            jboolean allow_insecure_http, jlong default_timeout_ms,
                                                            jint async_threads, jstring raw_device_id, jstring app_salt,
                                                            jstring device_info_json, jobject store, jobject identity,
                                                            jobject log) {
  OwnedOptions options(ssokit_options_new());
  if (!set_options(env, options.get(), server, service_provider, software_statement, allow_insecure_http,
                   default_timeout_ms, async_threads, raw_device_id, app_salt, device_info_json)) {
    return 0;
  }
  auto client = std::make_unique<JavaClient>();
  client->platform = ssokit::jni::hold_platform(env, store, identity, log);
  ssokit_error* error = nullptr;
  int status = ssokit::jni::set_platform_callbacks(options.get(), &client->platform);
  if (status == SSOKIT_OK) status = ssokit_client_create(options.get(), &client->client, &error);
  if (status != SSOKIT_OK) {
    ssokit::jni::release_platform(env, client->platform);
    fail(env, status, OwnedError(error));
    return 0;
  }
  return to_jlong(client.release());
}

JNIEXPORT void JNICALL Java_dev_ssokit_NativeBridge_free(JNIEnv* env, jclass, jlong handle) {
  std::unique_ptr<JavaClient> client(from_jlong<JavaClient>(handle));
  // Finishes the queued asynchronous calls first; until it returns, callbacks still reach the
  // platform services, so their references are dropped only after.
  ssokit_client_free(client->client);
  ssokit::jni::release_platform(env, client->platform);
}

JNIEXPORT jlong JNICALL Java_dev_ssokit_NativeBridge_callNew(JNIEnv*, jclass, jlong timeout_ms, jboolean from_server) {
  ssokit_call* call = ssokit_call_new();
  if (timeout_ms >= 0) ssokit_call_set_timeout_ms(call, timeout_ms);
  if (from_server) ssokit_call_set_from_server(call, 1);
  return to_jlong(call);
}

JNIEXPORT void JNICALL Java_dev_ssokit_NativeBridge_callCancel(JNIEnv*, jclass, jlong call) {
  ssokit_call_cancel(from_jlong<ssokit_call>(call));
}

JNIEXPORT void JNICALL Java_dev_ssokit_NativeBridge_callFree(JNIEnv*, jclass, jlong call) {
  ssokit_call_free(from_jlong<ssokit_call>(call));
}

JNIEXPORT jobject JNICALL Java_dev_ssokit_NativeBridge_signIn(JNIEnv* env, jclass, jlong client, jstring sso_id,
                                                              jlong call) {
  ArgumentString id(env, sso_id, "ssoId");
  if (!id.ok()) return nullptr;
  ssokit_token* token = nullptr;
  ssokit_error* error = nullptr;
  const int status = ssokit_client_sign_in(sdk_client(client), id.c_str(), sdk_call(call), &token, &error);
  return token_answer(env, status, token, error);
}

JNIEXPORT jobject JNICALL Java_dev_ssokit_NativeBridge_redeemLinkCode(JNIEnv* env, jclass, jlong client, jstring code,
                                                                      jlong call) {
  ArgumentString text(env, code, "code");
  if (!text.ok()) return nullptr;
  ssokit_token* token = nullptr;
  ssokit_error* error = nullptr;
  const int status = ssokit_client_redeem_link_code(sdk_client(client), text.c_str(), sdk_call(call), &token, &error);
  return token_answer(env, status, token, error);
}

JNIEXPORT jobject JNICALL Java_dev_ssokit_NativeBridge_signInWithPlatformIdentity(JNIEnv* env, jclass, jlong client,
                                                                                  jlong call) {
  ssokit_token* token = nullptr;
  ssokit_error* error = nullptr;
  const int status = ssokit_client_sign_in_with_platform_identity(sdk_client(client), sdk_call(call), &token, &error);
  return token_answer(env, status, token, error);
}

JNIEXPORT jobject JNICALL Java_dev_ssokit_NativeBridge_serviceToken(JNIEnv* env, jclass, jlong client, jlong call) {
  ssokit_token* token = nullptr;
  ssokit_error* error = nullptr;
  const int status = ssokit_client_service_token(sdk_client(client), sdk_call(call), &token, &error);
  return token_answer(env, status, token, error);
}

JNIEXPORT jobject JNICALL Java_dev_ssokit_NativeBridge_createLinkCode(JNIEnv* env, jclass, jlong client, jlong call) {
  ssokit_link_code* code = nullptr;
  ssokit_error* error = nullptr;
  const int status = ssokit_client_create_link_code(sdk_client(client), sdk_call(call), &code, &error);
  OwnedLinkCode owned_code(code);
  OwnedError owned_error(error);
  if (status != SSOKIT_OK) {
    fail(env, status, owned_error);
    return nullptr;
  }
  return java_link_code(env, owned_code.get());
}

JNIEXPORT jobjectArray JNICALL Java_dev_ssokit_NativeBridge_listDevices(JNIEnv* env, jclass, jlong client, jlong call) {
  ssokit_device_list* devices = nullptr;
  ssokit_error* error = nullptr;
  const int status = ssokit_client_list_devices(sdk_client(client), sdk_call(call), &devices, &error);
  OwnedDeviceList owned_devices(devices);
  OwnedError owned_error(error);
  if (status != SSOKIT_OK) {
    fail(env, status, owned_error);
    return nullptr;
  }
  return static_cast<jobjectArray>(java_devices(env, owned_devices.get()));
}

JNIEXPORT jobjectArray JNICALL Java_dev_ssokit_NativeBridge_unlinkDevices(JNIEnv* env, jclass, jlong client,
                                                                          jobjectArray device_ids, jlong call) {
  ArgumentStrings ids(env, device_ids, "deviceIds");
  if (!ids.ok()) return nullptr;
  ssokit_string_list* unlinked = nullptr;
  ssokit_error* error = nullptr;
  const int status =
      ssokit_client_unlink_devices(sdk_client(client), ids.data(), ids.size(), sdk_call(call), &unlinked, &error);
  OwnedStringList owned_unlinked(unlinked);
  OwnedError owned_error(error);
  if (status != SSOKIT_OK) {
    fail(env, status, owned_error);
    return nullptr;
  }
  return static_cast<jobjectArray>(java_strings(env, owned_unlinked.get()));
}

JNIEXPORT void JNICALL Java_dev_ssokit_NativeBridge_signOut(JNIEnv* env, jclass, jlong client) {
  ssokit_error* error = nullptr;
  const int status = ssokit_client_sign_out(sdk_client(client), &error);
  OwnedError owned_error(error);
  if (status != SSOKIT_OK) fail(env, status, owned_error);
}

JNIEXPORT jboolean JNICALL Java_dev_ssokit_NativeBridge_signedIn(JNIEnv*, jclass, jlong client) {
  return ssokit_client_signed_in(sdk_client(client)) == 1 ? JNI_TRUE : JNI_FALSE;
}

JNIEXPORT jstring JNICALL Java_dev_ssokit_NativeBridge_deviceId(JNIEnv* env, jclass, jlong client) {
  char* id = nullptr;
  ssokit_error* error = nullptr;
  const int status = ssokit_client_device_id(sdk_client(client), &id, &error);
  OwnedString owned_id(id);
  OwnedError owned_error(error);
  if (status != SSOKIT_OK) {
    fail(env, status, owned_error);
    return nullptr;
  }
  return java_string(env, owned_id.get());
}
