#pragma once
// Strings between Java (UTF-16) and the C API (UTF-8). JNI's own "UTF" functions speak modified
// UTF-8 (NUL as two bytes, characters beyond U+FFFF as two 3-byte surrogates), which neither
// the SDK nor the server speak, and Android's CheckJNI aborts on text that is not valid
// modified UTF-8: every string crosses here instead.
#include <jni.h>

#include <string>

namespace ssokit::jni {

// `text` (not null) as UTF-8; an unpaired surrogate becomes U+FFFD. False, with an exception
// pending, when the VM could not hand over the characters.
bool utf8_of(JNIEnv* env, jstring text, std::string& utf8);

// A Java string of `utf8` (NULL reads as ""); invalid UTF-8 becomes U+FFFD. nullptr, with an
// OutOfMemoryError pending, if the VM has no room.
jstring java_string(JNIEnv* env, const char* utf8);

}  // namespace ssokit::jni
