#pragma once
// The curl transport's reusable libcurl handles. Each pooled handle is a multi handle driving
// one easy handle: the multi handle owns the connection cache, so a handle taken again finds
// its keep-alive connection and a second call to the same host makes no new TCP or TLS
// handshake. At most `max_handles` exist (each keeps at most one idle connection), so at most
// that many connections are open; a call that finds them all busy waits for one. DNS answers
// and TLS sessions are shared by all handles of a pool through one share handle.
#include <curl/curl.h>

#include <array>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include "ssokit/result.hpp"
#include "transport/curl_header_list.hpp"
#include "transport/curl_socket_watch.hpp"
#include "ssokit/transport.hpp"

namespace ssokit::internal {

class CurlHandle {
 public:
  // nullptr when libcurl cannot make the handles (out of memory).
  static std::unique_ptr<CurlHandle> create(CURLSH* share);
  ~CurlHandle();
  CurlHandle(const CurlHandle&) = delete;
  CurlHandle& operator=(const CurlHandle&) = delete;

  CURLM* multi() const { return multi_; }
  CURL* easy() const { return easy_; }

  // Whether the options every call shares are set on the easy handle: they are set once, not
  // reset and set again on every call (that was a measurable share of a call's cost).
  bool configured() const { return configured_; }
  void set_configured(bool configured) { configured_ = configured; }
  // The header lines of the call in flight (or of the last one).
  CurlHeaderList& headers() { return headers_; }
  // The sockets and timer curl wants watched for the multi handle.
  CurlSocketWatch& watch() { return watch_; }

 private:
  CurlHandle(CURLM* multi, CURL* easy) : multi_(multi), easy_(easy) {}
  CURLM* multi_;
  CURL* easy_;
  bool configured_ = false;
  CurlHeaderList headers_;  // outlives every transfer of easy_, which points into it
  CurlSocketWatch watch_;   // outlives multi_, whose callbacks write to it
};

class CurlHandlePool {
 public:
  // A handle taken from the pool; given back when the lease ends. Used by one thread at a time.
  class Lease {
   public:
    Lease(CurlHandlePool& pool, std::unique_ptr<CurlHandle> handle) : pool_(&pool), handle_(std::move(handle)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (handle_) pool_->give_back(std::move(handle_));
    }
    CurlHandle& operator*() const { return *handle_; }
    CurlHandle* operator->() const { return handle_.get(); }

   private:
    CurlHandlePool* pool_;
    std::unique_ptr<CurlHandle> handle_;
  };

  // max_handles 0 is taken as 1.
  explicit CurlHandlePool(std::size_t max_handles);
  // Every lease must have ended.
  ~CurlHandlePool();
  CurlHandlePool(const CurlHandlePool&) = delete;
  CurlHandlePool& operator=(const CurlHandlePool&) = delete;

  // The most recently used idle handle, else a new one while fewer than max_handles exist,
  // else the first one given back. kTimeout when the call's deadline passes first, kCancelled
  // when its flag is set first, kNetworkError when libcurl cannot make a handle.
  Result<Lease> acquire(const TransportCall& call);

 private:
  void give_back(std::unique_ptr<CurlHandle> handle);
  static void lock_shared_data(CURL* easy, curl_lock_data data, curl_lock_access access, void* pool);
  static void unlock_shared_data(CURL* easy, curl_lock_data data, void* pool);

  const std::size_t max_handles_;
  CURLSH* share_ = nullptr;  // null when libcurl could not make it: handles then share nothing
  std::array<std::mutex, CURL_LOCK_DATA_LAST> share_locks_;

  std::mutex mutex_;
  std::condition_variable handle_returned_;
  std::vector<std::unique_ptr<CurlHandle>> idle_;  // most recently used last
  std::size_t handles_ = 0;                        // idle and leased
};

}  // namespace ssokit::internal
