#pragma once
// The Java VM as any thread sees it. The SDK calls back on its own worker threads, which the
// VM does not know: they are attached on first use, as daemons (an SDK worker must never keep
// the VM from exiting), and detached by a thread-exit hook, since the SDK owns those threads
// and gives no other notice of their end.
#include <jni.h>

namespace ssokit::jni {

constexpr jint kJniVersion = JNI_VERSION_1_6;

// Remembers the VM and prepares the detach at thread exit (JNI_OnLoad). False if it cannot.
bool init_vm(JavaVM* vm);

// The calling thread's JNIEnv: a Java thread's own, or a daemon attachment made now (named
// "ssokit-worker", detached when the thread exits). nullptr if the VM refuses (shutting down).
JNIEnv* attached_env();

// Local references made in a callback are freed with this frame. A worker stays attached for
// its whole life and a Java thread may be inside a long native call, so without a frame every
// reference made in a callback would live as long as the thread or the call.
class LocalFrame {
 public:
  LocalFrame(JNIEnv* env, jint capacity) : env_(env), pushed_(env->PushLocalFrame(capacity) == 0) {}
  ~LocalFrame() {
    if (pushed_) env_->PopLocalFrame(nullptr);
  }
  LocalFrame(const LocalFrame&) = delete;
  LocalFrame& operator=(const LocalFrame&) = delete;

  // False when the VM could not make room (an OutOfMemoryError is then pending).
  explicit operator bool() const { return pushed_; }

  // Ends the frame now, keeping `result` (a reference of this frame, or null) for the caller.
  jobject pop(jobject result) {
    if (!pushed_) return result;
    pushed_ = false;
    return env_->PopLocalFrame(result);
  }

 private:
  JNIEnv* env_;
  bool pushed_;
};

}  // namespace ssokit::jni
