#pragma once
// The C API's handles as owners that free them when they go out of scope, and the pointers
// the Java side holds as longs.
#include <jni.h>

#include <cstdint>
#include <memory>

#include "ssokit/c/ssokit.h"

namespace ssokit::jni {

template <typename Handle, void (*Free)(Handle*)>
struct HandleFree {
  void operator()(Handle* handle) const { Free(handle); }
};
template <typename Handle, void (*Free)(Handle*)>
using Owned = std::unique_ptr<Handle, HandleFree<Handle, Free>>;

using OwnedError = Owned<ssokit_error, ssokit_error_free>;
using OwnedOptions = Owned<ssokit_options, ssokit_options_free>;
using OwnedToken = Owned<ssokit_token, ssokit_token_free>;
using OwnedLinkCode = Owned<ssokit_link_code, ssokit_link_code_free>;
using OwnedDeviceList = Owned<ssokit_device_list, ssokit_device_list_free>;
using OwnedStringList = Owned<ssokit_string_list, ssokit_string_list_free>;
using OwnedString = Owned<char, ssokit_string_free>;

// A native pointer as the long the Java side keeps (0 for NULL), and back. Through intptr_t,
// so 32-bit ABIs (armeabi-v7a) convert without warnings.
template <typename T>
jlong to_jlong(T* pointer) {
  return static_cast<jlong>(reinterpret_cast<intptr_t>(pointer));
}
template <typename T>
T* from_jlong(jlong value) {
  return reinterpret_cast<T*>(static_cast<intptr_t>(value));
}

}  // namespace ssokit::jni
