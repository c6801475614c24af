#include "arguments.hpp"

#include "java_text.hpp"
#include "java_values.hpp"

namespace ssokit::jni {
namespace {

// UTF-8 of `text` into `out`; false with an exception pending on failure or on a NUL.
bool argument_utf8(JNIEnv* env, jstring text, const char* name, std::string& out) {
  if (!utf8_of(env, text, out)) return false;
  if (out.find('\0') == std::string::npos) return true;
  throw_invalid_argument(env, (std::string(name) + " contains a NUL character").c_str());
  return false;
}

}  // namespace

ArgumentString::ArgumentString(JNIEnv* env, jstring text, const char* name) {
  if (text == nullptr) return;
  null_ = false;
  ok_ = argument_utf8(env, text, name, text_);
}

ArgumentStrings::ArgumentStrings(JNIEnv* env, jobjectArray array, const char* name) {
  const jsize length = array ? env->GetArrayLength(array) : 0;
  texts_.resize(static_cast<size_t>(length));
  for (jsize i = 0; i < length && ok_; ++i) {
    auto element = static_cast<jstring>(env->GetObjectArrayElement(array, i));
    if (element == nullptr) {
      if (!env->ExceptionCheck()) throw_invalid_argument(env, (std::string(name) + " holds a null").c_str());
      ok_ = false;
    } else {
      ok_ = argument_utf8(env, element, name, texts_[static_cast<size_t>(i)]);
      env->DeleteLocalRef(element);
    }
  }
  // Pointers only once every string is in place: texts_ no longer moves.
  for (const std::string& text : texts_) pointers_.push_back(text.c_str());
}

}  // namespace ssokit::jni
