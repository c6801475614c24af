#pragma once
// One run at a time: the first caller does the work with no lock held; callers arriving
// meanwhile wait for that run and share its result. 32 threads asking for a token at expiry
// cause exactly one refresh call.
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>

#include "ssokit/result.hpp"

namespace ssokit::internal {

template <class T>
class SingleFlight {
 public:
  Result<T> run(const std::function<Result<T>()>& work) {
    std::unique_lock lock(mutex_);
    if (running_) {
      const std::uint64_t generation = generation_;
      done_.wait(lock, [&] { return generation_ != generation; });
      return *last_;
    }
    running_ = true;
    lock.unlock();
    Result<T> result = work();
    lock.lock();
    last_ = result;
    running_ = false;
    ++generation_;
    done_.notify_all();
    return result;
  }

 private:
  std::mutex mutex_;
  std::condition_variable done_;
  bool running_ = false;
  std::uint64_t generation_ = 0;
  std::optional<Result<T>> last_;
};

}  // namespace ssokit::internal
