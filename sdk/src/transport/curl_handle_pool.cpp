#include "transport/curl_handle_pool.hpp"

#include <algorithm>
#include <chrono>

#include "ssokit/transport_support.hpp"

namespace ssokit::internal {
namespace {

// With no cancel flag to watch, a waiting call still wakes this often to look at the clock, so
// a deadline far away never turns into an overflowing absolute time.
constexpr std::chrono::seconds kLongestWait{60};

}  // namespace

std::unique_ptr<CurlHandle> CurlHandle::create(CURLSH* share) {
  CURLM* multi = curl_multi_init();
  CURL* easy = curl_easy_init();
  if (multi == nullptr || easy == nullptr) {
    if (easy != nullptr) curl_easy_cleanup(easy);
    if (multi != nullptr) curl_multi_cleanup(multi);
    return nullptr;
  }
  // One idle connection per handle: the pool's size is the bound on open connections.
  curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, 1L);
  // Kept by curl_easy_reset(), so set once.
  if (share != nullptr) curl_easy_setopt(easy, CURLOPT_SHARE, share);
  std::unique_ptr<CurlHandle> handle(new CurlHandle(multi, easy));
  handle->watch_.attach(multi);
  return handle;
}

CurlHandle::~CurlHandle() {
  curl_multi_cleanup(multi_);  // closes the cached connection
  curl_easy_cleanup(easy_);
}

CurlHandlePool::CurlHandlePool(std::size_t max_handles) : max_handles_(std::max<std::size_t>(max_handles, 1)) {
  share_ = curl_share_init();
  if (share_ == nullptr) return;
  curl_share_setopt(share_, CURLSHOPT_LOCKFUNC, &CurlHandlePool::lock_shared_data);
  curl_share_setopt(share_, CURLSHOPT_UNLOCKFUNC, &CurlHandlePool::unlock_shared_data);
  curl_share_setopt(share_, CURLSHOPT_USERDATA, static_cast<void*>(this));
  curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
}

CurlHandlePool::~CurlHandlePool() {
  idle_.clear();  // the share handle refuses to go while an easy handle still uses it
  if (share_ != nullptr) curl_share_cleanup(share_);
}

void CurlHandlePool::lock_shared_data(CURL* /*easy*/, curl_lock_data data, curl_lock_access /*access*/, void* pool) {
  const auto index = static_cast<std::size_t>(data);
  auto& locks = static_cast<CurlHandlePool*>(pool)->share_locks_;
  if (index < locks.size()) locks[index].lock();
}

void CurlHandlePool::unlock_shared_data(CURL* /*easy*/, curl_lock_data data, void* pool) {
  const auto index = static_cast<std::size_t>(data);
  auto& locks = static_cast<CurlHandlePool*>(pool)->share_locks_;
  if (index < locks.size()) locks[index].unlock();
}

Result<CurlHandlePool::Lease> CurlHandlePool::acquire(const TransportCall& call) {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (!idle_.empty()) {
      std::unique_ptr<CurlHandle> handle = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(handle));
    }
    if (handles_ < max_handles_) {
      ++handles_;
      lock.unlock();
      std::unique_ptr<CurlHandle> handle = CurlHandle::create(share_);
      if (!handle) {
        lock.lock();
        --handles_;
        handle_returned_.notify_one();  // the slot is free again
        return Status(ErrorCode::kNetworkError, "libcurl could not make a handle (out of memory)");
      }
      return Lease(*this, std::move(handle));
    }
    if (call.cancelled && call.cancelled->load()) {
      return Status(ErrorCode::kCancelled, "the call was cancelled while waiting for a free connection");
    }
    const auto now = std::chrono::steady_clock::now();
    if (now >= call.deadline) {
      return Status(ErrorCode::kTimeout, "the deadline passed while waiting for a free connection");
    }
    const auto longest = call.cancelled ? std::chrono::steady_clock::duration(kCancelPollInterval)
                                        : std::chrono::steady_clock::duration(kLongestWait);
    const auto wake = call.deadline - now < longest ? call.deadline : now + longest;
    handle_returned_.wait_until(lock, wake);
  }
}

void CurlHandlePool::give_back(std::unique_ptr<CurlHandle> handle) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(handle));
  }
  handle_returned_.notify_one();
}

}  // namespace ssokit::internal
