#pragma once
// Waiting on the server (SPEC §6.1, §6.2): a link code's status and an approval are waited
// for with held requests (`?wait=SECONDS`), which the server answers as soon as something
// changes or when the wait ends. A wait longer than one held request allows is a chain of
// them, each ending a margin before the call's deadline, so its answer arrives before the
// transport gives up (the transport's deadline is the call's).
#include <chrono>
#include <string>

#include "call_context.hpp"

namespace ssokit::internal {

// The longest wait the server holds a request for (SPEC §6.1: 0..60 s).
inline constexpr std::chrono::seconds kMaxHeldWait{60};
// How long before the call's deadline a held request asks the server to answer: time for the
// answer to travel back on a slow network (and for the server's timer to be a little late).
inline constexpr std::chrono::milliseconds kHeldAnswerMargin{2000};
// Held requests follow each other at most once a second: a server that answers before the
// wait it was asked for (a restart, a clock moved by test control) is not asked in a loop.
inline constexpr std::chrono::milliseconds kMinHeldRequestSpacing{1000};

// The whole seconds to ask the server to hold the next request with `remaining` left:
// remaining minus the margin, at most kMaxHeldWait; 0 when not a whole second is left.
std::chrono::seconds held_wait(std::chrono::milliseconds remaining);

// "?wait=N" for a held request, "" for 0 (an answer at once, as a §2 request).
std::string wait_query(std::chrono::seconds wait);

// Whether another held request is worth sending: after the spacing since `last_sent`, at
// least a second of holding would be left. Waits out the spacing (sliced, cancellable):
// kCancelled when the caller cancels meanwhile, OK with `worth` false when the deadline
// comes too near, OK with `worth` true when the next request may go.
Status before_next_held_request(const CallContext& call, std::chrono::steady_clock::time_point last_sent, Clock& clock,
                                bool& worth);

}  // namespace ssokit::internal
