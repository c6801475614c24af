// malloc interposition over glibc's __libc_* entry points. Sizes come from
// malloc_usable_size on both sides so allocation and release always agree.
#include "heap_counter.hpp"

#include <malloc.h>

#include <atomic>
#include <cerrno>
#include <cstddef>

extern "C" {
void* __libc_malloc(std::size_t size);
void __libc_free(void* ptr);
void* __libc_calloc(std::size_t count, std::size_t size);
void* __libc_realloc(void* ptr, std::size_t size);
void* __libc_memalign(std::size_t alignment, std::size_t size);
void* __libc_valloc(std::size_t size);
void* __libc_pvalloc(std::size_t size);
}

namespace {

std::atomic<bool> g_counting{false};
std::atomic<std::int64_t> g_live{0};
std::atomic<std::int64_t> g_peak{0};
std::atomic<std::int64_t> g_allocations{0};

void count_alloc(void* ptr) {
  if (ptr == nullptr || !g_counting.load(std::memory_order_relaxed)) return;
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  const auto bytes = static_cast<std::int64_t>(malloc_usable_size(ptr));
  const std::int64_t live = g_live.fetch_add(bytes, std::memory_order_relaxed) + bytes;
  std::int64_t peak = g_peak.load(std::memory_order_relaxed);
  while (live > peak && !g_peak.compare_exchange_weak(peak, live, std::memory_order_relaxed)) {
  }
}

void count_free(void* ptr) {
  if (ptr == nullptr || !g_counting.load(std::memory_order_relaxed)) return;
  g_live.fetch_sub(static_cast<std::int64_t>(malloc_usable_size(ptr)), std::memory_order_relaxed);
}

}  // namespace

extern "C" {

void* malloc(std::size_t size) noexcept {
  void* ptr = __libc_malloc(size);
  count_alloc(ptr);
  return ptr;
}

void free(void* ptr) noexcept {
  count_free(ptr);
  __libc_free(ptr);
}

void* calloc(std::size_t count, std::size_t size) noexcept {
  void* ptr = __libc_calloc(count, size);
  count_alloc(ptr);
  return ptr;
}

void* realloc(void* ptr, std::size_t size) noexcept {
  count_free(ptr);
  void* moved = __libc_realloc(ptr, size);
  if (moved != nullptr) {
    count_alloc(moved);
  } else if (ptr != nullptr && size != 0) {
    count_alloc(ptr);  // failed: the old block is still live
  }
  return moved;
}

void* memalign(std::size_t alignment, std::size_t size) noexcept {
  void* ptr = __libc_memalign(alignment, size);
  count_alloc(ptr);
  return ptr;
}

void* aligned_alloc(std::size_t alignment, std::size_t size) noexcept { return memalign(alignment, size); }

int posix_memalign(void** out, std::size_t alignment, std::size_t size) noexcept {
  if (alignment < sizeof(void*) || (alignment & (alignment - 1)) != 0) return EINVAL;
  void* ptr = memalign(alignment, size);
  if (ptr == nullptr) return ENOMEM;
  *out = ptr;
  return 0;
}

void* valloc(std::size_t size) noexcept {
  void* ptr = __libc_valloc(size);
  count_alloc(ptr);
  return ptr;
}

void* pvalloc(std::size_t size) noexcept {
  void* ptr = __libc_pvalloc(size);
  count_alloc(ptr);
  return ptr;
}

}  // extern "C"

namespace ssokit::bench {

void heap_window_begin() {
  g_live.store(0);
  g_peak.store(0);
  g_allocations.store(0);
  g_counting.store(true);
}

HeapWindow heap_window_end() {
  g_counting.store(false);
  return HeapWindow{g_peak.load(), g_allocations.load()};
}

}  // namespace ssokit::bench
