#pragma once
// Counts live heap bytes of the whole process (malloc and friends are interposed, so
// operator new, libcurl and cJSON are all seen) while a measurement window is open.
#include <cstdint>

namespace ssokit::bench {

struct HeapWindow {
  std::int64_t peak_bytes = 0;   // the peak of bytes allocated in the window and not yet freed
  std::int64_t allocations = 0;  // blocks allocated in the window (a realloc counts as one)
};

// Opens a window: the figures restart from zero.
void heap_window_begin();
// Closes the window and returns its figures.
HeapWindow heap_window_end();

}  // namespace ssokit::bench
