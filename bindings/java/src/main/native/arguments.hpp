#pragma once
// Java arguments as the C API takes them: NUL-terminated UTF-8 strings, and arrays of them.
#include <jni.h>

#include <string>
#include <vector>

namespace ssokit::jni {

// A null Java string gives NULL (the C API then says what is missing). A string holding a NUL
// character throws INVALID_ARGUMENT, naming the argument: cut at the NUL, it would be another
// string (another account id) without anyone noticing.
class ArgumentString {
 public:
  ArgumentString(JNIEnv* env, jstring text, const char* name);

  // False when an exception is pending: return to Java at once.
  bool ok() const { return ok_; }
  const char* c_str() const { return null_ ? nullptr : text_.c_str(); }

 private:
  std::string text_;
  bool null_ = true;
  bool ok_ = true;
};

// The strings of a String[] (its elements not null: the Java side checks), as a `const char*`
// array that lives as long as this.
class ArgumentStrings {
 public:
  ArgumentStrings(JNIEnv* env, jobjectArray array, const char* name);

  bool ok() const { return ok_; }
  // Never NULL, even for no strings: an empty list is a list, not a missing argument.
  const char* const* data() const { return pointers_.empty() ? &kNone : pointers_.data(); }
  size_t size() const { return pointers_.size(); }

 private:
  static constexpr const char* kNone = nullptr;
  std::vector<std::string> texts_;
  std::vector<const char*> pointers_;
  bool ok_ = true;
};

}  // namespace ssokit::jni
