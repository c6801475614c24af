#pragma once
// Counts live heap bytes of the whole process (malloc and friends are interposed, so
// operator new, libcurl and cJSON are all seen) while a measurement window is open.
#include <cstdint>

namespace ssokit::bench {

// Opens a window: live and peak restart from zero.
void heap_window_begin();
// Closes the window; returns the peak of bytes allocated in it and not yet freed.
std::int64_t heap_window_end();

}  // namespace ssokit::bench
