#pragma once
// The C API's answers as Java objects: values, lists, and failures as dev.ssokit.SsoException.
// Each returns nullptr with an exception pending when the VM cannot build the object.
#include <jni.h>

#include "ssokit/c/ssokit.h"

namespace ssokit::jni {

jobject java_token(JNIEnv* env, const ssokit_token* token);
jobject java_link_code(JNIEnv* env, const ssokit_link_code* code);
jobject java_devices(JNIEnv* env, const ssokit_device_list* devices);  // Device[]
jobject java_strings(JNIEnv* env, const ssokit_string_list* strings);  // String[]

// An SsoException of `status` with `error`'s message and server error object (`error` may be
// NULL: the status name is the message then).
jthrowable java_exception(JNIEnv* env, int status, const ssokit_error* error);

// Throws java_exception(status, error) into the calling Java code.
void throw_failure(JNIEnv* env, int status, const ssokit_error* error);
// Throws an SsoException of ErrorCode.INVALID_ARGUMENT with `message`.
void throw_invalid_argument(JNIEnv* env, const char* message);

}  // namespace ssokit::jni
